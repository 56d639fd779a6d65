// @vitest-environment node
import { describe, expect, it } from "vitest";
import { isDirty, tenantFingerprint, windowTitle, workingState } from "./session";

describe("windowTitle", () => {
  it("shows tenant, template file and app, with a bullet when dirty", () => {
    const t = { tenantName: "Acme Corporation", templatePath: "/x/privacy_notice.md" };
    expect(windowTitle({ ...t, dirty: true })).toBe(
      "\u2022 Acme Corporation \u2014 privacy_notice.md \u2014 Notice Studio",
    );
    expect(windowTitle({ ...t, dirty: false })).toBe(
      "Acme Corporation \u2014 privacy_notice.md \u2014 Notice Studio",
    );
  });
  it("names an unnamed tenant", () => {
    expect(windowTitle({ tenantName: " ", dirty: false })).toBe(
      "Untitled tenant \u2014 Notice Studio",
    );
  });
});

describe("dirty tracking", () => {
  const t = { format: 1, tenant: "A", values: { b: "2", a: "1" } };
  it("ignores key order", () => {
    const base = tenantFingerprint(t);
    expect(isDirty({ format: 1, tenant: "A", values: { a: "1", b: "2" } }, base)).toBe(false);
  });
  it("sees value and name changes", () => {
    const base = tenantFingerprint(t);
    expect(isDirty({ ...t, values: { ...t.values, a: "x" } }, base)).toBe(true);
    expect(isDirty({ ...t, tenant: "B" }, base)).toBe(true);
  });
  it("is always dirty without a baseline (restored work)", () => {
    expect(isDirty(t, null)).toBe(true);
  });
});

describe("workingState", () => {
  it("builds the autosave record", () => {
    const now = new Date("2025-01-02T03:04:05Z");
    const s = workingState({
      templatePath: "/t.md",
      tenant: { format: 1, tenant: "A", values: {} },
      dirty: true,
      now,
    });
    expect(s).toEqual({
      template_path: "/t.md",
      tenant: { format: 1, tenant: "A", values: {} },
      dirty: true,
      saved_at: "2025-01-02T03:04:05.000Z",
    });
    expect("tenant_path" in s).toBe(false);
  });
});
