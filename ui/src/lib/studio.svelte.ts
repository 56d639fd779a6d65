// The app's controller: all state and every action, independent of the components that show it.
import { flushSync } from "svelte";
import { Approvals, describeApproval } from "./approval.svelte";
import type { AppWindow } from "./appWindow";
import { type Backend, basename, describeError, toErrorPayload } from "./backend";
import type { ConsentExportDone } from "./bindings/ConsentExportDone";
import type { ConsentState } from "./bindings/ConsentState";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { FamilyProblems } from "./bindings/FamilyProblems";
import type { FieldValue } from "./bindings/FieldValue";
import type { MigrationPlan } from "./bindings/MigrationPlan";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { OpenedTenant } from "./bindings/OpenedTenant";
import type { OpenRequest } from "./bindings/OpenRequest";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { RecentFiles } from "./bindings/RecentFiles";
import type { RedlineView } from "./bindings/RedlineView";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { TemplateEntry } from "./bindings/TemplateEntry";
import type { TenantFile } from "./bindings/TenantFile";
import type { TenantReport } from "./bindings/TenantReport";
import type { WorkingState } from "./bindings/WorkingState";
import type { LocalEngine } from "./engine";
import { groupFields, inputFor, withValue } from "./form";
import { afterPaint } from "./frames";
import { LatestOnly } from "./latest";
import { markKey, markMismatch, markPatched, markReady } from "./metrics";
import { PAGES_DEBOUNCE_MS, PagesView } from "./pages.svelte";
import { loadPdfChoice, type PdfChoice, pdfSettings, savePdfChoice } from "./pdf";
import { flash as flashBlock, highlightField, revealIn } from "./preview";
import {
  blockForLine,
  countBySeverity,
  mapsToPreview,
  mergeProblems,
  problemKey,
  sortProblems,
  stepIndex,
} from "./problems";
import { isDirty, tenantFingerprint, windowTitle, workingState } from "./session";
import { plain } from "./snapshot.svelte";
import { folderName, tenantName, wasClosed } from "./workspace";
import { type TenantChange, Workspace } from "./workspace.svelte";

export type ConfirmChoice = "save" | "discard" | "cancel";
/**
 * A question with up to three answers: "save" (the primary button), "discard" and "cancel".
 * The labels default to Save / Don't save; `discard: null` leaves that button out, and `danger`
 * marks the primary answer as destructive (Delete).
 */
export type ConfirmRequest = {
  title: string;
  message: string;
  save?: string;
  discard?: string | null;
  danger?: boolean;
};
export type Toast = { id: number; text: string; tone: "success" | "info" };
export type ErrorBanner = { text: string; diagnostics: Diagnostic[] };
/** An export refused for errors; "synapse" (a consent page's template_dir) has no drafts. */
export type Refused = { format: ExportFormat | "synapse"; diagnostics: Diagnostic[] };
export type PreviewTab = "document" | "pages";
/** The main area: the form and preview, or the open workspace's table. */
export type MainView = "editor" | "workspace";

const EMPTY_TENANT: TenantFile = { format: 1, tenant: "", values: {} };

export class Studio {
  templates = $state<TemplateEntry[]>([]);
  template = $state<OpenedTemplate | null>(null);
  tenant = $state<TenantFile>(structuredClone(EMPTY_TENANT));
  tenantPath = $state<string | undefined>(undefined);
  report = $state<TenantReport | null>(null);
  /** Fingerprint of the tenant as last opened/saved; null = never saved in this form (restored). */
  baseline = $state<string | null>(tenantFingerprint(EMPTY_TENANT));
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
  stylesheet = $state("");
  recent = $state<RecentFiles>({ templates: [], tenants: [] });
  recovery = $state<WorkingState | null>(null);
  error = $state<ErrorBanner | null>(null);
  toast = $state<Toast | null>(null);
  confirm = $state<ConfirmRequest | null>(null);
  /** The app's version (About box). */
  version = $state("");
  about = $state(false);
  refused = $state<Refused | null>(null);
  review = $state(false);
  focusedField = $state<string | null>(null);
  /** Where inside the focused field (a list's row, a record's sub-field): its uses are highlighted. */
  focusedPath = $state<string | null>(null);
  currentProblem = $state<string | null>(null);
  loading = $state(true);
  ready = $state(false);
  busy = $state(false);
  /** The preview pane's view: the HTML document or the typeset PDF pages. */
  previewTab = $state<PreviewTab>("document");
  /** Paper and standard for the Pages view and PDF export (remembered). */
  pdf = $state<PdfChoice>(loadPdfChoice());
  mainView = $state<MainView>("editor");
  /** The redline shown ("Compare with version…"). */
  redline = $state<RedlineView | null>(null);
  /** Problem counts of each document of the open family (its tabs' badges). */
  familyProblems = $state<FamilyProblems[]>([]);
  /** The "carry answers over" dialog's plan, when open. */
  migration = $state<MigrationPlan | null>(null);
  comparing = $state(false);
  /** A consent page's preview: the page as Synapse serves it to this kind of visitor. */
  consentState = $state<ConsentState>("not-accepted");
  /** The last "Export for Synapse…" (its dialog shows the homeserver.yaml section). */
  synapseExport = $state<ConsentExportDone | null>(null);
  readonly pages: PagesView;
  readonly workspace: Workspace;
  readonly approvals: Approvals;

  dirty = $derived(isDirty(this.tenant, this.baseline));
  problems = $derived(
    sortProblems(mergeProblems(this.template?.diagnostics ?? [], this.rendered?.diagnostics ?? [])),
  );
  counts = $derived(countBySeverity(this.problems));
  groups = $derived(groupFields(this.template?.schema.fields ?? []));
  title = $derived(
    windowTitle({
      tenantName: this.tenant.tenant,
      templatePath: this.template?.schema.path,
      dirty: this.dirty,
    }),
  );

  /** Set by the preview component: the `.notice` element and its scrolling container. */
  previewRoot: HTMLElement | null = null;
  previewScroller: HTMLElement | null = null;

  private readonly renders: LatestOnly<TenantFile, RenderedNotice>;
  private readonly familyChecks: LatestOnly<TenantFile, FamilyProblems[]>;
  private confirmResolve: ((c: ConfirmChoice) => void) | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private toastSeq = 0;
  private lastAutosave: string | null = null;
  /** The web view's engine, once loaded; null until then, and for good after it failed. */
  private engine: LocalEngine | null = null;
  /** The template the engine has open (and the one it is about to open). */
  private engineOpen: OpenedTemplate | null = null;
  private engineOpening: OpenedTemplate | null = null;
  /** The newest render shown from the web view's engine, as the JSON it wrote. */
  private shownLocally: { seq: number; json: string } | null = null;

  constructor(
    readonly backend: Backend,
    readonly appWindow: AppWindow,
    pagesDebounceMs = PAGES_DEBOUNCE_MS,
    private readonly loadEngine: (() => Promise<LocalEngine>) | null = null,
  ) {
    this.pages = new PagesView(
      () => ({ tenant: plain(this.tenant), settings: this.pdfSettings() }),
      ({ tenant, settings }) => this.backend.pagePreview(tenant, settings),
      pagesDebounceMs,
    );
    this.workspace = new Workspace(backend);
    this.approvals = new Approvals(backend);
    this.workspace.onTenantChange = (c) => void this.tenantChanged(c);
    this.familyChecks = new LatestOnly(
      (t) => this.backend.familyProblems(t),
      (counts) => {
        this.familyProblems = counts;
      },
      () => {
        this.familyProblems = []; // counts are a hint; the tab's own problems say the rest
      },
    );
    this.renders = new LatestOnly(
      (t) =>
        this.template?.consent
          ? this.backend.renderPreview(t, this.consentState)
          : this.backend.renderPreview(t),
      (r, seq) => this.showNative(r, seq),
      (e) => this.showError("render the preview", e, this.templateName()),
    );
  }

  // ---- start-up ----------------------------------------------------------------------------

  async init(): Promise<void> {
    this.loading = true;
    try {
      const s = await this.backend.startup();
      this.templates = s.templates;
      this.template = s.template;
      this.stylesheet = s.stylesheet;
      this.recent = s.recent;
      this.recovery = s.recovery ?? null;
      this.loadTenant(s.tenant);
      this.version = s.version;
      const ws = s.recent.workspace;
      if (s.launch) void this.openRequested(s.launch);
      else if (ws && !wasClosed(ws)) void this.workspace.reopen(ws);
      void this.approvals.init();
    } catch (e) {
      this.showError("start", e);
    } finally {
      this.loading = false;
    }
  }

  /** Called by the preview after it patched the DOM for render `seq`. */
  previewPatched(seq: number): void {
    markPatched(seq);
    if (!this.ready) {
      this.ready = true;
      markReady();
      // Only once the window is up: compiling the module competes with starting it. Until the
      // engine is there the app renders every keystroke alone.
      afterPaint(() => this.startEngine());
    }
  }

  private startEngine(): void {
    this.loadEngine?.().then(
      (engine) => {
        this.engine = engine;
        if (this.template) this.openInEngine(engine, this.template);
      },
      (e) => console.warn("preview engine not loaded; the app renders every keystroke", e),
    );
  }

  // ---- editing -----------------------------------------------------------------------------

  /** Renders the current values; `fromKey` marks a keystroke for the latency metrics. */
  render(fromKey = false): number {
    if (fromKey) markKey(this.renders.nextSeq);
    this.pages.changed();
    const tenant = plain(this.tenant);
    if ((this.template?.family.length ?? 0) > 1) this.familyChecks.request(tenant);
    else if (this.familyProblems.length) this.familyProblems = [];
    const local = this.localReady();
    // Rendered here, the app's render and the approval status wait for the frame to be painted:
    // their messages then never hold up the frame that shows the keystroke.
    const later = local ? afterPaint : (start: () => void) => start();
    const seq = this.renders.request(tenant, later);
    if (local) this.renderLocally(local, tenant, seq);
    // After the render request: the status never delays the preview.
    const tenantPath = this.tenantPath ?? null;
    later(() => this.approvals.refresh(tenant, tenantPath));
    return seq;
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

  /** Whether keystrokes are previewed by the web view's engine now (the tests wait for it). */
  get previewsLocally(): boolean {
    return this.engine !== null && this.template !== null && this.engineOpen === this.template;
  }

  /** The web view's engine, when it has the current template open (else it starts opening it). */
  private localReady(): LocalEngine | null {
    const engine = this.engine;
    const template = this.template;
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
      if (this.template !== template || this.engine !== engine || !source) return;
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
        engine.renderJson(plain(this.tenant.values));
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
   * longer used, so the preview is always what the app exports and signs.
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

  /** Shows another document of the family (a tab): same answers, its own preview and problems. */
  async showFamilyDocument(path: string): Promise<void> {
    if (!this.template || path === this.template.schema.path) return;
    try {
      const opened = await this.backend.openTemplate(path);
      if (!opened) return;
      this.template = opened;
      this.currentProblem = null;
      this.render();
    } catch (e) {
      this.showError("open", e, basename(path));
    }
  }

  setValue(name: string, value: FieldValue, fromKey = true): void {
    this.tenant.values = withValue(plain(this.tenant.values), name, value);
    this.render(fromKey);
  }

  /** A row or sub-field of field `name` took focus (`path`), or focus left it (null). */
  focusPath(name: string, path: string | null): void {
    if (path) {
      this.focusedField = name;
      this.focusedPath = path;
    } else if (this.focusedField === name) {
      this.focusedField = null;
      this.focusedPath = null;
    }
  }

  setTenantName(name: string): void {
    this.tenant.tenant = name;
    this.pages.changed(); // the name goes into the PDF's metadata
  }

  // ---- preview views and PDF settings --------------------------------------------------------

  showTab(tab: PreviewTab): void {
    this.previewTab = tab;
    this.pages.setVisible(tab === "pages");
  }

  setPdfChoice(choice: Partial<PdfChoice>): void {
    const next = { ...this.pdf, ...choice };
    if (next.paper === this.pdf.paper && next.standard === this.pdf.standard) return;
    this.pdf = next;
    savePdfChoice(next);
    this.pages.changed(true);
  }

  pdfSettings(): PdfSettings {
    return pdfSettings(this.pdf, this.tenant.tenant);
  }

  private loadTenant(opened: OpenedTenant, show = true): void {
    this.tenant = plain(opened.tenant);
    this.tenantPath = opened.path;
    this.report = opened.report;
    this.baseline = tenantFingerprint(opened.tenant);
    this.currentProblem = null;
    this.lastAutosave = null;
    const notes: string[] = [];
    if (opened.report.legacy_format) notes.push("converted from the old flat format");
    if (opened.report.converted.length > 0) notes.push(...opened.report.converted);
    if (opened.report.duplicates.length > 0) notes.push(...opened.report.duplicates);
    if (notes.length > 0 && opened.path) {
      this.notify(`${basename(opened.path)}: ${notes.join("; ")}`, "info");
    }
    this.render();
    if (show) this.showView("editor"); // what was opened is shown
  }

  // ---- files -------------------------------------------------------------------------------

  templateName(): string | undefined {
    const p = this.template?.schema.path;
    return p ? basename(p) : undefined;
  }

  private tenantName(): string {
    return this.tenantPath ? basename(this.tenantPath) : this.tenant.tenant || "this tenant";
  }

  /** Asks about unsaved changes; resolves true when it is fine to go on. */
  async guardUnsaved(): Promise<boolean> {
    if (!this.dirty) return true;
    const choice = await this.ask({
      title: "Save changes?",
      message: `${this.tenantName()} has unsaved changes. Save them before continuing?`,
    });
    if (choice === "cancel") return false;
    if (choice === "discard") return true;
    return this.save();
  }

  ask(req: ConfirmRequest): Promise<ConfirmChoice> {
    this.confirmResolve?.("cancel");
    this.confirm = req;
    return new Promise((resolve) => {
      this.confirmResolve = resolve;
    });
  }

  answer(choice: ConfirmChoice): void {
    const resolve = this.confirmResolve;
    this.confirmResolve = null;
    this.confirm = null;
    resolve?.(choice);
  }

  async newTenant(): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    try {
      this.loadTenant(await this.backend.newTenant());
    } catch (e) {
      this.showError("create a new tenant", e);
    }
  }

  async openTenant(path: string | null = null): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    await this.readTenant(path);
  }

  /** Opens a tenant file without asking about unsaved changes; resolves true when opened. */
  private async readTenant(path: string | null): Promise<boolean> {
    try {
      const opened = await this.backend.openTenant(path);
      if (!opened) return false;
      this.loadTenant(opened);
      await this.refreshRecent();
      return true;
    } catch (e) {
      this.showError("open", e, path ? basename(path) : undefined);
      return false;
    }
  }

  /** Saves to the current path (or asks for one). Resolves true when saved. */
  save(): Promise<boolean> {
    return this.saveTo(this.tenantPath ?? null);
  }

  saveAs(): Promise<boolean> {
    return this.saveTo(null);
  }

  private async saveTo(path: string | null): Promise<boolean> {
    const snapshot = plain(this.tenant);
    this.busy = true;
    try {
      const saved = await this.backend.saveTenant(snapshot, path);
      if (!saved) return false;
      this.tenantPath = saved;
      this.baseline = tenantFingerprint(snapshot);
      this.lastAutosave = null;
      this.notify(`Saved ${saved}`);
      this.approvals.refresh(snapshot, saved);
      await this.backend.clearAutosave().catch(() => {});
      await this.refreshRecent();
      return true;
    } catch (e) {
      this.showError("save", e, path ? basename(path) : undefined);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async openTemplate(path: string | null = null): Promise<boolean> {
    try {
      const opened = await this.backend.openTemplate(path);
      if (!opened) return false;
      this.template = opened;
      this.currentProblem = null;
      this.render();
      this.showView("editor");
      await this.refreshRecent();
      return true;
    } catch (e) {
      this.showError("open", e, path ? basename(path) : undefined);
      return false;
    }
  }

  /**
   * Opens what the command line (`notice-studio FILE`) or a second instance asked for: a
   * template, a tenant file (asking about unsaved changes first) or a workspace folder.
   */
  async openRequested(request: OpenRequest): Promise<void> {
    if (request.kind === "template") await this.openTemplate(request.path);
    else if (request.kind === "tenant") await this.openTenant(request.path);
    else await this.openWorkspace(request.path);
  }

  /**
   * Offers a diagnostic's mechanical fix (a typo'd name, a missing `mailto:`, a front-matter
   * delimiter): the user sees the exact change and confirms it; it is then written to the
   * template file, which is opened again so preview and problems follow.
   */
  async applyFix(d: Diagnostic): Promise<void> {
    const { fix, path } = d;
    if (!fix || !path || !this.template) return;
    const choice = await this.ask({
      title: "Change the template?",
      message: `${basename(path)}, line ${fix.line}: “${fix.old}” becomes “${fix.new}”. The template file is changed on disk.`,
      save: "Apply fix",
      discard: null,
    });
    if (choice !== "save") return;
    try {
      this.template = await this.backend.applyFix(path, fix);
      this.currentProblem = null;
      this.render();
      this.notify(`Fixed ${basename(path)}, line ${fix.line}`);
    } catch (e) {
      this.showError("fix", e, basename(path));
    }
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.backend.recentFiles();
    } catch {
      // the list is a convenience; keep the old one
    }
  }

  // ---- workspace -----------------------------------------------------------------------------

  /** Opens a workspace folder (`null`: asks for one) and shows it. */
  async openWorkspace(path: string | null = null): Promise<void> {
    if (this.workspace.busy) return;
    try {
      if (await this.workspace.open(path)) this.showView("workspace");
    } catch (e) {
      this.showError("open", e, path ? folderName(path) : undefined);
    }
  }

  closeWorkspace(): void {
    if (this.workspace.busy) return;
    this.workspace.close();
    this.showView("editor");
  }

  showView(view: MainView): void {
    if (view === this.mainView) return;
    if (view === "workspace" && !this.workspace.view) return;
    this.mainView = view;
    this.workspace.setVisible(view === "workspace");
    this.pages.setVisible(view === "editor" && this.previewTab === "pages");
  }

  /**
   * A workspace cell's "Open": its template and its tenant's file in the editor (asking about
   * unsaved changes first, as every open does), then back to the editor.
   */
  async openFromWorkspace(templatePath: string, tenantPath: string): Promise<boolean> {
    if (!(await this.guardUnsaved())) return false;
    let template: OpenedTemplate | null;
    try {
      template = await this.backend.openTemplate(templatePath);
    } catch (e) {
      this.showError("open", e, basename(templatePath));
      return false;
    }
    if (template) {
      this.template = template;
      this.currentProblem = null;
    }
    const ok = await this.readTenant(tenantPath); // renders with the new template
    if (!ok && template) this.render();
    this.showView("editor");
    return ok;
  }

  /** Asks, then deletes a workspace tenant's file (by id). */
  async deleteTenant(tenant: string): Promise<void> {
    const view = this.workspace.view;
    if (!view) return;
    const name = tenantName(view, tenant);
    const choice = await this.ask({
      title: "Delete tenant?",
      message: `Delete ${name} (tenants/${tenant}.json)? Its exports and export history are kept; in a git workspace the file can be restored from the history.`,
      save: "Delete",
      discard: null,
      danger: true,
    });
    if (choice !== "save") return;
    try {
      await this.workspace.deleteTenant(tenant);
    } catch (e) {
      this.showError("delete", e, `${tenant}.json`);
    }
  }

  /** A workspace tenant was created, copied, renamed or deleted: the editor follows. */
  private async tenantChanged(c: TenantChange): Promise<void> {
    if (c.kind === "new") {
      // A new tenant is there to be filled in: open it with the workspace's first document.
      const doc = this.workspace.view?.documents[0];
      if (doc) await this.openFromWorkspace(doc.path, c.ref.path);
      return;
    }
    if (c.kind === "duplicate") {
      this.notify(`Created ${c.ref.name} (${basename(c.ref.path)})`);
      return;
    }
    const path = c.kind === "delete" ? c.path : c.ref.path;
    if (path !== this.tenantPath) {
      if (c.kind === "rename") this.notify(`Renamed to ${c.ref.name}`);
      return;
    }
    if (c.kind === "rename") {
      // The file now holds the new name: take it, and keep any unsaved edits.
      const clean = !this.dirty;
      this.tenant.tenant = c.ref.name;
      if (clean) this.baseline = tenantFingerprint(plain(this.tenant));
      this.notify(`Renamed to ${c.ref.name}`);
      return;
    }
    // The file open in the editor is gone: its answers stay here, as unsaved work.
    this.tenantPath = undefined;
    this.baseline = null;
    this.notify(`Deleted ${basename(path)}; its answers stay open here, unsaved`, "info");
  }

  /** The browser window regained focus: the table and the open tenant follow the disk. */
  windowFocused(): void {
    this.workspace.focused();
    // An approval made elsewhere (the CLI, a colleague's commit) shows up.
    if (this.template) this.approvals.refresh(plain(this.tenant), this.tenantPath ?? null);
    void this.checkTemplateOnDisk();
    void this.checkTenantOnDisk();
  }

  /**
   * Reloads the open template when its file changed on disk (a `git pull`): it is never edited
   * here, so there is nothing to lose; the preview and problems follow at once.
   */
  async checkTemplateOnDisk(): Promise<void> {
    const t = this.template;
    if (!t || this.checkingTemplate) return;
    this.checkingTemplate = true;
    try {
      const opened = await this.backend.openTemplate(t.schema.path);
      if (!opened || this.template !== t) return;
      if (opened.schema.content_hash === t.schema.content_hash) return;
      this.template = opened;
      this.currentProblem = null;
      this.render();
      const v = opened.schema.version;
      this.notify(
        `${basename(t.schema.path)} changed on disk and was reloaded${v ? ` (version ${v})` : ""}`,
        "info",
      );
    } catch {
      // gone or unreadable for now: the open copy stays until it can be read again
    } finally {
      this.checkingTemplate = false;
    }
  }

  private checkingTemplate = false;

  private checkingDisk = false;

  /**
   * Reloads the open tenant file when it changed on disk (a `git pull`, another window). Clean,
   * it is reloaded with a note; with unsaved edits, the user chooses: nothing is overwritten
   * silently either way.
   */
  async checkTenantOnDisk(): Promise<void> {
    const path = this.tenantPath;
    if (!path || this.checkingDisk || this.confirm || this.recovery) return;
    this.checkingDisk = true;
    try {
      let opened: OpenedTenant | null;
      try {
        opened = await this.backend.openTenant(path);
      } catch {
        return; // gone or unreadable for now: saving will say so, and nothing here is lost
      }
      if (!opened || path !== this.tenantPath) return;
      const onDisk = tenantFingerprint(opened.tenant);
      if (onDisk === this.baseline) return;
      const name = basename(path);
      if (!this.dirty) {
        this.loadTenant(opened, false);
        this.notify(`${name} changed on disk and was reloaded`, "info");
        return;
      }
      const choice = await this.ask({
        title: "File changed on disk",
        message: `${name} was changed outside Notice Studio (a git pull, another window?) while you have unsaved edits here.`,
        save: "Keep my edits",
        discard: "Reload from disk",
      });
      if (path !== this.tenantPath) return;
      if (choice === "discard") {
        this.loadTenant(opened, false);
        this.notify(`${name} reloaded from disk`, "info");
      } else {
        // Kept: saving will replace the file. Asked once per change on disk, not on every focus.
        this.baseline = onDisk;
      }
    } finally {
      this.checkingDisk = false;
    }
  }

  // ---- redline -------------------------------------------------------------------------------

  /** Compares the open template with another version of it (`null`: asks for the file). */
  async compareWithVersion(oldTemplate: string | null = null): Promise<void> {
    if (!this.template || this.comparing) return;
    this.comparing = true;
    try {
      const view = await this.backend.redlineTemplate(plain(this.tenant), oldTemplate);
      if (view) this.redline = view;
    } catch (e) {
      this.redline = null;
      this.showError("compare with", e, oldTemplate ? basename(oldTemplate) : undefined);
    } finally {
      this.comparing = false;
    }
  }

  /**
   * Opens the "carry answers over" dialog: the tenant's answers for fields this template does
   * not use (an older version's names), each with the field it most likely moved to.
   */
  async planMigration(): Promise<void> {
    if (!this.template || this.review) return;
    try {
      const plan = await this.backend.migrationPlan(plain(this.tenant));
      if (plan.orphans.length === 0) {
        this.notify("Every answer is for a field of this template", "info");
        return;
      }
      this.migration = plan;
    } catch (e) {
      this.showError("check the answers of", e, this.tenantName());
    }
  }

  /**
   * Carries answers over as chosen: to a field (which must still be empty), removed, or kept
   * as they are (`"keep"`). The tenant is then unsaved, like any edit.
   */
  applyMigration(choices: Record<string, string>): void {
    const plan = this.migration;
    this.migration = null;
    if (!plan) return;
    const values = plain(this.tenant.values);
    let moved = 0;
    let removed = 0;
    for (const o of plan.orphans) {
      const to = choices[o.name] ?? "keep";
      if (to === "keep") continue;
      if (to !== "drop") {
        const there = values[to];
        if (there !== undefined && there !== "" && there !== false) continue; // never overwrite
        values[to] = o.value;
        moved++;
      } else removed++;
      delete values[o.name];
    }
    if (moved + removed === 0) return;
    this.tenant.values = values;
    this.render();
    const parts = [];
    if (moved) parts.push(`${moved} answer${moved === 1 ? "" : "s"} carried over`);
    if (removed) parts.push(`${removed} removed`);
    this.notify(`${parts.join(", ")}; save to keep the change`, "info");
  }

  /** The open tenant file lies in the open workspace: its exports are recorded there. */
  inWorkspace = $derived.by(() => {
    const root = this.workspace.view?.root;
    return !!root && !!this.tenantPath?.startsWith(`${root}/tenants/`);
  });

  /** Compares the open document now with what this tenant last received of it. */
  async compareWithLastExport(): Promise<void> {
    const path = this.tenantPath;
    if (!this.template || this.comparing || !path) return;
    this.comparing = true;
    try {
      this.redline = await this.backend.redlineLastExport(plain(this.tenant), path);
    } catch (e) {
      this.redline = null;
      this.showError("compare with the last export of", e, basename(path));
    } finally {
      this.comparing = false;
    }
  }

  /** Saves the redline shown as an HTML page for legal (a save dialog asks where). */
  async saveRedline(): Promise<void> {
    const view = this.redline;
    if (!view || this.busy) return;
    this.busy = true;
    try {
      const path = await this.backend.saveRedline(
        plain(this.tenant),
        $state.snapshot(view.against) as RedlineView["against"],
      );
      if (path) this.notify(`Saved the redline to ${path}`);
    } catch (e) {
      this.showError("save the redline", e);
    } finally {
      this.busy = false;
    }
  }

  // ---- export ------------------------------------------------------------------------------

  async exportDocument(format: ExportFormat, draft: boolean): Promise<void> {
    this.busy = true;
    try {
      const done = await this.backend.exportDocument(
        plain(this.tenant),
        format,
        draft,
        format === "pdf" ? this.pdfSettings() : null,
        this.tenantPath ?? null,
      );
      if (!done) return;
      this.refused = null;
      const warn =
        done.warnings > 0 ? ` (${done.warnings} warning${done.warnings === 1 ? "" : "s"})` : "";
      const signed = done.approved_by ? `, approved by ${done.approved_by}` : "";
      this.notify(`Exported ${done.draft ? "draft " : ""}to ${done.path}${signed}${warn}`);
    } catch (e) {
      this.exportFailed(format, "export", e);
    } finally {
      this.busy = false;
    }
  }

  /** A refused export lists what blocks it (the app's list, else the problems shown); any other
   * failure is an error banner. */
  private exportFailed(format: Refused["format"], action: string, e: unknown): void {
    const err = toErrorPayload(e);
    if (err.kind === "refused") {
      const errors = err.diagnostics.length
        ? err.diagnostics
        : this.problems.filter((d) => d.severity === "error");
      this.refused = { format, diagnostics: sortProblems(errors) };
    } else {
      this.showError(action, e, err.path ? undefined : this.templateName());
    }
  }

  async exportDraftInstead(): Promise<void> {
    const format = this.refused?.format ?? "html";
    this.refused = null;
    if (format === "synapse") return; // a page Synapse serves has no drafts
    await this.exportDocument(format, true);
  }

  /** Shows the consent page's preview as Synapse serves it to `state`'s visitor. */
  showConsentState(state: ConsentState): void {
    if (this.consentState === state) return;
    this.consentState = state;
    if (this.template?.consent) this.render();
  }

  /**
   * "Export for Synapse…": the consent page's template_dir into a folder the dialog asks for;
   * refused for errors (or a required approval) as every export is.
   */
  async exportForSynapse(): Promise<void> {
    if (!this.template?.consent || this.busy) return;
    this.busy = true;
    try {
      const done = await this.backend.exportForSynapse(plain(this.tenant), this.tenantPath ?? null);
      if (!done) return;
      this.refused = null;
      this.synapseExport = done;
    } catch (e) {
      this.exportFailed("synapse", "export for Synapse", e);
    } finally {
      this.busy = false;
    }
  }

  // ---- legal sign-off ----------------------------------------------------------------------

  /**
   * Approves what the preview shows for this tenant, signed with the reviewer's key. Unsaved
   * answers are saved first (an approval is of the tenant file as it is on disk); with no
   * reviewer set up, the reviewer dialog opens and approving continues from there.
   */
  async approve(): Promise<void> {
    if (!this.template || this.approvals.busy) return;
    if (!this.approvals.reviewer) {
      this.approvals.openDialog(true);
      return;
    }
    if (this.counts.errors > 0) {
      this.notify(
        `Fix the ${this.counts.errors} error${this.counts.errors === 1 ? "" : "s"} first: legal approves only what can be exported`,
        "info",
      );
      return;
    }
    if ((this.dirty || !this.tenantPath) && !(await this.save())) return;
    const path = this.tenantPath;
    if (!path) return;
    try {
      const v = await this.approvals.approve(path);
      const d = describeApproval(v.status, v.required);
      this.notify(
        v.status.state === "approved" ? `${d.label}` : `Approved, but: ${d.detail}`,
        v.status.state === "approved" ? "success" : "info",
        8000,
      );
    } catch (e) {
      this.showError("approve", e, this.templateName());
    } finally {
      this.approvals.refresh(plain(this.tenant), this.tenantPath ?? null);
    }
  }

  /** The reviewer dialog is done; continues an approval it was opened for. */
  async reviewerDone(): Promise<void> {
    const after = this.approvals.dialog?.approveAfter ?? false;
    this.approvals.closeDialog();
    if (after && this.approvals.reviewer) await this.approve();
  }

  // ---- recovery and autosave ---------------------------------------------------------------

  async acceptRecovery(): Promise<void> {
    const rec = this.recovery;
    if (!rec) return;
    this.recovery = null;
    if (rec.template_path && rec.template_path !== this.template?.schema.path) {
      await this.openTemplate(rec.template_path);
    }
    this.tenant = plain(rec.tenant);
    this.tenantPath = rec.tenant_path;
    this.baseline = null;
    this.currentProblem = null;
    this.render();
  }

  async dismissRecovery(): Promise<void> {
    this.recovery = null;
    try {
      await this.backend.clearAutosave();
    } catch (e) {
      this.showError("discard the recovered work", e);
    }
  }

  /** One autosave step: writes the working state if dirty and changed since the last write. */
  async autosave(now: Date = new Date()): Promise<boolean> {
    if (!this.dirty || !this.template || this.recovery) return false;
    const tenant = plain(this.tenant);
    const fp = `${this.tenantPath ?? ""}\u0000${this.template.schema.path}\u0000${tenantFingerprint(tenant)}`;
    if (fp === this.lastAutosave) return false;
    const state = workingState({
      templatePath: this.template.schema.path,
      tenantPath: this.tenantPath,
      tenant,
      dirty: true,
      now,
    });
    try {
      await this.backend.writeAutosave(state);
      this.lastAutosave = fp;
      return true;
    } catch {
      return false; // try again on the next tick
    }
  }

  startAutosave(intervalMs = 3000): () => void {
    const id = setInterval(() => void this.autosave(), intervalMs);
    return () => clearInterval(id);
  }

  // ---- closing -----------------------------------------------------------------------------

  /** The close-requested handler: resolves true to keep the window open (asking first). */
  async handleCloseRequest(): Promise<boolean> {
    if (!this.dirty) {
      // A stale autosave would be offered next time; never let clearing it hold the window open.
      if (!this.recovery) {
        await Promise.race([
          this.backend.clearAutosave().catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, 1000)),
        ]);
      }
      return false;
    }
    void this.confirmClose();
    return true;
  }

  private async confirmClose(): Promise<void> {
    const choice = await this.ask({
      title: "Save changes before closing?",
      message: `${this.tenantName()} has unsaved changes.`,
    });
    if (choice === "cancel") return;
    if (choice === "save" && !(await this.save())) return;
    if (choice === "discard") await this.backend.clearAutosave().catch(() => {});
    await this.appWindow.destroy();
  }

  // ---- problems and navigation ---------------------------------------------------------------

  step(dir: 1 | -1): void {
    const list = this.problems;
    const current = list.findIndex((d) => problemKey(d) === this.currentProblem);
    const next = stepIndex(current, list.length, dir);
    if (next < 0) return;
    this.activate(list[next]);
  }

  activate(d: Diagnostic): void {
    if (this.mainView !== "editor") {
      this.showView("editor");
      flushSync();
    }
    this.currentProblem = problemKey(d);
    this.reveal(d);
  }

  /** Shows where a problem is: its field's input, else its block in the preview. */
  reveal(d: Diagnostic): void {
    if (d.field && this.focusField(d.field, d.field_path)) return;
    if (d.line !== undefined && mapsToPreview(d)) this.scrollToLine(d.line);
  }

  /**
   * Focuses a field's input, or the input of the row or sub-field at `path` inside it (or, in
   * review mode, its first use in the preview).
   */
  focusField(name: string, path?: string): boolean {
    if (this.review) return this.showFieldInPreview(name, path);
    const input = inputFor(document, name, path);
    if (!input) return this.showFieldInPreview(name, path);
    input.focus();
    if (typeof input.scrollIntoView === "function") input.scrollIntoView({ block: "nearest" });
    return true;
  }

  private showFieldInPreview(name: string, path?: string): boolean {
    if (!this.previewRoot) return false;
    const uses = highlightField(this.previewRoot, name, path);
    if (uses.length === 0) return false;
    this.showDocument();
    revealIn(uses[0], this.previewScroller);
    flashBlock(uses[0]);
    return true;
  }

  scrollToLine(line: number): boolean {
    if (!this.previewRoot) return false;
    const block = blockForLine(this.previewRoot, line);
    if (!block) return false;
    this.showDocument();
    revealIn(block, this.previewScroller);
    flashBlock(block);
    return true;
  }

  /** Places in the notice are shown in the document view: switch to it (and lay it out) first. */
  private showDocument(): void {
    if (this.previewTab === "document") return;
    this.showTab("document");
    flushSync();
  }

  // ---- messages ------------------------------------------------------------------------------

  showError(action: string, e: unknown, fallbackName?: string): void {
    const err = toErrorPayload(e);
    this.error = { text: describeError(action, err, fallbackName), diagnostics: err.diagnostics };
  }

  dismissError(): void {
    this.error = null;
  }

  notify(text: string, tone: Toast["tone"] = "success", ms = 5000): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = { id: ++this.toastSeq, text, tone };
    this.toastTimer = setTimeout(() => {
      this.toast = null;
      this.toastTimer = null;
    }, ms);
  }

  dismissToast(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = null;
  }
}
