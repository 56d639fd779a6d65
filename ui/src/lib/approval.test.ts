// @vitest-environment node
import { describe, expect, it } from "vitest";
import { describeApproval, formatDay } from "./approval.svelte";

const jane = { name: "Jane", email: "jane@example.org" };

describe("describeApproval", () => {
  it("reads each status with its tone", () => {
    expect(
      describeApproval({
        state: "approved",
        reviewer: jane,
        approved_at: "2026-11-27T10:00:00Z",
        version: "1.2.0",
      }),
    ).toMatchObject({ label: "Approved by Jane on 27 Nov 2026", tone: "ok" });
    const changed = describeApproval({
      state: "changed",
      reviewer: jane,
      approved_at: "2026-11-27T10:00:00Z",
      reasons: ["the value of `x` changed", "the template changed from version 1 to 2"],
      fields: ["x"],
    });
    expect(changed.tone).toBe("warn");
    expect(changed.detail).toContain("the value of `x` changed; the template changed");
    expect(
      describeApproval({
        state: "untrusted",
        reviewer: jane,
        approved_at: "",
        fingerprint: "SHA256:ab",
      }),
    ).toMatchObject({ label: "Signed by a key that is not trusted", tone: "bad" });
    expect(describeApproval({ state: "invalid", reason: "edited" }).tone).toBe("bad");
  });

  it("says when the workspace requires an approval", () => {
    expect(describeApproval({ state: "not-approved" }).tone).toBe("none");
    expect(describeApproval({ state: "not-approved" }, true)).toMatchObject({
      label: "Not approved (required for export)",
      tone: "warn",
    });
  });
});

describe("formatDay", () => {
  it("shows the approval's own date", () => {
    expect(formatDay("2026-01-05T23:30:00-05:00")).toBe("5 Jan 2026");
    expect(formatDay("not a date")).toBe("not a date");
  });
});
