import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "@clusterlab/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../src/args.js";
import type { CommandIO } from "../src/io.js";
import { runServe } from "../src/serve.js";
import { repoRoot, run } from "./helpers.js";

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "clusterlab-serve-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("clusterlab serve: arguments", () => {
  it("defaults to 127.0.0.1:8765, iris, 100 MB", () => {
    expect(parseArgs(["serve"])).toEqual({
      command: "serve",
      host: "127.0.0.1",
      port: 8765,
      maxUploadMb: 100,
      openDataset: "iris",
    });
  });

  it("reads every flag", () => {
    expect(
      parseArgs([
        "serve",
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--data-dir",
        "/tmp/x",
        "--max-upload-mb",
        "5",
        "--open-dataset",
        "wine",
        "--token",
        "abcdefgh",
      ]),
    ).toEqual({
      command: "serve",
      host: "0.0.0.0",
      port: 0,
      dataDir: "/tmp/x",
      maxUploadMb: 5,
      openDataset: "wine",
      token: "abcdefgh",
    });
  });

  it.each([
    [["--port", "70000"], 'invalid --port: "70000" (must be an integer <= 65535)'],
    [["--port", "abc"], 'invalid --port: "abc" (must be an integer >= 0)'],
    [["--max-upload-mb", "0"], 'invalid --max-upload-mb: "0" (must be > 0)'],
    [["--token", "short"], "invalid --token: too short (use at least 8 characters)"],
  ])("rejects %j", async (argv, message) => {
    const r = await run(["serve", ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`clusterlab: error: ${message}\n`);
  });

  it("rejects an unknown dataset to open", async () => {
    const r = await run(["serve", "--port", "0", "--data-dir", dataDir, "--open-dataset", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clusterlab: error: invalid --open-dataset: unknown dataset: "nope"/);
  });
});

describe("clusterlab serve: in-process", () => {
  it("prints the address, serves the API and the page, and stops on the signal", async () => {
    let stdout = "";
    let stderr = "";
    const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} };
    const controller = new AbortController();
    let server: RunningServer | undefined;
    const args = parseArgs(["serve", "--port", "0", "--data-dir", dataDir]);
    if (args.command !== "serve") throw new Error("expected serve");
    const done = runServe(args, io, {
      signal: controller.signal,
      onListening: (s) => {
        server = s;
      },
    });
    await expect.poll(() => server, { timeout: 20_000 }).toBeDefined();
    expect(stdout).toBe(`Clusterlab dashboard: http://127.0.0.1:${server!.port}/\n`);
    expect(stderr).toContain("press Ctrl+C to stop");
    const list = await fetch(`http://127.0.0.1:${server!.port}/api/datasets`);
    expect(list.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${server!.port}/`);
    expect(await page.text()).toContain("Clusterlab");
    controller.abort();
    expect(await done).toBe(0);
    await expect(fetch(`http://127.0.0.1:${server!.port}/api/datasets`)).rejects.toThrow();
  });
});

describe("clusterlab serve: the real binary", () => {
  const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
  const built = existsSync(join(repoRoot, "packages/cli/dist/serve.js"));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it.skipIf(!built)("starts on a free port, answers, and exits 0 on SIGTERM", async () => {
    child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", dataDir], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Clusterlab dashboard: http:\/\/127\.0\.0\.1:\d+\/\n/);
    const url = /(http:\/\/\S+)/.exec(out)![1];
    const r = await fetch(`${url}api/config`);
    expect(r.status).toBe(200);
    expect((await r.json()).openDataset).toBe("iris");
    const exited = new Promise<number | null>((resolve) => child!.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
