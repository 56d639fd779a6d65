// The live preview's pipeline: every change fans out to the pages, the family's problem counts,
// the approval status and the render. A keystroke is rendered twice, by the web view's
// WebAssembly engine (shown in the keystroke's own frame) and by the app; the two must agree
// byte for byte, and at the first difference the web view's engine is dropped for good, so the
// preview is always what the app exports and signs.
import type { Backend } from "./backend";
import type { ConsentState } from "./bindings/ConsentState";
import type { FamilyProblems } from "./bindings/FamilyProblems";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { TenantFile } from "./bindings/TenantFile";
import type { LocalEngine } from "./engine";
import { afterPaint } from "./frames";
import { LatestOnly } from "./latest";
import { markKey, markMismatch, markPatched, markReady } from "./metrics";
import { plain } from "./snapshot.svelte";

/** What a render is made from, and who else hears of every change. */
export type PreviewInputs = {
  template(): OpenedTemplate | null;
  tenant(): TenantFile;
  tenantPath(): string | null;
  /** Told of every change before the render (the Pages view). */
  changed(): void;
  /** Told after the render was asked for, so the status never delays the preview. */
  refreshApproval(tenant: TenantFile, tenantPath: string | null): void;
  renderFailed(e: unknown): void;
};

export class PreviewPipeline {
  /** The render on screen; replaced whole (never changed in place), so not made deeply reactive. */
  rendered = $state.raw<RenderedNotice | null>(null);
  renderedSeq = $state(0);
  /**
   * The render the document shows. It runs ahead of `rendered` (the problems, the form's
   * messages, the column title) by one frame on a keystroke the web view's engine rendered: the
   * keystroke's frame then paints the field and the document only, and the rest follows in the
   * next frame.
   */
  document = $state.raw<{ render: RenderedNotice; seq: number } | null>(null);
  /** Problem counts of each document of the open family (its tabs' badges). */
  familyProblems = $state<FamilyProblems[]>([]);
  /** A consent page's preview: the page as Synapse serves it to this kind of visitor. */
  consentState = $state<ConsentState>("not-accepted");
  /** The first render was patched into the window. */
  ready = $state(false);

  private readonly renders: LatestOnly<TenantFile, RenderedNotice>;
  private readonly familyChecks: LatestOnly<TenantFile, FamilyProblems[]>;
  /** The web view's engine, once loaded; null until then, and for good after it failed. */
  private engine: LocalEngine | null = null;
  /** The template the engine has open (and the one it is about to open). */
  private engineOpen: OpenedTemplate | null = null;
  private engineOpening: OpenedTemplate | null = null;
  /** The newest render shown from the web view's engine, as the JSON it wrote. */
  private shownLocally: { seq: number; json: string } | null = null;

  constructor(
    backend: Pick<Backend, "renderPreview" | "familyProblems">,
    private readonly inputs: PreviewInputs,
    private readonly loadEngine: (() => Promise<LocalEngine>) | null = null,
  ) {
    this.familyChecks = new LatestOnly(
      (t) => backend.familyProblems(t),
      (counts) => {
        this.familyProblems = counts;
      },
      () => {
        this.familyProblems = []; // counts are a hint; the tab's own problems say the rest
      },
    );
    this.renders = new LatestOnly(
      (t) =>
        inputs.template()?.consent
          ? backend.renderPreview(t, this.consentState)
          : backend.renderPreview(t),
      (r, seq) => this.showNative(r, seq),
      (e) => inputs.renderFailed(e),
    );
  }

  /** Renders the current values; `fromKey` marks a keystroke for the latency metrics. */
  render(fromKey = false): number {
    if (fromKey) markKey(this.renders.nextSeq);
    this.inputs.changed();
    const tenant = plain(this.inputs.tenant());
    if ((this.inputs.template()?.family.length ?? 0) > 1) this.familyChecks.request(tenant);
    else if (this.familyProblems.length) this.familyProblems = [];
    const local = this.localReady();
    // Rendered here, the app's render and the approval status wait for the frame to be painted:
    // their messages then never hold up the frame that shows the keystroke.
    const later = local ? afterPaint : (start: () => void) => start();
    const seq = this.renders.request(tenant, later);
    if (local) this.renderLocally(local, tenant, seq);
    const tenantPath = this.inputs.tenantPath();
    later(() => this.inputs.refreshApproval(tenant, tenantPath));
    return seq;
  }

  /** Shows the consent page's preview as Synapse serves it to `state`'s visitor. */
  showConsentState(state: ConsentState): void {
    if (this.consentState === state) return;
    this.consentState = state;
    if (this.inputs.template()?.consent) this.render();
  }

  /** Called by the preview after it patched the DOM for render `seq`. */
  patched(seq: number): void {
    markPatched(seq);
    if (this.ready) return;
    this.ready = true;
    markReady();
    // Only once the window is up: compiling the module competes with starting it. Until the
    // engine is there the app renders every keystroke alone.
    afterPaint(() => this.startEngine());
  }

  /** Whether keystrokes are previewed by the web view's engine now (the tests wait for it). */
  get local(): boolean {
    const template = this.inputs.template();
    return this.engine !== null && template !== null && this.engineOpen === template;
  }

  private startEngine(): void {
    this.loadEngine?.().then(
      (engine) => {
        this.engine = engine;
        const template = this.inputs.template();
        if (template) this.openInEngine(engine, template);
      },
      (e) => console.warn("preview engine not loaded; the app renders every keystroke", e),
    );
  }

  /**
   * Shows the web view engine's render of `tenant` at once, so the keystroke's own frame paints
   * it. The app's answer to the same request follows and is compared (`showNative`).
   */
  private renderLocally(engine: LocalEngine, tenant: TenantFile, seq: number): void {
    try {
      const json = engine.renderJson(tenant.values);
      this.shownLocally = { seq, json };
      this.show(JSON.parse(json) as RenderedNotice, seq, true);
    } catch (e) {
      this.dropEngine("failed", e);
    }
  }

  /** The web view's engine, when it has the current template open (else it starts opening it). */
  private localReady(): LocalEngine | null {
    const engine = this.engine;
    const template = this.inputs.template();
    // A consent page is previewed as Synapse serves it, which the app alone renders.
    if (!engine?.usable || !template?.preview || template.consent) return null;
    if (this.engineOpen === template) return engine;
    this.openInEngine(engine, template);
    return null; // this render is the app's alone
  }

  /** Opens `template` in the engine after this task: compiling it takes longer than a frame. */
  private openInEngine(engine: LocalEngine, template: OpenedTemplate): void {
    if (this.engineOpening === template) return;
    this.engineOpening = template;
    this.engineOpen = null;
    const source = $state.snapshot(template.preview);
    setTimeout(() => {
      if (this.inputs.template() !== template || this.engine !== engine || !source) return;
      try {
        engine.open(source);
        this.engineOpen = template;
        this.warmUp(engine, template);
      } catch (e) {
        this.dropEngine("could not open the template", e);
      }
    }, 0);
  }

  /**
   * Renders the current answers a few times while nothing else happens: WebKit compiles a
   * module's hot code better only after it has run a while, and this way the first keystrokes
   * are as quick as the later ones. The results are thrown away.
   */
  private warmUp(engine: LocalEngine, template: OpenedTemplate, left = 12): void {
    if (left === 0) return;
    setTimeout(() => {
      if (this.engine !== engine || this.engineOpen !== template || !engine.usable) return;
      try {
        engine.renderJson(plain(this.inputs.tenant().values));
      } catch (e) {
        this.dropEngine("failed", e);
        return;
      }
      this.warmUp(engine, template, left - 1);
    }, 40);
  }

  /**
   * The app's render for `seq`. Where the web view's engine already showed this request, the two
   * must be the same; if they ever differ the app's is shown and the web view's engine is no
   * longer used.
   */
  private showNative(r: RenderedNotice, seq: number): void {
    const local = this.shownLocally;
    if (local && seq < local.seq) return; // a newer keystroke is on screen; its answer follows
    if (local && seq === local.seq) {
      const native = JSON.stringify(r);
      if (native === local.json || native === JSON.stringify(JSON.parse(local.json))) return;
      markMismatch();
      this.dropEngine("disagreed with the app", { seq });
    }
    this.show(r, seq);
  }

  /** Shows render `seq`: the document at once; the rest now too, or after this frame is painted. */
  private show(r: RenderedNotice, seq: number, restAfterPaint = false): void {
    this.document = { render: r, seq };
    if (!restAfterPaint) {
      this.rendered = r;
      this.renderedSeq = seq;
      return;
    }
    afterPaint(() => {
      if (this.document?.seq !== seq) return; // a newer render is on its way
      this.rendered = r;
      this.renderedSeq = seq;
    });
  }

  private dropEngine(why: string, detail: unknown): void {
    console.error(`preview engine ${why}; the app renders every keystroke from now on`, detail);
    this.engine = null;
    this.engineOpen = null;
    this.engineOpening = null;
    this.shownLocally = null;
  }
}
