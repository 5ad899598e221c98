import type { ClientOptions } from "noukai";
import type { BadInput } from "./case.js";

const construct = (options: ClientOptions, input: string, error: BadInput["expect"]["error"], names: RegExp): BadInput => ({
  input,
  run: (_client, make) => make(options),
  expect: { error, names },
});

/** Client options refused at construction, before any request can be made. */
export const CLIENT_CASES: BadInput[] = [
  construct({ baseUrl: "http://10.0.0.5/api/v1" }, "baseUrl http: to a private address", "ValueError", /baseUrl.*clear text/),
  construct({ baseUrl: "http://api.noukai.xyz/api/v1" }, "baseUrl http: to the production host", "ValueError", /baseUrl.*clear text/),
  construct({ baseUrl: "http://localhost.evil.example/api/v1" }, "baseUrl http: to a host that starts with localhost", "ValueError", /baseUrl.*clear text/),
  construct({ baseUrl: "http://127.0.0.1.nip.io/api/v1" }, "baseUrl http: to a name that resolves to 127.0.0.1 through DNS", "ValueError", /baseUrl.*clear text/),
  construct({ baseUrl: "http://0.0.0.0:8080/api/v1" }, "baseUrl http: to 0.0.0.0", "ValueError", /baseUrl.*clear text/),
  construct({ baseUrl: "https://user:secret@gateway.example/api/v1" }, "baseUrl with credentials", "ValueError", /baseUrl.*credentials/),
  construct({ baseUrl: "ftp://gateway.example/api/v1" }, "baseUrl ftp:", "ValueError", /baseUrl/),
  construct({ baseUrl: "not a url" }, "baseUrl that is not a URL", "ValueError", /baseUrl/),
  construct({ apiKey: "nk_live\r\nX-Evil: 1" }, "apiKey with CR LF", "AuthenticationError", /API key/),
  construct({ apiKey: "sk_live_123" }, "apiKey without the nk_ prefix", "AuthenticationError", /nk_/),
  construct({ apiKey: "nk_live\u200b123" }, "apiKey with a zero-width space (pasted from a web page)", "AuthenticationError", /API key contains U\+200B at position 8/),
  construct({ apiKey: "nk_live 123" }, "apiKey with a space inside", "AuthenticationError", /API key contains a space/),
  construct({ apiKey: "nk_caf\u00e9" }, "apiKey with a non-ASCII letter", "AuthenticationError", /API key contains U\+00E9/),
  construct({ baseUrl: "http://noukai.localhost:8080/api/v1" }, "baseUrl http: to a name under .localhost (looked up through DNS)", "ValueError", /baseUrl.*clear text.*\.localhost/),
  construct({ maxResponseBytes: 0 }, "maxResponseBytes 0", "ValueError", /maxResponseBytes/),
  construct({ maxResponseBytes: 1.5 }, "maxResponseBytes 1.5", "ValueError", /maxResponseBytes/),
  construct({ env: "constructor" as "dev" }, 'env "constructor" (a name every object inherits)', "ValueError", /env must be/),
  construct({ env: "__proto__" as "dev" }, 'env "__proto__"', "ValueError", /env must be/),
  construct({ sessionId: "run\u200b1" }, "sessionId with a zero-width space", "ValueError", /sessionId/),
  construct({ timeout: Number.NaN }, "timeout NaN", "ValueError", /timeout/),
  construct({ timeout: 2 ** 31 }, "timeout longer than a timer holds (2^31 ms: it would fire at once)", "ValueError", /timeout must be a positive number of milliseconds up to 2147483647/),
  construct({ maxRetries: -1 }, "maxRetries -1", "ValueError", /maxRetries/),
  construct({ maxRetries: 1.5 }, "maxRetries 1.5", "ValueError", /maxRetries/),
  construct({ env: "staging" as "dev" }, 'env "staging"', "ValueError", /env/),
  construct({ onLog: "yes" as never }, "onLog that is not a function", "TypeError", /onLog/),
  construct({ sessionId: "a\nb" }, "sessionId with a newline", "ValueError", /sessionId/),
  construct({ org: "acme" }, "org without project", "ValueError", /org and project/),
  construct({ tiemout: 5 } as never, "an option name with a typo (tiemout)", "ValueError", /no option "tiemout"/),
];
