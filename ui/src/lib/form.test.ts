import { describe, expect, it } from "vitest";
import { FIELDS } from "../test/fixtures";
import {
  derivedValue,
  fieldMessages,
  groupFields,
  inputFor,
  inputKind,
  isIdentifierType,
  OTHER_GROUP,
  placeholderFor,
  withValue,
} from "./form";

describe("groupFields", () => {
  it("groups in order of first appearance, keeps declaration order, puts ungrouped last under Other", () => {
    const groups = groupFields(FIELDS);
    expect(groups.map((g) => g.name)).toEqual([
      "Customer",
      "Hosted homeserver",
      "Extras",
      OTHER_GROUP,
    ]);
    expect(groups[0].fields.map((f) => f.name)).toEqual(["hhs_entity_name", "hhs_admin_email"]);
    expect(groups[1].fields.map((f) => f.name)).toEqual([
      "hhs_name",
      "our_server_fqdn",
      "their_server_name",
    ]);
    expect(groups[3].fields.map((f) => f.name)).toEqual(["notes", "effective"]);
  });

  it("has no Other group when every field has a group", () => {
    expect(groupFields(FIELDS.filter((f) => f.group)).map((g) => g.name)).not.toContain(
      OTHER_GROUP,
    );
  });
});

describe("inputKind", () => {
  it("maps every field type to an input", () => {
    expect(inputKind("text")).toBe("text");
    expect(inputKind("multiline")).toBe("textarea");
    expect(inputKind("email")).toBe("email");
    expect(inputKind("url")).toBe("url");
    expect(inputKind("date")).toBe("date");
    expect(inputKind("bool")).toBe("checkbox");
    expect(inputKind("choice")).toBe("select");
    expect(inputKind("hostname")).toBe("text");
    expect(inputKind("matrix_server_name")).toBe("text");
    expect(isIdentifierType("hostname")).toBe(true);
    expect(isIdentifierType("matrix_server_name")).toBe(true);
    expect(isIdentifierType("text")).toBe(false);
  });
});

describe("placeholders and defaults", () => {
  const fqdn = FIELDS[3];
  it("uses the example as 'e.g.' placeholder", () => {
    expect(placeholderFor(fqdn)).toBe("e.g. acme.ems.host");
  });
  it("shows the derived value instead when the default applies", () => {
    const d = derivedValue("their_server_name", ["their_server_name"], {
      their_server_name: "acme.ems.host",
    });
    expect(d).toBe("acme.ems.host");
    expect(placeholderFor(FIELDS[4], d)).toBe("acme.ems.host");
  });
  it("has no derived value when the field is not derived", () => {
    expect(derivedValue("hhs_name", ["their_server_name"], { hhs_name: "acme" })).toBeUndefined();
  });
});

describe("withValue", () => {
  it("sets a value without mutating the original", () => {
    const before = { a: "1" };
    const after = withValue(before, "b", "2");
    expect(after).toEqual({ a: "1", b: "2" });
    expect(before).toEqual({ a: "1" });
  });
  it("removes the key when cleared, so the default applies again", () => {
    expect(withValue({ a: "1", b: "2" }, "b", "")).toEqual({ a: "1" });
  });
  it("keeps false for booleans", () => {
    expect(withValue({}, "flag", false)).toEqual({ flag: false });
  });
});

describe("fieldMessages", () => {
  it("returns only the inline codes for that field", () => {
    const msgs = fieldMessages(
      [
        { severity: "error", code: "invalid-value", message: "bad", field: "x" },
        { severity: "error", code: "unfilled-placeholder", message: "empty", field: "x" },
        { severity: "warning", code: "unsafe-link", message: "link", field: "x" },
        { severity: "error", code: "invalid-value", message: "other", field: "y" },
      ],
      "x",
    );
    expect(msgs.map((m) => m.message)).toEqual(["bad", "link"]);
  });
});

describe("inputFor", () => {
  it("finds a cell by its path, a row by its first cell, else the field's own input", () => {
    document.body.innerHTML =
      '<div data-testid="preview"><span data-field="s" data-path="s[1].name">x</span></div>' +
      '<button id="field-s">Add row</button>' +
      '<input id="field-s[1].name" data-field="s" data-path="s[1].name">' +
      '<input id="field-s[1].purpose" data-field="s" data-path="s[1].purpose">';
    expect(inputFor(document, "s", "s[1].purpose")?.id).toBe("field-s[1].purpose");
    expect(inputFor(document, "s", "s[1]")?.id).toBe("field-s[1].name");
    expect(inputFor(document, "s", "s[4].name")?.id).toBe("field-s");
    expect(inputFor(document, "s")?.id).toBe("field-s");
    document.body.innerHTML = "";
  });
});
