/**
 * A fetch that lives in a module (`fetchModule`): the blocking client's I/O
 * thread imports it, so answers that never touch the network (an in-process
 * service, recorded answers) reach both clients alike. A fetch function is
 * refused by the blocking client, saying why, never ignored.
 */
import { APIConnectionError, AsyncNoukai, Noukai, ValueError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";

// Nothing listens there: a call that reached the network would fail.
const NOWHERE = "http://127.0.0.1:9/api/v1";
const SERVICE = new URL("../helpers/in-process-service.mjs", import.meta.url);

describe.each(CLIENT_KINDS)("%s with a fetchModule", (kind) => {
  it("sends every call through the module's fetch, with no network", async () => {
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: NOWHERE, fetchModule: SERVICE, maxRetries: 0 });
    expect(await settle(() => client.flow("examples/demo/hello").execute({ message: "in process" }))).toMatchObject({
      status: "completed",
      result: "Hello! You said: in process",
    });
    const steps = await collect(client.flow("examples/demo/two-step").steps({ message: "tides" }));
    expect(steps.map((step) => step.stepId)).toEqual(["outline", "write"]);
    await client.close();
  });

  it("refuses a module that exports no fetch, naming it", async () => {
    const module = new URL("../helpers/exports-nothing.mjs", import.meta.url);
    if (kind === "Noukai") {
      expect(() => new Noukai({ apiKey: TEST_KEY, baseUrl: NOWHERE, fetchModule: module })).toThrow(ValueError);
      expect(() => new Noukai({ apiKey: TEST_KEY, baseUrl: NOWHERE, fetchModule: module })).toThrow(/exports-nothing\.mjs exports no fetch/);
    } else {
      const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl: NOWHERE, fetchModule: module });
      const attempt = client.flow("examples/demo/hello").execute({ message: "x" });
      await expect(attempt).rejects.toBeInstanceOf(APIConnectionError);
      await expect(attempt).rejects.toMatchObject({ code: "TRANSPORT_UNAVAILABLE", message: expect.stringMatching(/exports no fetch/) as string });
    }
  });
});

describe("the blocking client and a fetch function", () => {
  it("refuses it with a ValueError that says why and what to do instead", () => {
    expect(() => new Noukai({ apiKey: TEST_KEY, fetch: globalThis.fetch })).toThrow(ValueError);
    expect(() => new Noukai({ apiKey: TEST_KEY, fetch: globalThis.fetch })).toThrow(/I\/O thread.*fetchModule/);
  });

  it("refuses fetch and fetchModule together", () => {
    expect(() => new AsyncNoukai({ apiKey: TEST_KEY, fetch: globalThis.fetch, fetchModule: SERVICE })).toThrow(/fetch or fetchModule, not both/);
  });
});

describe("AsyncNoukai and a fetch that fails", () => {
  it("gives an APIConnectionError with the failure's code, even when its causes loop", async () => {
    const looped = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const wrapper = new TypeError("fetch failed", { cause: looped });
    looped.cause = wrapper;
    // Two errors without a code, each the other's cause.
    const uncoded = new TypeError("fetch failed", { cause: new Error("other side closed") });
    (uncoded.cause as Error).cause = uncoded;
    for (const [thrown, code] of [[wrapper, "ECONNRESET"], [uncoded, "CONNECTION_ERROR"]] as const) {
      const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl: NOWHERE, maxRetries: 0, fetch: () => Promise.reject(thrown) });
      const failure = await client.flow("examples/demo/hello").execute({ message: "x" }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(APIConnectionError);
      expect(failure).toMatchObject({ code });
      await client.close();
    }
  });
});
