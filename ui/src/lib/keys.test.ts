// @vitest-environment node
import { describe, expect, it } from "vitest";
import { commandFor } from "./keys";

const k = (
  key: string,
  mods: Partial<Record<"ctrlKey" | "shiftKey" | "metaKey" | "altKey", boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  shiftKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("commandFor", () => {
  it("maps the shortcuts", () => {
    expect(commandFor(k("o", { ctrlKey: true }))).toBe("open-tenant");
    expect(commandFor(k("s", { ctrlKey: true }))).toBe("save");
    expect(commandFor(k("S", { ctrlKey: true, shiftKey: true }))).toBe("save-as");
    expect(commandFor(k("e", { ctrlKey: true }))).toBe("export-html");
    expect(commandFor(k("E", { ctrlKey: true, shiftKey: true }))).toBe("export-pdf");
    expect(commandFor(k("E", { metaKey: true, shiftKey: true }))).toBe("export-pdf");
    expect(commandFor(k("s", { metaKey: true }))).toBe("save");
    expect(commandFor(k("F8"))).toBe("next-problem");
    expect(commandFor(k("F8", { shiftKey: true }))).toBe("previous-problem");
  });
  it("ignores plain typing", () => {
    expect(commandFor(k("s"))).toBeNull();
    expect(commandFor(k("e", { altKey: true, ctrlKey: true }))).toBeNull();
    expect(commandFor(k("E", { shiftKey: true }))).toBeNull();
  });
});
