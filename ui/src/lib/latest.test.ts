import { describe, expect, it, vi } from "vitest";
import { deferred } from "../test/fixtures";
import { LatestOnly } from "./latest";

describe("LatestOnly", () => {
  it("drops an answer that arrives after a newer one was shown", async () => {
    const pending = [deferred<string>(), deferred<string>(), deferred<string>()];
    let i = 0;
    const shown = vi.fn();
    const q = new LatestOnly((_: string) => pending[i++].promise, shown);
    expect(q.request("a")).toBe(1);
    expect(q.request("ab")).toBe(2);
    expect(q.request("abc")).toBe(3);
    pending[1].resolve("R2");
    await Promise.resolve();
    await Promise.resolve();
    pending[0].resolve("R1"); // stale: 2 is already shown
    pending[2].resolve("R3");
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.mock.calls).toEqual([
      ["R2", 2],
      ["R3", 3],
    ]);
    expect(q.lastShown).toBe(3);
  });

  it("reports errors of current requests only", async () => {
    const a = deferred<string>();
    const b = deferred<string>();
    const calls = [a, b];
    let i = 0;
    const onError = vi.fn();
    const q = new LatestOnly((_: number) => calls[i++].promise, vi.fn(), onError);
    q.request(1);
    q.request(2);
    b.resolve("ok");
    await new Promise((r) => setTimeout(r, 0));
    a.reject(new Error("late"));
    await new Promise((r) => setTimeout(r, 0));
    expect(onError).not.toHaveBeenCalled();
  });
});

describe("LatestOnly with a later start", () => {
  it("numbers the request at once and runs it when told", async () => {
    const run = vi.fn(async (s: string) => s.toUpperCase());
    const shown = vi.fn();
    const q = new LatestOnly(run, shown);
    let start: (() => void) | undefined;
    expect(q.request("a", (go) => (start = go))).toBe(1);
    expect(q.nextSeq).toBe(2);
    expect(run).not.toHaveBeenCalled();
    start?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.mock.calls).toEqual([["A", 1]]);
  });
});

describe("afterPaint", () => {
  it("runs every callback of a frame once, in order, through one channel", async () => {
    const { afterPaint } = await import("./frames");
    const ran: number[] = [];
    afterPaint(() => ran.push(1));
    afterPaint(() => {
      ran.push(2);
      afterPaint(() => ran.push(4)); // asked for during the run: the next frame
    });
    afterPaint(() => ran.push(3));
    await vi.waitFor(() => expect(ran).toEqual([1, 2, 3, 4]));
  });
});
