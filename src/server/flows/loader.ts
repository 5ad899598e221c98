import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { jsonSyntaxProblem } from "../json/syntax-error.js";
import { flowKey } from "./flow-key.js";
import { readFlowFile } from "./read-flow-file.js";
import type { FlowDefinition } from "./types.js";
import { FlowValidationError, type FlowProblem, validateFlow } from "./validate.js";

export interface LoadFlowsOptions {
  /** Stops the loading (it then rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Loads every `*.json` file of `dir` (not recursive) as a flow. All files are
 * checked before anything is returned, so one start reports every problem.
 * Only regular files (or links to them) of at most 4 MiB are read; a syntax
 * error is reported by line and column, never by quoting the file.
 * Throws FlowValidationError (`file: /json/pointer: problem` per line).
 */
export async function loadFlowsFromDir(dir: string, options: LoadFlowsOptions = {}): Promise<FlowDefinition[]> {
  const { signal } = options;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    throw new FlowValidationError([{ file: dir, pointer: "", message: `cannot read the flows directory (${errorText(error)})` }]);
  }
  const problems: FlowProblem[] = [];
  const flows: FlowDefinition[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    signal?.throwIfAborted();
    const file = join(dir, name);
    const read = await readFlowFile(file, signal);
    if ("problem" in read) {
      problems.push({ file, pointer: "", message: read.problem });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(read.text);
    } catch {
      problems.push({ file, pointer: "", message: jsonSyntaxProblem(read.text) });
      continue;
    }
    const found = validateFlow(value, file);
    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    const flow = value as FlowDefinition;
    const key = flowKey(flow);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ file, pointer: "/slug", message: `flow ${key} is already defined in ${earlier}` });
      continue;
    }
    seen.set(key, file);
    flows.push(flow);
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
  return flows;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
