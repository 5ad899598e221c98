import { Ajv, type ErrorObject } from "ajv";
import schema from "../../../schema/flow.schema.json" with { type: "json" };
import { unknownFilters } from "../engine/template.js";
import { unknownVariables } from "../engine/template-variables.js";
import { depthOf } from "../../core/json-depth.js";
import { MAX_JSON_DEPTH } from "../json/depth.js";
import type { FlowDefinition, TemplateValue } from "./types.js";

/** One problem in one flow file: `file: /json/pointer: problem`. */
export interface FlowProblem {
  file: string;
  pointer: string;
  message: string;
}

export class FlowValidationError extends Error {
  readonly problems: readonly FlowProblem[];
  constructor(problems: readonly FlowProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "FlowValidationError";
    this.problems = problems;
  }
}

export function formatProblem(problem: FlowProblem): string {
  return `${problem.file}: ${problem.pointer || "/"}: ${problem.message}`;
}

// Compiled once per process: the schema is the single source of truth.
let compiled: ReturnType<Ajv["compile"]> | undefined;
function schemaValidator(): ReturnType<Ajv["compile"]> {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return compiled;
}

/**
 * Checks one parsed flow file against the JSON Schema, then the rules a schema
 * cannot express (unique step ids and versions, `production` naming a version).
 * Returns the problems; an empty list means the value is a FlowDefinition.
 */
export function validateFlow(value: unknown, file: string): FlowProblem[] {
  if (depthOf(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return [{ file, pointer: "", message: `nested more than ${MAX_JSON_DEPTH} levels deep` }];
  const validate = schemaValidator();
  if (!validate(value)) {
    return dedupe((validate.errors ?? []).map((error) => fromAjv(error, file)));
  }
  return semanticProblems(value as FlowDefinition, file);
}

/** Throws a FlowValidationError unless `value` is a valid flow. */
export function assertFlow(value: unknown, file: string): FlowDefinition {
  const problems = validateFlow(value, file);
  if (problems.length > 0) throw new FlowValidationError(problems);
  return value as FlowDefinition;
}

function fromAjv(error: ErrorObject, file: string): FlowProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    return { file, pointer: `${error.instancePath}/${String(params.additionalProperty)}`, message: "unknown field" };
  }
  if (error.keyword === "required") {
    return { file, pointer: `${error.instancePath}/${String(params.missingProperty)}`, message: "required field is missing" };
  }
  if (error.keyword === "pattern" && String(params.pattern).startsWith("^(?!")) {
    return { file, pointer: error.instancePath, message: 'must be an identifier: no / ? # %, whitespace or control characters, and not "." or ".."' };
  }
  if (error.keyword === "false schema") {
    return { file, pointer: error.instancePath, message: "not allowed on a tool-calling step" };
  }
  return { file, pointer: error.instancePath, message: error.message ?? error.keyword };
}

function semanticProblems(flow: FlowDefinition, file: string): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const checkSteps = (steps: FlowDefinition["draft"]["steps"], base: string) => {
    const seen = new Set<string>();
    steps.forEach((step, index) => {
      if (seen.has(step.id)) problems.push({ file, pointer: `${base}/steps/${index}/id`, message: `duplicate step id "${step.id}"` });
      seen.add(step.id);
      if (step.failAttempts !== undefined && step.failAttempts > (step.retries ?? 0) && step.fail === undefined) {
        // Allowed (the step then fails for good), but almost always a mistake worth naming.
        problems.push({
          file,
          pointer: `${base}/steps/${index}/failAttempts`,
          message: `failAttempts (${step.failAttempts}) exceeds retries (${step.retries ?? 0}); use "fail" for a step that always fails`,
        });
      }
      const templates: Array<[string, TemplateValue | undefined]> = [
        ["template", step.template],
        ["tools/template", step.tools?.template],
        ...(step.tools?.calls ?? []).map((call, i): [string, TemplateValue | undefined] => [`tools/calls/${i}/arguments`, call.arguments]),
      ];
      const earlier = steps.slice(0, index).map((earlierStep) => earlierStep.id);
      for (const [field, template] of templates) {
        if (template === undefined) continue;
        const pointer = `${base}/steps/${index}/${field}`;
        for (const filter of unknownFilters(template)) problems.push({ file, pointer, message: `unknown template filter "${filter}"` });
        for (const message of unknownVariables(template, earlier)) problems.push({ file, pointer, message });
      }
      const rounds = step.tools?.rounds ?? 1;
      const limit = flow.toolIterationLimit ?? 10;
      if (step.tools && rounds > limit) {
        problems.push({ file, pointer: `${base}/steps/${index}/tools/rounds`, message: `rounds (${rounds}) exceeds toolIterationLimit (${limit})` });
      }
    });
  };
  checkSteps(flow.draft.steps, "/draft");
  const versions = new Set<number>();
  (flow.versions ?? []).forEach((version, index) => {
    if (versions.has(version.version)) problems.push({ file, pointer: `/versions/${index}/version`, message: `duplicate version ${version.version}` });
    versions.add(version.version);
    checkSteps(version.steps, `/versions/${index}`);
  });
  if (flow.production !== undefined && !versions.has(flow.production)) {
    problems.push({ file, pointer: "/production", message: `version ${flow.production} is not among the published versions` });
  }
  return problems;
}

function dedupe(problems: FlowProblem[]): FlowProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
