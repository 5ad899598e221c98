/**
 * What a user of the installed package would write, once as ESM and once as
 * CommonJS: start the local server from `noukai/server`, make a call with
 * each client, close everything, and let the process end by itself.
 */
const CALLS = (moduleKind: string) => `
  const server = await startServer({ port: 0 });
  try {
    const options = { apiKey: "nk_package_test", baseUrl: server.baseUrl };
    const asyncClient = new AsyncNoukai(options);
    const awaited = await asyncClient.flow("examples/demo/hello").execute({ message: "${moduleKind}" });
    let notFound;
    try {
      await asyncClient.flow("examples/demo/missing").execute({ message: "x" });
    } catch (error) {
      notFound = error instanceof FlowNotFoundError ? error.code : String(error);
    }
    await asyncClient.close();
    const blocking = new Noukai(options);
    const blocked = blocking.flow("examples/demo/hello").execute({ message: "${moduleKind}, blocking" });
    blocking.close();
    console.log(JSON.stringify({ version: VERSION, results: [awaited.result, blocked.result], notFound }));
  } finally {
    await server.close();
  }
`;

export const ESM_CONSUMER = `import { AsyncNoukai, FlowNotFoundError, Noukai, VERSION } from "noukai";
import { startServer } from "noukai/server";
${CALLS("esm")}`;

export const CJS_CONSUMER = `const { AsyncNoukai, FlowNotFoundError, Noukai, VERSION } = require("noukai");
const { startServer } = require("noukai/server");
const { version } = require("noukai/package.json");
if (version !== VERSION) throw new Error("noukai/package.json says " + version + ", the module " + VERSION);
(async () => {${CALLS("cjs")}})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});`;

/**
 * A user of `noukai/blocking`, the entry that starts the blocking client's
 * I/O thread as it is imported: a call, its errors by class, and a process
 * that ends by itself once the server is closed.
 */
const BLOCKING_CALLS = (moduleKind: string) => `
  const server = await startServer({ port: 0 });
  try {
    const client = new Noukai({ apiKey: "nk_package_test", baseUrl: server.baseUrl });
    const { result } = client.flow("examples/demo/hello").execute({ message: "${moduleKind}, blocking entry" });
    let notFound;
    try {
      client.flow("examples/demo/missing").execute({ message: "x" });
    } catch (error) {
      notFound = error instanceof FlowNotFoundError ? error.code : String(error);
    }
    client.close();
    console.log(JSON.stringify({ version: VERSION, result, notFound }));
  } finally {
    await server.close();
  }
`;

export const BLOCKING_ESM_CONSUMER = `import { FlowNotFoundError, Noukai, VERSION } from "noukai/blocking";
import { startServer } from "noukai/server";
${BLOCKING_CALLS("esm")}`;

export const BLOCKING_CJS_CONSUMER = `const { FlowNotFoundError, Noukai, VERSION } = require("noukai/blocking");
const { startServer } = require("noukai/server");
(async () => {${BLOCKING_CALLS("cjs")}})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});`;
