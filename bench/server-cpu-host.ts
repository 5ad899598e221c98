/**
 * One server for server-cpu.ts, alone in this process so that its CPU time
 * can be read: `app DIST` serves DIST/server.js's app (as `startServer`
 * would, with the bench's options, in this thread), `bare JSON` answers a
 * fixed body as the bench's reference server does, `binding DIST JSON` is the
 * Node binding of DIST around an app that answers JSON and does nothing else. Prints its port, then
 * answers each "cpu" line on stdin with this process's CPU time (µs) so far.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import type * as ServerEntry from "../dist/server.js";

const [kind = "", arg = ""] = process.argv.slice(2);

async function start(): Promise<number> {
  if (kind === "app") {
    const { createServerApp, listen } = (await import(pathToFileURL(`${arg}/server.js`).href)) as typeof ServerEntry;
    // More app options as JSON, e.g. {"maxExecutions":50} to see what keeping runs costs.
    const extra = JSON.parse(process.argv[4] ?? "{}") as object;
    const server = await listen(createServerApp({ maxEventsPerRun: 50_000, ...extra }), { port: 0 });
    return server.port;
  }
  if (kind === "binding") {
    // The Node binding and listen() around an app that only reads the body and answers fixed bytes: what the binding costs.
    const { createServerApp, listen } = (await import(pathToFileURL(`${arg}/server.js`).href)) as typeof ServerEntry;
    const real = createServerApp() as unknown as Record<symbol, unknown>;
    const symbols = Object.getOwnPropertySymbols(real);
    const handleSymbol = symbols.find((symbol) => String(symbol).includes("handleAppRequest")) as symbol;
    const hostsSymbol = symbols.find((symbol) => String(symbol).includes("serveOnHosts")) as symbol;
    const json = process.argv[4] ?? "{}";
    const app = {
      [handleSymbol]: async (request: { readBody(limit: number, budget: unknown): Promise<unknown> }) => {
        await request.readBody(1 << 20, { take: () => true, give: () => undefined });
        return { status: 200, headers: { "content-type": "application/json" }, body: json };
      },
      [hostsSymbol]: () => undefined,
      fetch: () => Promise.reject(new Error("unused")),
      close: () => Promise.resolve(),
    };
    const server = await listen(app, { port: 0 });
    return server.port;
  }
  const json = arg;
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const port = await start();
process.stdout.write(`${port}\n`);
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${user + system}\n`);
});
process.stdin.on("end", () => process.exit(0));
