/**
 * The API key, as the `Authorization` header it becomes. Held in a private
 * field: no property walk, `util.inspect`, `console.dir` or `JSON.stringify`
 * of an object that reaches this one can read it; only the request builder
 * asks for it, once per request.
 */
export class Credentials {
  readonly #authorization: string;

  constructor(apiKey: string) {
    this.#authorization = `Bearer ${apiKey}`;
  }

  authorization(): string {
    return this.#authorization;
  }

  toJSON(): string {
    return "[redacted]";
  }

  /** What `util.inspect` shows (Node looks this symbol up; elsewhere it is inert). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "Credentials [redacted]";
  }
}
