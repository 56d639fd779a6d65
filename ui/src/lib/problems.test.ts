import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./bindings/Diagnostic";
import {
  blockForLine,
  countBySeverity,
  gutterMarks,
  mapsToPreview,
  mergeProblems,
  parseSourcepos,
  rowKeys,
  sortProblems,
  stepIndex,
  whereText,
} from "./problems";

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: "warning",
  code: "syntax",
  message: "m",
  ...over,
});

describe("sortProblems", () => {
  it("orders by severity, then line (no line last), stable otherwise", () => {
    const list = [
      d({ severity: "info", line: 1, message: "i1" }),
      d({ severity: "warning", line: 9, message: "w9" }),
      d({ severity: "error", message: "e-noline" }),
      d({ severity: "error", line: 5, message: "e5" }),
      d({ severity: "warning", line: 2, message: "w2" }),
    ];
    expect(sortProblems(list).map((x) => x.message)).toEqual(["e5", "e-noline", "w2", "w9", "i1"]);
  });
});

describe("counts and merging", () => {
  it("counts by severity", () => {
    expect(
      countBySeverity([
        d({ severity: "error" }),
        d({ severity: "error" }),
        d({ severity: "info" }),
      ]),
    ).toEqual({ errors: 2, warnings: 0, infos: 1 });
  });
  it("drops exact duplicates when merging", () => {
    const a = d({ message: "same", line: 3 });
    expect(mergeProblems([a], [{ ...a }, d({ message: "other" })])).toHaveLength(2);
  });
});

describe("stepIndex", () => {
  it("walks forward and wraps", () => {
    expect(stepIndex(-1, 3, 1)).toBe(0);
    expect(stepIndex(0, 3, 1)).toBe(1);
    expect(stepIndex(2, 3, 1)).toBe(0);
  });
  it("walks backward and wraps", () => {
    expect(stepIndex(-1, 3, -1)).toBe(2);
    expect(stepIndex(0, 3, -1)).toBe(2);
    expect(stepIndex(2, 3, -1)).toBe(1);
  });
  it("returns -1 for an empty list", () => {
    expect(stepIndex(-1, 0, 1)).toBe(-1);
  });
});

describe("sourcepos mapping", () => {
  it("parses comrak sourcepos", () => {
    expect(parseSourcepos("14:1-16:90")).toEqual({ start: 14, end: 16 });
    expect(parseSourcepos("garbage")).toBeNull();
    expect(parseSourcepos(null)).toBeNull();
  });

  function doc(): HTMLElement {
    const root = document.createElement("div");
    root.innerHTML = `
      <h1 data-sourcepos="6:1-6:80">T</h1>
      <p data-sourcepos="14:1-16:90">P</p>
      <ul data-sourcepos="24:1-26:10"><li data-sourcepos="24:1-24:30">a</li><li data-sourcepos="25:1-26:10">b</li></ul>`;
    return root;
  }

  it("finds the innermost block containing a line", () => {
    const root = doc();
    expect(blockForLine(root, 15)?.tagName).toBe("P");
    expect(blockForLine(root, 25)?.textContent).toBe("b");
  });
  it("falls back to the next block, then the last", () => {
    const root = doc();
    expect(blockForLine(root, 10)?.tagName).toBe("P");
    expect(blockForLine(root, 99)?.textContent).toBe("b");
  });
  it("assigns problems to top-level blocks for the gutter", () => {
    const root = doc();
    const marks = gutterMarks(root, [
      d({ line: 25, severity: "error" }),
      d({ line: 15 }),
      d({ line: 15, path: "acme.json" }), // tenant file lines do not map
      d({ message: "no line" }),
    ]);
    expect(marks.map((m) => [m.el.tagName, m.problems.length])).toEqual([
      ["UL", 1],
      ["P", 1],
    ]);
  });
  it("knows which problems map onto the preview", () => {
    expect(mapsToPreview(d({ line: 3, path: "/t/privacy_notice.md" }))).toBe(true);
    expect(mapsToPreview(d({ line: 3 }))).toBe(true);
    expect(mapsToPreview(d({ line: 3, path: "/t/privacy_notice.fields.yaml" }))).toBe(false);
    expect(mapsToPreview(d({}))).toBe(false);
  });

  it("says where a problem is, after its message", () => {
    expect(whereText({ line: 3 })).toBe(" (line 3)");
    expect(whereText({ line: 3, column: 5 })).toBe(" (line 3, column 5)");
    expect(whereText({})).toBe("");
  });
});

describe("rowKeys", () => {
  it("keeps a problem's key while its message quotes a changing value", () => {
    const before = d({ code: "title-mismatch", line: 6, column: 1, message: "title “Acme”" });
    const after = { ...before, message: "title “Acme Ltd”" };
    expect(rowKeys([before])).toEqual(rowKeys([after]));
  });

  it("tells apart problems alike but for their message, by order", () => {
    const a = d({ code: "unknown-field", message: "x" });
    const b = d({ code: "unknown-field", message: "y" });
    const keys = rowKeys([a, b]);
    expect(new Set(keys).size).toBe(2);
  });
});
