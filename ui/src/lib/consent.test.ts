// @vitest-environment node
import { describe, expect, it } from "vitest";
import { CONSENT_STATES, stepConsentState } from "./consent";

describe("the consent preview switch", () => {
  it("offers Synapse's three states in order", () => {
    expect(CONSENT_STATES.map((s) => s.label)).toEqual(["Public", "Not yet accepted", "Accepted"]);
  });

  it("moves with the arrow keys, wrapping, and to the ends with Home and End", () => {
    expect(stepConsentState("public", "ArrowRight")).toBe("not-accepted");
    expect(stepConsentState("not-accepted", "ArrowDown")).toBe("accepted");
    expect(stepConsentState("accepted", "ArrowRight")).toBe("public");
    expect(stepConsentState("public", "ArrowLeft")).toBe("accepted");
    expect(stepConsentState("accepted", "ArrowUp")).toBe("not-accepted");
    expect(stepConsentState("not-accepted", "Home")).toBe("public");
    expect(stepConsentState("public", "End")).toBe("accepted");
    expect(stepConsentState("public", "Enter")).toBeNull();
    expect(stepConsentState("public", "a")).toBeNull();
  });
});
