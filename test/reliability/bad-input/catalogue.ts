import type { BadInput } from "./case.js";
import { CLIENT_CASES } from "./client-cases.js";
import { IDENTIFIER_CASES } from "./identifier-cases.js";
import { OPTION_CASES } from "./option-cases.js";
import { TOOL_CASES } from "./tool-cases.js";

/** Every bad input the suite tries. */
export const BAD_INPUTS: readonly BadInput[] = [...IDENTIFIER_CASES, ...OPTION_CASES, ...TOOL_CASES, ...CLIENT_CASES];
