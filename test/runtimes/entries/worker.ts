/**
 * workerd's entry: a Worker module whose fetch handler runs the checks
 * against the `baseUrl` of its query and answers with the JSON report.
 */
import * as sdk from "noukai";
import { runChecks, type RuntimeReport } from "../checks.js";

export default {
  async fetch(request: Request): Promise<Response> {
    const baseUrl = new URL(request.url).searchParams.get("baseUrl") ?? "";
    const report: RuntimeReport = { runtime: navigator.userAgent, results: await runChecks(sdk, baseUrl) };
    return Response.json(report);
  },
};
