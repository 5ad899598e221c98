import { FlowExecutionError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { RawServer } from "../reliability/support/raw-server.js";

/**
 * Whole answers and event streams travel through different HTTP stacks on
 * Node; an error's `headers` must read the same whichever carried it.
 */
let server: RawServer;
beforeAll(async () => {
  server = await RawServer.start(new URL("../helpers/responders/header-fields.ts", import.meta.url));
  await server.respond("repeatedFields");
});
afterAll(() => server.close());

const EXPECTED = {
  "content-type": "application/json",
  "x-request-id": "req_headers",
  "set-cookie": "a=1, b=2",
  "retry-after": "7",
  warning: "one, two",
  constructor: "not-a-function",
  "x-latin": "caf\xe9",
  "content-length": "47",
  connection: "close",
};

async function errorOf(call: () => unknown): Promise<FlowExecutionError> {
  const error = await settle(call).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlowExecutionError);
  return error as FlowExecutionError;
}

describe.each(CLIENT_KINDS)("%s: response headers", (kind) => {
  it("reads repeated, single-valued and oddly named fields the same for a call and for a stream", async () => {
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0 });
    try {
      const flow = client.flow("acme/support/triage");
      const fromCall = await errorOf(() => flow.execute({ message: "hi" }));
      const fromStream = await errorOf(async () => {
        for await (const _event of flow.events({ message: "hi" })) break;
      });
      expect(fromCall.statusCode).toBe(422);
      expect({ ...fromCall.headers }).toEqual(EXPECTED);
      expect({ ...fromStream.headers }).toEqual(EXPECTED);
      expect(Object.getPrototypeOf(fromCall.headers)).toBe(Object.prototype);
    } finally {
      await client.close();
    }
  });
});
