import { chromium as playwright } from "playwright-core";
import type { RuntimeReport } from "../checks.js";
import { requireFile, type Runtime } from "../runtime.js";

export const CHROMIUM = "/usr/bin/chromium";

// Headless, and nothing that reaches for the network on its own (this
// machine's closed network refuses those connections, many at a time).
// Playwright adds a fresh temporary --user-data-dir of its own.
export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium, or an error that says it is missing and how to install it: never a silent skip. */
export function requireChromium(): string {
  return requireFile(CHROMIUM, "Chromium", "Install Debian's package as root: apt-get update && apt-get install -y chromium (.ci/run does this).");
}

type ReportWindow = { noukaiReport?: Promise<RuntimeReport> };

/**
 * Debian's Chromium, driven by playwright-core, loads a page from the static
 * server that imports `noukai` through an import map: the browser build as
 * it ships, unbundled. The README shows the major version only: Debian
 * replaces the package with each upstream stable release.
 */
export const chromium: Runtime = {
  name: "Chromium",
  loads: "a page's import map points `noukai` at the browser build (`exports` → `browser`), unbundled, as it ships",
  async run({ baseUrl, pageOrigin }) {
    const executablePath = requireChromium();
    const browser = await playwright.launch({ executablePath, args: FLAGS, timeout: 30_000 });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      await page.goto(`${pageOrigin}/?baseUrl=${encodeURIComponent(baseUrl)}`);
      try {
        await page.waitForFunction(() => (window as ReportWindow).noukaiReport !== undefined, undefined, { timeout: 10_000 });
      } catch {
        throw new Error(`the page never started the checks:\n${problems.join("\n")}`);
      }
      const report = await page.evaluate(() => (window as ReportWindow).noukaiReport as Promise<RuntimeReport>);
      if (!/Chrome\//.test(report.runtime)) throw new Error(`the checks ran in "${report.runtime}", not in Chromium`);
      return { version: browser.version().split(".")[0] ?? "", report };
    } finally {
      await browser.close();
    }
  },
};
