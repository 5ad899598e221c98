import express from "express";
import type { AsyncNoukai } from "noukai";
import { noukaiRelay } from "noukai/express";
import { pageAssets, WEATHER_TOOL } from "../relay-page/assets.js";

export interface WeatherAppOptions {
  /** Holds the API key; it never leaves this server. */
  client: AsyncNoukai;
  /** Seals the paused runs the page holds: 32 characters or more, kept secret. */
  secret: string;
}

/** An Express app serving the weather page and the relay it runs the flow through. */
export function createWeatherApp({ client, secret }: WeatherAppOptions): express.Express {
  const app = express();
  app.post(
    "/api/weather",
    noukaiRelay({
      client,
      flow: "examples/demo/weather",
      secret,
      // Runs before the body is read. A real app checks its session here; this one serves its own page only.
      authorize: (req) => req.headers["sec-fetch-site"] === "same-origin",
      // What the flow gets beside the page's message comes from the server: here, the tool the page answers.
      prepare: () => ({ tools: [WEATHER_TOOL] }),
      rateLimit: { requests: 30, windowMs: 60_000 },
    }),
  );
  const assets = pageAssets();
  app.get([...assets.keys()], (req, res) => {
    const asset = assets.get(req.path);
    res.type(asset?.type ?? "text/plain").send(asset?.body ?? "");
  });
  return app;
}
