import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isLoopback, startServer, tokenFor } from "../src/server.js";
import { resolveStatic } from "../src/staticFiles.js";
import { IRIS_FEATURES, testApp } from "./helpers.js";

describe("token", () => {
  it("is required only off loopback, generated when not given", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
      expect(isLoopback(host), host).toBe(true);
      expect(tokenFor(host)).toBeNull();
    }
    for (const host of ["0.0.0.0", "192.168.1.10", "::", "example.org"]) {
      expect(isLoopback(host), host).toBe(false);
      expect(tokenFor(host)).toMatch(/^[0-9a-f]{48}$/);
    }
    expect(tokenFor("0.0.0.0")).not.toBe(tokenFor("0.0.0.0"));
    expect(tokenFor("0.0.0.0", "given-token")).toBe("given-token");
  });

  it("is checked on every /api request (header, bearer or ?token=), not on the page", async () => {
    const { app, cleanup } = await testApp({ token: "s3cret-token-value" });
    try {
      let r = await app.inject({ method: "GET", url: "/api/datasets" });
      expect(r.statusCode).toBe(401);
      expect(r.json().error).toMatch(/^missing or wrong token/);
      r = await app.inject({ method: "GET", url: "/api/datasets?token=wrong" });
      expect(r.statusCode).toBe(401);
      r = await app.inject({
        method: "POST",
        url: "/api/cluster",
        payload: { dataset: "iris", columns: IRIS_FEATURES, algorithm: "kmeans" },
      });
      expect(r.statusCode).toBe(401);
      r = await app.inject({ method: "GET", url: "/api/datasets?token=s3cret-token-value" });
      expect(r.statusCode).toBe(200);
      r = await app.inject({
        method: "GET",
        url: "/api/config",
        headers: { "x-clusterlab-token": "s3cret-token-value" },
      });
      expect(r.statusCode).toBe(200);
      r = await app.inject({
        method: "GET",
        url: "/api/config",
        headers: { authorization: "Bearer s3cret-token-value" },
      });
      expect(r.statusCode).toBe(200);
      r = await app.inject({ method: "GET", url: "/" });
      expect(r.statusCode).toBe(200);
    } finally {
      await cleanup();
    }
  });
});

describe("startServer", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "clusterlab-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("listens on 127.0.0.1 (a free port) and prints the address with the token when one is set", async () => {
    const server = await startServer({ port: 0, dataDir, workers: 1, token: "abcdefgh12345678" });
    try {
      expect(server.host).toBe("127.0.0.1");
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=abcdefgh12345678`);
      const r = await fetch(`http://127.0.0.1:${server.port}/api/datasets`, {
        headers: { "x-clusterlab-token": "abcdefgh12345678" },
      });
      expect(r.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("refuses an unknown dataset to open", async () => {
    await expect(startServer({ port: 0, dataDir, openDataset: "nope" })).rejects.toThrow('unknown dataset: "nope"');
  });
});

describe("resolveStatic", () => {
  const root = mkdtempSync(join(tmpdir(), "clusterlab-static-"));
  writeFileSync(join(root, "index.html"), "<html></html>");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("serves files inside the root and index.html for app routes", () => {
    expect(resolveStatic(root, "/")?.path).toBe(join(root, "index.html"));
    expect(resolveStatic(root, "/index.html")?.type).toMatch(/^text\/html/);
    expect(resolveStatic(root, "/some/route")?.path).toBe(join(root, "index.html"));
    expect(resolveStatic(root, "/missing.js")).toBeUndefined();
  });

  it("never leaves the root", () => {
    for (const url of ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2F..%2Fetc%2Fpasswd", "/%00", "/%E0%A4%A"]) {
      const file = resolveStatic(root, url);
      expect(file === undefined || file.path === join(root, "index.html"), url).toBe(true);
    }
  });
});
