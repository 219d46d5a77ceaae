/** Where a command writes: injectable so commands can run in-process in tests. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment variables (for CLUSTERLAB_DEBUG). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The real process streams. */
export const processIO: CommandIO = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  env: process.env,
};

/** Rows above which progress lines are printed on stderr (unless --quiet). */
export const PROGRESS_MIN_ROWS = 100_000;

/** Seconds since `start` (a `performance.now()` value), rounded to milliseconds. */
export function secondsSince(start: number): number {
  return Math.round(performance.now() - start) / 1000;
}

/** A progress printer: `clusterlab: <message>` on stderr, or nothing when disabled. */
export function progressPrinter(io: CommandIO, enabled: boolean): (message: string) => void {
  return enabled ? (message) => io.stderr(`clusterlab: ${message}\n`) : () => {};
}
