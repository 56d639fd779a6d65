// @vitest-environment node
// Messages on their own: the error banner says what failed, a toast passes, and a question waits
// for its answer (a newer question cancels the one still open).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Messages } from "./messages.svelte";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("messages", () => {
  it("shows an error as a sentence with its diagnostics, until dismissed", () => {
    const m = new Messages();
    const diagnostics = [{ severity: "error" as const, code: "unknown-field", message: "Broken" }];
    m.showError("save", { kind: "io", message: "disk full", path: "/a.json", diagnostics });
    expect(m.error?.text).toContain("Could not save");
    expect(m.error?.text).toContain("disk full");
    expect(m.error?.diagnostics).toEqual(diagnostics);
    m.dismissError();
    expect(m.error).toBeNull();
  });

  it("a toast passes after its time; a newer one replaces it and starts the clock again", () => {
    const m = new Messages();
    m.notify("Saved");
    expect(m.toast).toMatchObject({ text: "Saved", tone: "success" });
    vi.advanceTimersByTime(4000);
    m.notify("Reloaded", "info", 2000);
    const id = m.toast?.id;
    vi.advanceTimersByTime(1500);
    expect(m.toast).toMatchObject({ id, text: "Reloaded", tone: "info" });
    vi.advanceTimersByTime(600);
    expect(m.toast).toBeNull();
    m.notify("Again");
    m.dismissToast();
    expect(m.toast).toBeNull();
  });

  it("a question resolves with its answer, and a newer one cancels it", async () => {
    const m = new Messages();
    const first = m.ask({ title: "Save?", message: "Unsaved" });
    expect(m.confirm?.title).toBe("Save?");
    const second = m.ask({ title: "Delete?", message: "Gone", danger: true });
    await expect(first).resolves.toBe("cancel");
    expect(m.confirm?.title).toBe("Delete?");
    m.answer("save");
    await expect(second).resolves.toBe("save");
    expect(m.confirm).toBeNull();
  });
});
