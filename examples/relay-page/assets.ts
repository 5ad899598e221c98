import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A file the example apps serve: its content type and its text. */
export interface Asset {
  type: string;
  body: string;
}

/**
 * The page, its module, and the relay's browser client as the installed
 * `noukai` package ships it (the file its `exports` give browsers for
 * `noukai/relay`): everything the page loads, by path.
 */
export function pageAssets(): Map<string, Asset> {
  const here = dirname(fileURLToPath(import.meta.url));
  const packageJson = createRequire(import.meta.url).resolve("noukai/package.json");
  const { exports } = JSON.parse(readFileSync(packageJson, "utf8")) as { exports: Record<string, { browser?: { default?: string } }> };
  const relayClient = exports["./relay"]?.browser?.default ?? "./dist/relay.browser.js";
  return new Map([
    ["/", { type: "text/html; charset=utf-8", body: readFileSync(join(here, "index.html"), "utf8") }],
    ["/page.js", { type: "text/javascript; charset=utf-8", body: readFileSync(join(here, "page.js"), "utf8") }],
    ["/noukai/relay.js", { type: "text/javascript; charset=utf-8", body: readFileSync(join(dirname(packageJson), relayClient), "utf8") }],
  ]);
}

/** The weather tool the server offers the flow on the page's behalf: the page answers it. */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather at a place, as the user's browser sees it.",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};
