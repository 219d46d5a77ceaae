import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** Path of a bundled dataset in examples/data (`iris`, `penguins`, `telco_customers`, ...). */
export function example(name: string): string {
  return join(repoRoot, "examples/data", `${name}.csv`);
}

/** Reads reference/fixtures/<name>.json. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot, "reference/fixtures", `${name}.json`), "utf8")) as T;
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when two typed arrays hold the same bytes. */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}
