// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Deferred, deferred } from "../test/fixtures";
import type { PagePreview } from "./bindings/PagePreview";
import { type PageRequest, PagesView } from "./pages.svelte";

const settings = { paper: "a4" as const, standards: ["ua-1" as const] };

function harness() {
  let value = "a";
  const answers: Deferred<PagePreview>[] = [];
  const fetch = vi.fn((_req: PageRequest) => {
    const d = deferred<PagePreview>();
    answers.push(d);
    return d.promise;
  });
  const view = new PagesView(
    () => ({ tenant: { format: 1, tenant: "A", values: { v: value } }, settings }),
    fetch,
    300,
  );
  return {
    view,
    fetch,
    answers,
    type(v: string) {
      value = v;
      view.changed();
    },
    sent: () => fetch.mock.calls.map((c) => c[0].tenant.values.v),
  };
}

const page = (label: string): PagePreview => ({ pages: [label], draft: false, millis: 1 });

async function settle() {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PagesView", () => {
  it("typesets once, 300 ms after the last keystroke", async () => {
    const h = harness();
    h.view.setVisible(true);
    h.answers[0].resolve(page("first"));
    await settle();
    expect(h.fetch).toHaveBeenCalledTimes(1);

    for (const v of ["b", "bc", "bcd", "bcde"]) {
      h.type(v);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(h.fetch).toHaveBeenCalledTimes(1);
    expect(h.view.updating).toBe(true); // a refresh is due
    await vi.advanceTimersByTimeAsync(199);
    expect(h.fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sent()).toEqual(["a", "bcde"]);
    expect(h.view.updating).toBe(true); // in flight
    h.answers[1].resolve(page("bcde"));
    await settle();
    expect(h.view.result?.pages).toEqual(["bcde"]);
    expect(h.view.updating).toBe(false);
  });

  it("asks for nothing while hidden, and refreshes on show only when something changed", async () => {
    const h = harness();
    h.type("b");
    h.type("bc");
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.fetch).not.toHaveBeenCalled();

    h.view.setVisible(true); // shown: at once, no debounce
    expect(h.sent()).toEqual(["bc"]);
    h.answers[0].resolve(page("bc"));
    await settle();

    h.view.setVisible(false);
    h.view.setVisible(true); // nothing changed meanwhile
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.fetch).toHaveBeenCalledTimes(1);

    h.type("bcd"); // hidden before the debounce fires: the refresh waits for the next show
    await vi.advanceTimersByTimeAsync(100);
    h.view.setVisible(false);
    expect(h.view.updating).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.fetch).toHaveBeenCalledTimes(1);
    h.view.setVisible(true);
    expect(h.sent()).toEqual(["bc", "bcd"]);
  });

  it("drops an answer that arrives after a newer one", async () => {
    const h = harness();
    h.view.setVisible(true);
    h.type("b");
    h.view.refresh();
    h.type("bc");
    h.view.refresh();
    expect(h.sent()).toEqual(["a", "b", "bc"]);
    h.answers[2].resolve(page("bc"));
    await settle();
    h.answers[0].resolve(page("a"));
    h.answers[1].resolve(page("b"));
    await settle();
    expect(h.view.result?.pages).toEqual(["bc"]);
    expect(h.view.updating).toBe(false);
  });

  it("an older answer does not replace a newer error; the next answer clears the error", async () => {
    const h = harness();
    h.view.setVisible(true); // 1
    h.type("b");
    h.view.refresh(); // 2
    h.answers[1].reject({ kind: "unrenderable", message: "font missing", diagnostics: [] });
    await settle();
    expect(h.view.error?.message).toBe("font missing");
    expect(h.view.updating).toBe(false);
    h.answers[0].resolve(page("a")); // older than the error
    await settle();
    expect(h.view.result).toBeNull();
    expect(h.view.error?.message).toBe("font missing");

    h.type("bc");
    h.view.refresh(); // 3
    h.answers[2].resolve(page("bc"));
    await settle();
    expect(h.view.error).toBeNull();
    expect(h.view.result?.pages).toEqual(["bc"]);
  });

  it("a settings change refreshes at once; dispose cancels a pending refresh", async () => {
    const h = harness();
    h.view.setVisible(true);
    h.view.changed(true);
    expect(h.fetch).toHaveBeenCalledTimes(2);
    h.type("b");
    h.view.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.fetch).toHaveBeenCalledTimes(2);
  });
});
