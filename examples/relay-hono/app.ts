import { Hono } from "hono";
import type { AsyncNoukai } from "noukai";
import { noukaiRelay } from "noukai/hono";
import { pageAssets, WEATHER_TOOL } from "../relay-page/assets.js";

export interface WeatherAppOptions {
  /** Holds the API key; it never leaves this server. */
  client: AsyncNoukai;
  /** Seals the paused runs the page holds: 32 characters or more, kept secret. */
  secret: string;
}

/** A Hono app serving the weather page and the relay it runs the flow through. */
export function createWeatherApp({ client, secret }: WeatherAppOptions): Hono {
  const app = new Hono();
  app.post(
    "/api/weather",
    noukaiRelay({
      client,
      flow: "examples/demo/weather",
      secret,
      // Runs before the body is read. A real app checks its session here; this one serves its own page only.
      authorize: (c) => c.req.header("sec-fetch-site") === "same-origin",
      // What the flow gets beside the page's message comes from the server: here, the tool the page answers.
      prepare: () => ({ tools: [WEATHER_TOOL] }),
    }),
  );
  for (const [path, asset] of pageAssets()) app.get(path, (c) => c.body(asset.body, 200, { "content-type": asset.type }));
  return app;
}
