// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { Field } from "./bindings/Field";
import {
  emptyItem,
  emptyValue,
  getAt,
  insertRow,
  isBlank,
  moveRow,
  numberText,
  numberValue,
  parseNumber,
  removeRow,
  rowSummary,
  setAt,
} from "./listValue";

function field(f: Partial<Field> & Pick<Field, "name" | "type">): Field {
  return { label: f.name, required: true, origin: "declared", uses: 1, ...f };
}

const ITEM = field({
  name: "item",
  type: "group",
  fields: [
    field({ name: "name", type: "text" }),
    field({ name: "purpose", type: "text" }),
    field({ name: "location", type: "text", default: "EU" }),
  ],
});
const SUBPROCESSORS = field({ name: "subprocessors", type: "list", item: ITEM });

describe("setAt and getAt", () => {
  const list = [{ name: "AWS" }, { name: "Cloudflare", purpose: "CDN" }];

  it("reads inside lists and records", () => {
    expect(getAt(list, [1, "purpose"])).toBe("CDN");
    expect(getAt(list, [2, "purpose"])).toBeUndefined();
    expect(getAt("text", [0])).toBeUndefined();
  });

  it("sets a copy, leaving the original as it was", () => {
    const next = setAt(list, [0, "purpose"], "Hosting");
    expect(next).toEqual([{ name: "AWS", purpose: "Hosting" }, list[1]]);
    expect(list[0]).toEqual({ name: "AWS" });
  });

  it("creates what is missing on the way, and never leaves holes in a list", () => {
    expect(setAt(undefined, ["company", "name"], "Acme")).toEqual({ company: { name: "Acme" } });
    expect(setAt([], [5], "x")).toEqual(["x"]);
    expect(setAt({ a: 1 }, [], "whole")).toBe("whole");
  });
});

describe("rows", () => {
  const abc = ["a", "b", "c"];

  it("insertRow puts a row before an index, at the end when past it", () => {
    expect(insertRow(abc, 1, "x")).toEqual(["a", "x", "b", "c"]);
    expect(insertRow(abc, 9, "x")).toEqual(["a", "b", "c", "x"]);
    expect(abc).toEqual(["a", "b", "c"]);
  });

  it("removeRow drops one row", () => {
    expect(removeRow(abc, 1)).toEqual(["a", "c"]);
    expect(removeRow(abc, 7)).toEqual(abc);
  });

  it("moveRow moves a row up and down, clamped to the list", () => {
    expect(moveRow(abc, 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveRow(abc, 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveRow(abc, 2, 5)).toEqual(abc);
    expect(moveRow(abc, 0, -1)).toEqual(abc);
    expect(moveRow(abc, 1, 1)).not.toBe(abc);
  });
});

describe("emptyItem", () => {
  it("is a record of fresh values for a list of records (plain defaults kept)", () => {
    expect(emptyItem(SUBPROCESSORS)).toEqual({ name: "", purpose: "", location: "EU" });
  });

  it("is empty text for a list of text, or of nothing declared", () => {
    expect(
      emptyItem(
        field({ name: "bridges", type: "list", item: field({ name: "item", type: "text" }) }),
      ),
    ).toBe("");
    expect(emptyItem(field({ name: "bridges", type: "list" }))).toBe("");
  });

  it("fresh values follow the type: no, an empty list, a number default", () => {
    expect(emptyValue(field({ name: "b", type: "bool" }))).toBe(false);
    expect(emptyValue(field({ name: "l", type: "list" }))).toEqual([]);
    expect(emptyValue(field({ name: "n", type: "number", default: "30" }))).toBe(30);
    expect(emptyValue(field({ name: "t", type: "text", default: "{{ a }}.b" }))).toBe("");
  });
});

describe("numbers", () => {
  it("stores a number when the text is one", () => {
    expect(numberValue("30")).toBe(30);
    expect(numberValue(" 2.5 ")).toBe(2.5);
    expect(numberValue("-1e3")).toBe(-1000);
  });

  it("stores the text itself when it is not a number, and nothing for no text", () => {
    expect(numberValue("thirty")).toBe("thirty");
    expect(numberValue("3 0")).toBe("3 0");
    expect(numberValue("")).toBe("");
    expect(parseNumber("0x10")).toBeNaN();
  });

  it("shows numbers and text as they are", () => {
    expect(numberText(30)).toBe("30");
    expect(numberText("thirty")).toBe("thirty");
    expect(numberText(undefined)).toBe("");
  });
});

describe("isBlank and rowSummary", () => {
  it("a record is blank when every value is", () => {
    expect(isBlank({ name: " ", purpose: "" })).toBe(true);
    expect(isBlank({ name: "AWS" })).toBe(false);
    expect(isBlank([])).toBe(true);
    expect(isBlank(0)).toBe(false);
    expect(isBlank(false)).toBe(false);
  });

  it("summarises a row by its declared fields, in their order", () => {
    const row = { location: "Ireland", name: "AWS", purpose: "Hosting" };
    expect(rowSummary(row, ITEM)).toBe("AWS, Hosting");
    expect(rowSummary({ name: "", purpose: "CDN" }, ITEM)).toBe("CDN");
    expect(rowSummary("Slack")).toBe("Slack");
  });
});
