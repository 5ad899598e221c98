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
  construct({ timeout: Number.NaN }, "timeout NaN", "ValueError", /timeout/),
  construct({ maxRetries: -1 }, "maxRetries -1", "ValueError", /maxRetries/),
  construct({ maxRetries: 1.5 }, "maxRetries 1.5", "ValueError", /maxRetries/),
  construct({ env: "staging" as "dev" }, 'env "staging"', "ValueError", /env/),
  construct({ onLog: "yes" as never }, "onLog that is not a function", "TypeError", /onLog/),
  construct({ sessionId: "a\nb" }, "sessionId with a newline", "ValueError", /sessionId/),
  construct({ org: "acme" }, "org without project", "ValueError", /org and project/),
  construct({ tiemout: 5 } as never, "an option name with a typo (tiemout)", "ValueError", /no option "tiemout"/),
];
