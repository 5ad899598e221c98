/**
 * Chromium's entry: a page module that runs the checks against the
 * `baseUrl` of the page's query and leaves the report, as a promise, on
 * `window.noukaiReport` for the test to read.
 */
import * as sdk from "noukai";
import { runChecks, type RuntimeReport } from "../checks.js";

const baseUrl = new URL(location.href).searchParams.get("baseUrl") ?? "";
(window as { noukaiReport?: Promise<RuntimeReport> }).noukaiReport = runChecks(sdk, baseUrl).then((results) => ({ runtime: navigator.userAgent, results }));
