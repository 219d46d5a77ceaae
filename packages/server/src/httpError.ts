/** An error answered with its status code and `{ error: message }` (a one-line message for the user). */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
