import { randomUUID } from "node:crypto";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWeatherApp as expressApp } from "../../examples/relay-express/app.js";
import { createWeatherApp as honoApp } from "../../examples/relay-hono/app.js";
import { FLAGS, requireChromium } from "../runtimes/runners/chromium.js";
import { flipCharacter } from "./support/relay-http.js";
import { type Served, serveFetch, serveNode } from "./support/serve.js";
import { SECRET, sessionRuns, useRelayService } from "./support/relay-service.js";
import type { AsyncNoukai } from "noukai";

/**
 * A real browser, Debian's Chromium driven by playwright-core, loads the
 * example page from each example app and runs examples/demo/weather through
 * the app's relay against the local server: the page answers the tool, the
 * events appear as they stream. With a token altered on its way back, the
 * page gets the typed refusal and the server's records show nothing resumed.
 */
const service = useRelayService();
let browser: Browser;

beforeAll(async () => {
  // Fails, naming the package to install, when Chromium is missing: this test never passes without a browser.
  browser = await chromium.launch({ executablePath: requireChromium(), args: FLAGS, timeout: 30_000 });
}, 40_000);
afterAll(async () => {
  await browser?.close();
});

const EXAMPLES: [string, (client: AsyncNoukai) => Promise<Served>][] = [
  ["Express", (client) => serveNode(expressApp({ client, secret: SECRET }))],
  ["Hono", (client) => serveFetch(createHonoFetch(client))],
];

function createHonoFetch(client: AsyncNoukai): (request: Request) => Response | Promise<Response> {
  const app = honoApp({ client, secret: SECRET });
  return (request) => app.fetch(request);
}

/** The page, watched: what it printed to its console as errors, and every relay answer's content type. */
async function openPage(url: string): Promise<{ page: Page; problems: string[]; answers: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const answers: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("response", (response) => {
    if (response.url().endsWith("/api/weather")) answers.push(response.headers()["content-type"] ?? "");
  });
  await page.goto(url);
  return { page, problems, answers };
}

const shown = (page: Page) => page.$$eval("#events li", (items) => items.map((item) => (item as HTMLElement).dataset["type"]));
const stepRequests = async () => (await service.server.stats()).requests["step"] ?? 0;

describe.each(EXAMPLES)("the %s example in Chromium", (_name, serve) => {
  it("runs the weather flow through the relay: the tool answered by the page, each event shown as it streams", async () => {
    const sessionId = randomUUID();
    const app = await serve(service.client({ sessionId }));
    const { page, problems, answers } = await openPage(app.url);
    try {
      // The resume is held back a moment: what streamed before it must be on the page already.
      let releaseResume: () => void = () => undefined;
      const resumeHeld = new Promise<void>((resolve) => (releaseResume = resolve));
      await page.route("**/api/weather", async (route) => {
        if ((route.request().postDataJSON() as { token?: string }).token !== undefined) await resumeHeld;
        await route.continue();
      });
      await page.fill("#message", "Weather in Lisbon");
      await page.click("button");
      await page.waitForFunction(() => document.querySelectorAll("#events li").length === 3);
      expect(await shown(page)).toEqual(["run_started", "step_started", "tool_calls_required"]);
      expect(await page.textContent('li[data-type="tool_calls_required"]')).toBe('the flow asks this page: get_weather({"location":"Lisbon"})');
      releaseResume();
      await page.waitForSelector("body[data-state=done]");
      expect(await shown(page)).toEqual(["run_started", "step_started", "tool_calls_required", "step_output", "step_completed", "flow_completed"]);
      expect(await page.textContent("#result")).toBe('Weather in Lisbon: {"location":"Lisbon","sky":"sunny","tempC":24,"answeredBy":"the page"}');
      expect(answers).toEqual(["text/event-stream; charset=utf-8", "text/event-stream; charset=utf-8"]);
      expect(problems).toEqual([]);
      expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["completed"]);
    } finally {
      await page.close();
      await app.close();
    }
  });

  it("refuses a token altered on its way back with a typed error in the page, and resumes nothing", async () => {
    const sessionId = randomUUID();
    const app = await serve(service.client({ sessionId }));
    const { page } = await openPage(app.url);
    try {
      await page.route("**/api/weather", async (route) => {
        const body = route.request().postDataJSON() as { token?: string };
        if (body.token === undefined) return route.continue();
        return route.continue({ postData: JSON.stringify({ ...body, token: flipCharacter(body.token, 60) }) });
      });
      const before = await stepRequests();
      await page.click("button");
      await page.waitForSelector("body[data-state=failed]");
      expect(await page.getAttribute("#error", "data-name")).toBe("RelayTokenError");
      expect(await page.getAttribute("#error", "data-code")).toBe("RELAY_TOKEN_INVALID");
      expect(await shown(page)).toEqual(["run_started", "step_started", "tool_calls_required"]);
      // The server's records: one /step request (the run up to its pause), and the run still waiting for its tool.
      expect((await stepRequests()) - before).toBe(1);
      expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["running"]);
    } finally {
      await page.close();
      await app.close();
    }
  });
});
