// The live preview through the web view's engine (the real module, on the shipped seed): a
// keystroke is shown before the app answers, the app's answer is compared, and where the two
// ever differ the app's is shown and the web view's engine is no longer used.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { RenderedNotice } from "./lib/bindings/RenderedNotice";
import type { TenantFile } from "./lib/bindings/TenantFile";
import type { LocalEngine } from "./lib/engine";
import type { Studio } from "./lib/studio.svelte";
import { loadFromDisk, seedSource, seedValues } from "./test/engine";
import {
  type Deferred,
  deferred,
  fakeBackend,
  fakeRender,
  fakeWindow,
  opened,
  startup,
  TEMPLATE,
} from "./test/fixtures";

type Answer = { tenant: TenantFile; reply: Deferred<RenderedNotice> };

async function setup() {
  const start = startup({
    template: { ...structuredClone(TEMPLATE), preview: seedSource() },
    tenant: opened({ format: 1, tenant: "Acme", values: seedValues() }, "/home/am/acme.json"),
  });
  const backend = fakeBackend(start);
  const answers: Answer[] = [];
  backend.renderPreview.mockImplementation((tenant: TenantFile) => {
    const reply = deferred<RenderedNotice>();
    answers.push({ tenant, reply });
    return reply.promise;
  });
  let studio: Studio | undefined;
  render(App, {
    props: {
      backend,
      appWindow: fakeWindow(),
      autosaveMs: 60_000,
      loadEngine: loadFromDisk,
      onstudio: (s: Studio) => (studio = s),
    },
  });
  if (!studio) throw new Error("no studio");
  const s = studio;
  // The start-up render goes to the app alone (the engine loads once the window is up): answer
  // it as the app would.
  const reference: LocalEngine = await loadFromDisk();
  reference.open(seedSource());
  const native = (t: TenantFile) => reference.render(t.values);
  await waitFor(() => expect(answers.length).toBeGreaterThan(0));
  for (const a of answers.splice(0)) a.reply.resolve(native(a.tenant));
  // Compiling the WebAssembly engine takes a while on a loaded 2-core CI machine.
  await waitFor(() => expect(s.previewsLocally).toBe(true), { timeout: 15_000 });
  for (const a of answers.splice(0)) a.reply.resolve(native(a.tenant));
  return { studio: s, backend, answers, native };
}

function typeName(value: string) {
  const el = document.querySelector<HTMLInputElement>('input[data-field="hhs_entity_name"]');
  if (!el) throw new Error("no entity name input");
  fireEvent.input(el, { target: { value } });
}

function heading(): string {
  return screen.getByTestId("preview").querySelector("h1")?.textContent ?? "";
}

beforeEach(() => {
  localStorage.clear();
  window.__noticeReady = false;
  window.__noticeMetrics = { keystrokes: [], mismatches: 0 };
});
afterEach(() => cleanup());

describe("the live preview through the web view's engine", { timeout: 30_000 }, () => {
  it("shows a keystroke before the app answers, and keeps it when the app agrees", async () => {
    const { studio, answers, native } = await setup();
    typeName("Initech Holdings");
    await tick();
    expect(heading()).toContain("Initech Holdings");
    expect(answers).toHaveLength(0); // the app is asked once the frame is painted
    const shown = studio.document?.render;
    await waitFor(() => expect(answers).toHaveLength(1));
    answers[0].reply.resolve(native(answers[0].tenant));
    await new Promise((r) => setTimeout(r, 0));
    expect(studio.document?.render).toBe(shown); // the same render: nothing patched again
    expect(studio.rendered).toBe(shown); // and the rest followed the document
    expect(window.__noticeMetrics?.mismatches).toBe(0);
    expect(studio.previewsLocally).toBe(true);
  });

  it("where the app's render differs, shows the app's and stops using the web view's engine", async () => {
    const { studio, answers } = await setup();
    typeName("Initech Holdings");
    await tick();
    await waitFor(() => expect(answers).toHaveLength(1));
    const differs = fakeRender(answers[0].tenant);
    answers[0].reply.resolve(differs);
    await waitFor(() => expect(studio.rendered).toBe(differs));
    expect(window.__noticeMetrics?.mismatches).toBe(1);
    expect(studio.previewsLocally).toBe(false);
    // From now on every keystroke waits for the app.
    typeName("Globex");
    await tick();
    expect(heading()).not.toContain("Globex");
    await waitFor(() => expect(answers).toHaveLength(2));
  });

  it("an answer to an older keystroke never replaces a newer one on screen", async () => {
    const { studio, answers, native } = await setup();
    typeName("Init");
    await tick();
    typeName("Initech");
    await tick();
    const newest = studio.document?.render;
    await waitFor(() => expect(answers).toHaveLength(2));
    answers[0].reply.resolve(native(answers[0].tenant));
    await new Promise((r) => setTimeout(r, 0));
    expect(studio.document?.render).toBe(newest);
    expect(heading()).toContain("Initech");
    answers[1].reply.resolve(native(answers[1].tenant));
    await new Promise((r) => setTimeout(r, 0));
    expect(window.__noticeMetrics?.mismatches).toBe(0);
  });
});
