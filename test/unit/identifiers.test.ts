import { describe, expect, it } from "vitest";
import { ValueError } from "../../src/core/errors.js";
import { parseFlowIdentifier } from "../../src/core/flow-ref.js";
import { checkIdentifier, identifierSegment } from "../../src/core/identifiers.js";
import { streamVersionSegment, versionSegment } from "../../src/core/versions.js";

const noDefaults = { org: null, project: null };

describe("identifiers", () => {
  it("encodes valid identifiers exactly as a URL parser does (the official clients' bytes)", () => {
    expect(parseFlowIdentifier({ org: "café", project: "proj", slug: "s[1]|{x}" }, noDefaults).basePath).toBe(
      "/seq/caf%C3%A9/proj/s[1]|%7Bx%7D",
    );
    expect(identifierSegment("exec-1", "executionId")).toBe("exec-1");
    expect(identifierSegment('a"b<c>`d', "slug")).toBe("a%22b%3Cc%3E%60d");
  });

  it.each([
    ["a/b", '"/"'],
    ["a?b", '"?"'],
    ["a#b", '"#"'],
    ["a%41b", '"%"'],
    ["a\\b", '"\\"'],
    ["..", '".."'],
    [".", '"."'],
    ["a b", "whitespace"],
    ["a\tb", "whitespace"],
    ["a\u0000b", "control"],
    ["a\u007fb", "control"],
    ["", "empty"],
  ])("refuses %j, naming the problem", (value, problem) => {
    expect(() => checkIdentifier(value, "slug")).toThrow(ValueError);
    expect(() => checkIdentifier(value, "slug")).toThrow(new RegExp(`slug.*${problem.replace(/[\\"]/g, ".")}`));
  });

  it("parses the three forms of flow()", () => {
    const defaults = { org: "acme", project: "support" };
    expect(parseFlowIdentifier("triage", defaults)).toMatchObject({ org: "acme", project: "support", slug: "triage" });
    expect(parseFlowIdentifier("o/p/s", defaults)).toMatchObject({ org: "o", project: "p", slug: "s" });
    expect(parseFlowIdentifier({ slug: "s" }, defaults)).toMatchObject({ org: "acme", project: "support", slug: "s" });
    expect(parseFlowIdentifier({ org: "x", project: "y", slug: "s" }, defaults)).toMatchObject({ org: "x", project: "y" });
  });

  it("refuses a slug without defaults and malformed paths", () => {
    expect(() => parseFlowIdentifier("triage", noDefaults)).toThrow(/org and project defaults/);
    expect(() => parseFlowIdentifier("a/b", noDefaults)).toThrow(/2 parts/);
    expect(() => parseFlowIdentifier("a/b/c/d", noDefaults)).toThrow(/4 parts/);
    expect(() => parseFlowIdentifier("a//c", noDefaults)).toThrow(/project must not be empty/);
    expect(() => parseFlowIdentifier(42, noDefaults)).toThrow(ValueError);
  });
});

describe("versions", () => {
  it("maps production, draft and numbers to path segments", () => {
    expect(versionSegment(undefined)).toBe("");
    expect(versionSegment("production")).toBe("");
    expect(versionSegment("draft")).toBe("/v0");
    expect(versionSegment(0)).toBe("/v0");
    expect(versionSegment(3)).toBe("/v3");
  });

  it.each([-1, 1.5, Number.NaN, Infinity, "latest", "3", null, true])("refuses %j", (version) => {
    expect(() => versionSegment(version)).toThrow(ValueError);
  });

  it("refuses drafts on streams before asking the server", () => {
    expect(() => streamVersionSegment("draft")).toThrow(/cannot run the draft/);
    expect(streamVersionSegment(2)).toBe("/v2");
  });
});
