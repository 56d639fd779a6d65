// The app's controller, the one object the components use. It composes the parts (preview
// pipeline, tenant session, messages, workspace and its link, approvals, pages, revisions,
// exports) and holds what ties them together: the open template and the editor's views.
import { flushSync } from "svelte";
import type { PreviewNavigator } from "../components/previewNavigator";
import { Approvals } from "./approval.svelte";
import type { AppWindow } from "./appWindow";
import { type Backend, basename } from "./backend";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { FieldValue } from "./bindings/FieldValue";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { OpenRequest } from "./bindings/OpenRequest";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { RecentFiles } from "./bindings/RecentFiles";
import type { TemplateEntry } from "./bindings/TemplateEntry";
import type { LocalEngine } from "./engine";
import { Exports } from "./exports.svelte";
import { groupFields, withValue } from "./form";
import { Messages } from "./messages.svelte";
import { PAGES_DEBOUNCE_MS, PagesView } from "./pages.svelte";
import { loadPdfChoice, type PdfChoice, pdfSettings, savePdfChoice } from "./pdf";
import { PreviewPipeline } from "./previewPipeline.svelte";
import { countBySeverity, mergeProblems, problemKey, sortProblems, stepIndex } from "./problems";
import { Revisions } from "./revisions.svelte";
import { windowTitle } from "./session";
import { plain } from "./snapshot.svelte";
import { TenantSession } from "./tenantSession.svelte";
import { wasClosed } from "./workspace";
import { Workspace } from "./workspace.svelte";
import { WorkspaceLink } from "./workspaceLink";

export type PreviewTab = "document" | "pages";
/** The main area: the form and preview, or the open workspace's table. */
export type MainView = "editor" | "workspace";

export class Studio {
  templates = $state<TemplateEntry[]>([]);
  template = $state<OpenedTemplate | null>(null);
  stylesheet = $state("");
  recent = $state<RecentFiles>({ templates: [], tenants: [] });
  /** The app's version (About box). */
  version = $state("");
  about = $state(false);
  review = $state(false);
  focusedField = $state<string | null>(null);
  /** Where inside the focused field (a list's row, a record's sub-field): its uses are highlighted. */
  focusedPath = $state<string | null>(null);
  currentProblem = $state<string | null>(null);
  loading = $state(true);
  busy = $state(false);
  /** The preview pane's view: the HTML document or the typeset PDF pages. */
  previewTab = $state<PreviewTab>("document");
  /** Paper and standard for the Pages view and PDF export (remembered). */
  pdf = $state<PdfChoice>(loadPdfChoice());
  mainView = $state<MainView>("editor");
  /** Set by the preview component while it is mounted: it owns the DOM problems are shown in. */
  navigation: PreviewNavigator | null = null;

  readonly messages = new Messages();
  readonly pages: PagesView;
  readonly workspace: Workspace;
  readonly approvals: Approvals;
  readonly preview: PreviewPipeline;
  readonly session: TenantSession;
  readonly revisions: Revisions;
  readonly exports: Exports;
  readonly link: WorkspaceLink;

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
  /** The open tenant file lies in the open workspace: its exports are recorded there. */
  inWorkspace = $derived.by(() => {
    const root = this.workspace.view?.root;
    return !!root && !!this.tenantPath?.startsWith(`${root}/tenants/`);
  });

  private checkingTemplate = false;

  constructor(
    readonly backend: Backend,
    readonly appWindow: AppWindow,
    pagesDebounceMs = PAGES_DEBOUNCE_MS,
    loadEngine: (() => Promise<LocalEngine>) | null = null,
  ) {
    this.pages = new PagesView(
      () => ({ tenant: plain(this.tenant), settings: this.pdfSettings() }),
      ({ tenant, settings }) => this.backend.pagePreview(tenant, settings),
      pagesDebounceMs,
    );
    this.workspace = new Workspace(backend);
    this.approvals = new Approvals(backend);
    this.preview = new PreviewPipeline(
      backend,
      {
        template: () => this.template,
        tenant: () => this.tenant,
        tenantPath: () => this.tenantPath ?? null,
        changed: () => this.pages.changed(),
        refreshApproval: (t, path) => this.approvals.refresh(t, path),
        renderFailed: (e) => this.messages.showError("render the preview", e, this.templateName()),
      },
      loadEngine,
    );
    this.session = new TenantSession(backend, this.messages, {
      templatePath: () => this.template?.schema.path,
      loaded: (show) => {
        this.currentProblem = null;
        this.render();
        if (show) this.showView("editor"); // what was opened is shown
      },
      saved: (t, path) => this.approvals.refresh(t, path),
      recentChanged: () => this.refreshRecent(),
      busy: (on) => {
        this.busy = on;
      },
    });
    this.revisions = new Revisions(backend, this.messages, this);
    this.exports = new Exports(backend, this.messages, this.approvals, this);
    this.link = new WorkspaceLink(backend, this.workspace, this.session, this.messages, this);
  }

  // The parts' state the components and tests read most, under the names they always had.
  get tenant() {
    return this.session.tenant;
  }
  get tenantPath() {
    return this.session.tenantPath;
  }
  get dirty() {
    return this.session.dirty;
  }
  get rendered() {
    return this.preview.rendered;
  }
  get document() {
    return this.preview.document;
  }
  /** Whether keystrokes are previewed by the web view's engine now (the tests wait for it). */
  get previewsLocally(): boolean {
    return this.preview.local;
  }

  async init(): Promise<void> {
    this.loading = true;
    try {
      const s = await this.backend.startup();
      this.templates = s.templates;
      this.template = s.template;
      this.stylesheet = s.stylesheet;
      this.recent = s.recent;
      this.session.recovery = s.recovery ?? null;
      this.session.load(s.tenant);
      this.version = s.version;
      const ws = s.recent.workspace;
      if (s.launch) void this.openRequested(s.launch);
      else if (ws && !wasClosed(ws)) void this.workspace.reopen(ws);
      void this.approvals.init();
    } catch (e) {
      this.messages.showError("start", e);
    } finally {
      this.loading = false;
    }
  }

  // ---- editing -----------------------------------------------------------------------------

  /** Renders the current values; `fromKey` marks a keystroke for the latency metrics. */
  render(fromKey = false): number {
    return this.preview.render(fromKey);
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

  /** Shows another document of the family (a tab): same answers, its own preview and problems. */
  async showFamilyDocument(path: string): Promise<void> {
    if (!this.template || path === this.template.schema.path) return;
    try {
      const opened = await this.backend.openTemplate(path);
      if (opened) this.showTemplate(opened);
    } catch (e) {
      this.messages.showError("open", e, basename(path));
    }
  }

  private showTemplate(opened: OpenedTemplate): void {
    this.template = opened;
    this.currentProblem = null;
    this.render();
  }

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

  // ---- files -------------------------------------------------------------------------------

  templateName(): string | undefined {
    const p = this.template?.schema.path;
    return p ? basename(p) : undefined;
  }

  tenantName(): string {
    return this.session.name();
  }

  save(): Promise<boolean> {
    return this.session.save();
  }

  autosave(now?: Date): Promise<boolean> {
    return this.session.autosave(now);
  }

  openTenant(path: string | null = null): Promise<void> {
    return this.session.openTenant(path);
  }

  async openTemplate(path: string | null = null): Promise<boolean> {
    try {
      const opened = await this.backend.openTemplate(path);
      if (!opened) return false;
      this.showTemplate(opened);
      this.showView("editor");
      await this.refreshRecent();
      return true;
    } catch (e) {
      this.messages.showError("open", e, path ? basename(path) : undefined);
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
    else await this.link.openWorkspace(request.path);
  }

  /**
   * Offers a diagnostic's mechanical fix (a typo'd name, a missing `mailto:`, a front-matter
   * delimiter): the user sees the exact change and confirms it; it is then written to the
   * template file, which is opened again so preview and problems follow.
   */
  async applyFix(d: Diagnostic): Promise<void> {
    const { fix, path } = d;
    if (!fix || !path || !this.template) return;
    const choice = await this.messages.ask({
      title: "Change the template?",
      message: `${basename(path)}, line ${fix.line}: “${fix.old}” becomes “${fix.new}”. The template file is changed on disk.`,
      save: "Apply fix",
      discard: null,
    });
    if (choice !== "save") return;
    try {
      this.showTemplate(await this.backend.applyFix(path, fix));
      this.messages.notify(`Fixed ${basename(path)}, line ${fix.line}`);
    } catch (e) {
      this.messages.showError("fix", e, basename(path));
    }
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.backend.recentFiles();
    } catch {
      // the list is a convenience; keep the old one
    }
  }

  async acceptRecovery(): Promise<void> {
    const rec = this.session.recovery;
    if (!rec) return;
    this.session.recovery = null;
    if (rec.template_path && rec.template_path !== this.template?.schema.path) {
      await this.openTemplate(rec.template_path);
    }
    this.session.restore(rec);
    this.currentProblem = null;
    this.render();
  }

  /** The close-requested handler: resolves true to keep the window open (asking first). */
  handleCloseRequest(): Promise<boolean> {
    return this.session.handleCloseRequest(() => this.appWindow.destroy());
  }

  showView(view: MainView): void {
    if (view === this.mainView) return;
    if (view === "workspace" && !this.workspace.view) return;
    this.mainView = view;
    this.workspace.setVisible(view === "workspace");
    this.pages.setVisible(view === "editor" && this.previewTab === "pages");
  }

  /** The browser window regained focus: the table and the open tenant follow the disk. */
  windowFocused(): void {
    this.workspace.focused();
    // An approval made elsewhere (the CLI, a colleague's commit) shows up.
    if (this.template) this.approvals.refresh(plain(this.tenant), this.tenantPath ?? null);
    void this.checkTemplateOnDisk();
    void this.session.checkOnDisk();
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
      this.showTemplate(opened);
      const v = opened.schema.version;
      this.messages.notify(
        `${basename(t.schema.path)} changed on disk and was reloaded${v ? ` (version ${v})` : ""}`,
        "info",
      );
    } catch {
      // gone or unreadable for now: the open copy stays until it can be read again
    } finally {
      this.checkingTemplate = false;
    }
  }

  // ---- problems ------------------------------------------------------------------------------

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
    this.navigation?.reveal(d);
  }

  /** Focuses a field's input (or the row or sub-field at `path`), else shows its use. */
  focusField(name: string, path?: string): boolean {
    return this.navigation?.focusField(name, path) ?? false;
  }
}
