// The preview pipeline on its own: what a change fans out to, the app's render alone, and the web
// view's engine showing a keystroke first, kept while the app agrees and dropped when it differs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACME, type Deferred, deferred, fakeRender, TEMPLATE } from "../test/fixtures";
import type { ConsentState } from "./bindings/ConsentState";
import type { FamilyProblems } from "./bindings/FamilyProblems";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { TenantFile } from "./bindings/TenantFile";
import type { LocalEngine } from "./engine";
import { PreviewPipeline } from "./previewPipeline.svelte";

type Answer = { tenant: TenantFile; consent?: ConsentState; reply: Deferred<RenderedNotice> };

function harness(template: OpenedTemplate = structuredClone(TEMPLATE), engine?: LocalEngine) {
  const state = { template, tenant: structuredClone(ACME) };
  const answers: Answer[] = [];
  const backend = {
    renderPreview: vi.fn((tenant: TenantFile, consent?: ConsentState) => {
      const reply = deferred<RenderedNotice>();
      answers.push({ tenant, consent, reply });
      return reply.promise;
    }),
    familyProblems: vi.fn(
      async (_t: TenantFile): Promise<FamilyProblems[]> => [
        { path: "/a.md", errors: 1, warnings: 0 },
      ],
    ),
  };
  const inputs = {
    template: () => state.template,
    tenant: () => state.tenant,
    tenantPath: () => "/home/am/acme.json",
    changed: vi.fn(),
    refreshApproval: vi.fn(),
    renderFailed: vi.fn(),
  };
  const pipeline = new PreviewPipeline(backend, inputs, engine ? async () => engine : null);
  return {
    state,
    answers,
    backend,
    inputs,
    pipeline,
    /** Answers every request still open as the app would. */
    answerAll(render = fakeRender) {
      for (const a of answers.splice(0)) a.reply.resolve(render(a.tenant));
    },
  };
}

/** An engine that renders as the app does (or, with `differ`, one word off). */
function fakeEngine(tenant: () => TenantFile, differ = false) {
  return {
    usable: true,
    open: vi.fn(),
    renderJson: vi.fn((values: TenantFile["values"]) => {
      const r = fakeRender({ ...tenant(), values });
      if (differ) r.body_html = r.body_html.replace("<", "<!-- engine -->&lt;");
      return JSON.stringify(r);
    }),
  };
}

const withPreview = (): OpenedTemplate => ({
  ...structuredClone(TEMPLATE),
  preview: { path: "/t.md", source: "", sibling_keys: [] },
});

afterEach(() => vi.restoreAllMocks());

describe("the preview pipeline", () => {
  it("fans a change out to the pages, the render and the approval status, and shows the app's answer", async () => {
    const h = harness();
    const seq = h.pipeline.render();
    expect(h.inputs.changed).toHaveBeenCalledOnce();
    expect(h.backend.renderPreview).toHaveBeenCalledWith(h.state.tenant);
    expect(h.inputs.refreshApproval).toHaveBeenCalledWith(h.state.tenant, "/home/am/acme.json");
    expect(h.backend.familyProblems).not.toHaveBeenCalled(); // one document: no tabs to count
    h.answerAll();
    await vi.waitFor(() => expect(h.pipeline.renderedSeq).toBe(seq));
    expect(h.pipeline.rendered?.values).toEqual(fakeRender(h.state.tenant).values);
    expect(h.pipeline.document?.seq).toBe(seq);
  });

  it("never goes back to an older answer", async () => {
    const h = harness();
    h.pipeline.render();
    h.state.tenant = { ...h.state.tenant, values: { hhs_name: "newer" } };
    const newer = h.pipeline.render();
    const [older, latest] = h.answers.splice(0);
    latest.reply.resolve(fakeRender(latest.tenant));
    await vi.waitFor(() => expect(h.pipeline.renderedSeq).toBe(newer));
    older.reply.resolve(fakeRender(older.tenant));
    await new Promise((r) => setTimeout(r, 10));
    expect(h.pipeline.renderedSeq).toBe(newer);
    expect(h.pipeline.rendered?.values.hhs_name).toBe("newer");
  });

  it("reports a failed render", async () => {
    const h = harness();
    h.pipeline.render();
    h.answers[0].reply.reject({ kind: "io", message: "gone", diagnostics: [] });
    await vi.waitFor(() => expect(h.inputs.renderFailed).toHaveBeenCalledOnce());
    expect(h.pipeline.rendered).toBeNull();
  });

  it("counts a family's problems for its tabs, and forgets them for a single document", async () => {
    const family = structuredClone(TEMPLATE);
    family.family = [
      { path: "/a.md", name: "A", version: "1" },
      { path: "/b.md", name: "B", version: "1" },
    ];
    const h = harness(family);
    h.pipeline.render();
    await vi.waitFor(() => expect(h.pipeline.familyProblems).toHaveLength(1));
    h.state.template = structuredClone(TEMPLATE);
    h.pipeline.render();
    expect(h.pipeline.familyProblems).toEqual([]);
  });

  it("renders a consent page as Synapse serves it to the visitor chosen", () => {
    const h = harness({ ...structuredClone(TEMPLATE), consent: true });
    h.pipeline.render();
    expect(h.answers[0].consent).toBe("not-accepted");
    h.pipeline.showConsentState("not-accepted"); // unchanged: nothing to do
    expect(h.answers).toHaveLength(1);
    h.pipeline.showConsentState("accepted");
    expect(h.answers[1].consent).toBe("accepted");
  });
});

describe("the web view's engine", () => {
  /** A pipeline whose engine has loaded and opened the template. */
  async function local(differ = false) {
    let tenant = () => structuredClone(ACME);
    const engine = fakeEngine(() => tenant(), differ);
    const h = harness(withPreview(), engine as unknown as LocalEngine);
    tenant = () => h.state.tenant;
    const first = h.pipeline.render();
    h.answerAll();
    await vi.waitFor(() => expect(h.pipeline.renderedSeq).toBe(first));
    expect(h.pipeline.local).toBe(false); // the app renders until the window is up
    h.pipeline.patched(first);
    expect(h.pipeline.ready).toBe(true);
    await vi.waitFor(() => expect(h.pipeline.local).toBe(true));
    expect(engine.open).toHaveBeenCalledOnce();
    return { ...h, engine };
  }

  it("shows a keystroke at once and keeps it while the app agrees", async () => {
    const h = await local();
    h.state.tenant = { ...h.state.tenant, values: { ...h.state.tenant.values, hhs_name: "x" } };
    const seq = h.pipeline.render(true);
    expect(h.pipeline.document?.seq).toBe(seq); // before the app has answered
    expect(h.pipeline.document?.render.values.hhs_name).toBe("x");
    await vi.waitFor(() => expect(h.answers).toHaveLength(1)); // asked after the paint
    const shown = h.pipeline.document;
    h.answerAll();
    await vi.waitFor(() => expect(h.pipeline.renderedSeq).toBe(seq));
    expect(h.pipeline.document).toBe(shown); // the app's same answer is not shown again
    expect(h.pipeline.local).toBe(true);
  });

  it("shows the app's render where the two differ, and stops using the engine", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const h = await local(true);
    const seq = h.pipeline.render(true);
    await vi.waitFor(() => expect(h.answers).toHaveLength(1));
    h.answerAll();
    await vi.waitFor(() => expect(h.pipeline.local).toBe(false));
    expect(h.pipeline.document?.render.body_html).toBe(fakeRender(h.state.tenant).body_html);
    expect(h.pipeline.renderedSeq).toBe(seq);
    expect(error).toHaveBeenCalledOnce();
    const engineRenders = h.engine.renderJson.mock.calls.length;
    h.pipeline.render(true);
    expect(h.engine.renderJson).toHaveBeenCalledTimes(engineRenders);
    expect(h.backend.renderPreview).toHaveBeenCalledTimes(3); // straight to the app again
  });
});
