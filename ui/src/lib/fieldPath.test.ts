// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./bindings/Diagnostic";
import {
  diagnosticsWithin,
  formatPath,
  isWithin,
  keyPath,
  parsePath,
  rowPath,
  selfAndParents,
} from "./fieldPath";

describe("paths", () => {
  it("parse and format back", () => {
    expect(parsePath("subprocessors[1].name")).toEqual(["subprocessors", 1, "name"]);
    expect(parsePath("company.address.city")).toEqual(["company", "address", "city"]);
    expect(parsePath("m[0][2]")).toEqual(["m", 0, 2]);
    for (const p of ["subprocessors[1].name", "company.name", "m[0][2]", "x"]) {
      expect(formatPath(parsePath(p))).toBe(p);
    }
    expect(keyPath(rowPath("subprocessors", 2), "purpose")).toBe("subprocessors[2].purpose");
  });

  it("a malformed path is one key", () => {
    expect(parsePath("a..b")).toEqual(["a..b"]);
    expect(parsePath("a[x]")).toEqual(["a[x]"]);
    expect(parsePath("a.")).toEqual(["a."]);
  });

  it("isWithin tells rows apart: row 1 is not row 10", () => {
    expect(isWithin("s[1].name", "s[1]")).toBe(true);
    expect(isWithin("s[1]", "s[1]")).toBe(true);
    expect(isWithin("s[10].name", "s[1]")).toBe(false);
    expect(isWithin("sx[1]", "s")).toBe(false);
    expect(isWithin(undefined, "s")).toBe(false);
  });

  it("selfAndParents lists the path up to its field", () => {
    expect(selfAndParents("s[1].name")).toEqual(["s[1].name", "s[1]", "s"]);
  });

  it("diagnosticsWithin keeps a field's problems inside a row", () => {
    const d = (field: string, field_path?: string): Diagnostic => ({
      severity: "error",
      code: "invalid-value",
      message: `${field} ${field_path}`,
      field,
      field_path,
    });
    const all = [d("s", "s[1].name"), d("s", "s[10].name"), d("s"), d("t", "t[1]")];
    expect(diagnosticsWithin(all, "s", "s[1]").map((x) => x.field_path)).toEqual(["s[1].name"]);
  });
});
