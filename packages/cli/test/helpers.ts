import { fileURLToPath } from "node:url";
import type { CommandIO } from "../src/io.js";
import { main } from "../src/main.js";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const iris = fileURLToPath(new URL("../../../examples/data/iris.csv", import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function run(argv: string[], env: Record<string, string> = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
