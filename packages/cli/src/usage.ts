/** A mistake on the command line (unknown flag, bad number, ...): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
