import type { BadInput } from "./case.js";

const slug = (text: string, shown: string): BadInput => ({
  input: `slug ${shown}`,
  run: (client) => client.flow(`acme/support/${text}`),
  expect: { error: "ValueError", names: /slug/ },
});

/** Identifiers that could add a path segment, start a query or a fragment, climb a level, or hide in a header. */
export const IDENTIFIER_CASES: BadInput[] = [
  { input: 'org "ac/me" (object form)', run: (client) => client.flow({ org: "ac/me", project: "support", slug: "triage" }), expect: { error: "ValueError", names: /org/ } },
  { input: 'project "sup?port"', run: (client) => client.flow("acme/sup?port/triage"), expect: { error: "ValueError", names: /project/ } },
  slug("tri#age", 'with "#"'),
  slug("tri%2Fage", 'with "%"'),
  slug("..", '".."'),
  slug(".", '"."'),
  slug("tri age", "with a space"),
  slug("tri\tage", "with a tab"),
  slug("tri\nage", "with a newline"),
  slug("tri\u0000age", "with a NUL"),
  slug("tri\u007fage", "with DEL"),
  slug("tri\u2028age", "with U+2028"),
  slug("tri\\age", "with a backslash"),
  { input: "slug empty (object form)", run: (client) => client.flow({ org: "acme", project: "support", slug: "" }), expect: { error: "ValueError", names: /slug/ } },
  { input: 'org default "a/b" at construction', run: (_client, make) => make({ org: "a/b", project: "support" }), expect: { error: "ValueError", names: /org/ } },
  { input: 'execution id "../etc" for a job', run: (client) => client.flow("acme/support/triage").job("../etc"), expect: { error: "ValueError", names: /executionId/ } },
  { input: 'execution id "a/b" for traces', run: (client) => client.flow("acme/support/triage").run("a/b"), expect: { error: "ValueError", names: /executionId/ } },
  { input: 'step id "a/b"', run: (client) => client.flow("acme/support/triage").run("run-1").stepTrace("a/b"), expect: { error: "ValueError", names: /stepId/ } },
  { input: 'step id "a?b"', run: (client) => client.flow("acme/support/triage").run("run-1").stepTrace("a?b"), expect: { error: "ValueError", names: /stepId/ } },
];
