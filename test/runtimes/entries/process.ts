/**
 * Bun's and Deno's entry: a script that imports `noukai` by name, runs the
 * checks against the base URL given as its argument, and prints one JSON
 * report on stdout.
 */
import * as sdk from "noukai";
import { runChecks, type RuntimeReport } from "../checks.js";

const runtime = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string }; args: string[] } };
const [baseUrl = ""] = runtime.Deno ? runtime.Deno.args : process.argv.slice(2);
const report: RuntimeReport = {
  runtime: runtime.Bun ? `bun ${runtime.Bun.version}` : runtime.Deno ? `deno ${runtime.Deno.version.deno}` : "unknown",
  results: await runChecks(sdk, baseUrl),
};
console.log(JSON.stringify(report));
