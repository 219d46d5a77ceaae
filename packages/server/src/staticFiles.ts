import { createReadStream, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** The built dashboard (`@clusterlab/dashboard`'s `dist/`). */
export function defaultDashboardDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("@clusterlab/dashboard/package.json")), "dist");
  } catch {
    return fileURLToPath(new URL("../../dashboard/dist/", import.meta.url));
  }
}

/** A file to send: its absolute path, content type and caching policy. */
export interface StaticFile {
  path: string;
  type: string;
  size: number;
  /** Hashed build assets can be cached for good; index.html must be revalidated. */
  immutable: boolean;
}

/**
 * Resolves a URL path inside `root`, or returns undefined: only existing regular files strictly
 * inside `root` are served (`..`, encoded or not, cannot leave it). A path without an extension
 * that is not a file gets `index.html` (the single-page app).
 */
export function resolveStatic(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const base = resolve(root);
  const candidates = [resolve(base, `.${decoded.startsWith("/") ? "" : "/"}${decoded}`)];
  if (extname(decoded) === "") candidates.push(join(base, "index.html"));
  for (const path of candidates) {
    if (path !== base && !path.startsWith(base + sep)) continue;
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    const ext = extname(path).toLowerCase();
    return {
      path,
      type: TYPES[ext] ?? "application/octet-stream",
      size: stat.size,
      immutable: path.startsWith(join(base, "assets") + sep),
    };
  }
  return undefined;
}

/** Opens a static file for sending. */
export function openStatic(file: StaticFile) {
  return createReadStream(file.path);
}

/** The page served when the dashboard has not been built. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clusterlab</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem; color: #1f2937">
<h1>Clusterlab</h1>
<p>The dashboard has not been built. Run <code>npm run build</code> at the repository root, then restart
<code>clusterlab serve</code>. The JSON API is available under <code>/api/</code>.</p>
</body></html>
`;
