// Starts the Hono example on Node: `npx noukai dev` in one terminal, then
// `NOUKAI_ENV=dev NOUKAI_API_KEY=nk_local npx tsx examples/relay-hono/server.ts`
// in another, and open http://127.0.0.1:3000.
import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { AsyncNoukai } from "noukai";
import { createWeatherApp } from "./app.js";

const client = new AsyncNoukai();
// A fresh secret at each start voids the tokens of the last one; a deployment keeps one in its secrets store.
const secret = process.env["RELAY_SECRET"] ?? randomBytes(32).toString("base64url");
const port = Number(process.env["PORT"] ?? 3000);
serve({ fetch: createWeatherApp({ client, secret }).fetch, port, hostname: "127.0.0.1" }, () => console.log(`the weather page: http://127.0.0.1:${port}`));
