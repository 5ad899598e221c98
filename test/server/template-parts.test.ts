import { expect, it } from "vitest";
import { parseTemplate } from "../../src/server/engine/template-parts.js";
// The backtracking pattern the scanner replaced: same parts, without its cubic time on `{{` and spaces.
const OLD = /\{\{\s*([^{}|]+?)\s*((?:\|\s*[A-Za-z]+\s*)*)\}\}/g;
function oldParse(template: string) {
  const parts: unknown[] = []; let last = 0;
  for (const match of template.matchAll(OLD)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const filters = (match[2] ?? "").split("|").map((f) => f.trim()).filter(Boolean);
    parts.push({ path: (match[1] ?? "").split("."), filters });
    last = match.index + match[0].length;
  }
  if (last < template.length || parts.length === 0) parts.push(template.slice(last));
  return parts;
}
it("splits templates as the pattern it replaced did, in linear time on any input", () => {
  const cases = ["", "plain", "{{message}}", "a {{ message | upper }} b", "{{a}}{{b.c}}", "{{{x}}}", "{{a}b}}", "{{a|}}", "{{a | up per}}", "{{ }}", "{{a|b|c}}", "x {{ a.b | upper | lastWord }} y {{c}}", "{{a{{b}}", "}}{{a}}", "{{a", "{{a | 1}}", "{{message | lastWord}}", "{{ a . b }}", "{{a }} {{ b}}"];
  for (const c of cases) expect([c, parseTemplate(c)]).toEqual([c, oldParse(c)]);
  for (const s of ["{{" + " ".repeat(1_000_000) + "x", "{{".repeat(500_000) + "}}", "{{a".repeat(300_000), "}}".repeat(500_000)]) {
    const t = Date.now(); parseTemplate(s); expect(Date.now() - t).toBeLessThan(500);
  }
});
