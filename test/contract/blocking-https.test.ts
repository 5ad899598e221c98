/**
 * The blocking client over https. Its I/O thread loads `node:https` only
 * when a client first needs it (tsup.config.ts), so this reaches a real TLS
 * server through it: the first call (over node:https), a stream, and a call
 * after undici has loaded. The client runs in a process of its own, which
 * trusts the test certificate (NODE_EXTRA_CA_CERTS): verified TLS, and a
 * test process free to relay while the client's thread blocks.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type AddressInfo } from "node:net";
import { createServer, type Server } from "node:tls";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();
const distIndex = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
const certFile = fileURLToPath(new URL("../helpers/tls/cert.pem", import.meta.url));
let relay: Server | undefined;
let httpsBaseUrl = "";

// TLS in front of the local server: each connection is decrypted here and passed on as is.
beforeAll(async () => {
  const target = new URL(local.baseUrl);
  relay = createServer({ key: readFileSync(new URL("../helpers/tls/key.pem", import.meta.url)), cert: readFileSync(certFile) }, (secure) => {
    const plain = connect(Number(target.port), target.hostname);
    secure.pipe(plain).pipe(secure);
    const end = () => (secure.destroy(), plain.destroy());
    secure.on("error", end);
    plain.on("error", end);
  });
  await new Promise<void>((resolve) => relay?.listen(0, "127.0.0.1", resolve));
  httpsBaseUrl = `https://127.0.0.1:${(relay?.address() as AddressInfo).port}${target.pathname}`;
});
afterAll(() => new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve())));

describe("Noukai over https", () => {
  it("calls and streams through a verified TLS connection", async () => {
    const script = `
      const { Noukai } = await import(${JSON.stringify(distIndex)});
      const client = new Noukai({ apiKey: ${JSON.stringify(TEST_KEY)}, baseUrl: ${JSON.stringify(httpsBaseUrl)}, org: "examples", project: "demo" });
      const first = client.flow("hello").execute({ message: "first" });
      const steps = [...client.flow("two-step").steps({ message: "tides" })].map((step) => step.stepId);
      // undici loads once a call over node:https has its answer; the calls after it go through undici.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = client.flow("hello").execute({ message: "later" });
      client.close();
      console.log(JSON.stringify({ first: first.result, steps, later: later.result }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ first: "Hello! You said: first", steps: ["outline", "write"], later: "Hello! You said: later" });
  });
});
