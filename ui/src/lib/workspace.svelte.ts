// The Workspace view's state and actions: the tenants × documents table of an open workspace
// folder, kept fresh (on demand, when the view is shown again, when the window regains focus),
// "Export all" for a tenant and re-issuing every outdated tenant with progress and cancel.
import { type Backend, toErrorPayload } from "./backend";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ReissueProgress } from "./bindings/ReissueProgress";
import type { StatusProgress } from "./bindings/StatusProgress";
import type { TenantRef } from "./bindings/TenantRef";
import type { TenantResult } from "./bindings/TenantResult";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { filterRows, indexRows, type RowOrder, sortRows } from "./tenantTable";
import { countTenants, FORMATS, folderName, rememberClosed, tenantName } from "./workspace";

export type WorkspaceBackend = Pick<
  Backend,
  | "openWorkspace"
  | "workspaceStatus"
  | "publishTenant"
  | "reissueOutdated"
  | "cancelReissue"
  | "createTenant"
  | "duplicateTenant"
  | "renameTenant"
  | "deleteTenant"
>;

/** The tenant-name dialog: a name for a new tenant, for a copy of one, or a new name. */
export type NameRequest = {
  kind: "new" | "duplicate" | "rename";
  /** The tenant copied or renamed (its id); `null` for a new one. */
  tenant: string | null;
  /** The name the field starts with. */
  initial: string;
  /** The last attempt failed (shown in the dialog, which stays open). */
  error: ErrorPayload | null;
  busy: boolean;
};

/** What a tenant action changed, for the editor to follow (it may have that tenant open). */
export type TenantChange =
  | { kind: "new" | "duplicate" | "rename"; ref: TenantRef }
  | { kind: "delete"; tenant: string; path: string };

/** The last "Export all": its tenant and what came of it (a result, or the error it threw). */
export type Published = {
  tenant: string;
  name: string;
  result: TenantResult | null;
  error: ErrorPayload | null;
};

/** A re-issue, running or finished. */
export type Reissue = {
  id: number;
  running: boolean;
  /** Cancel was asked for (the backend stops before the next tenant). */
  cancelling: boolean;
  /** It stopped before every outdated tenant was done. */
  cancelled: boolean;
  progress: ReissueProgress | null;
  results: TenantResult[] | null;
  error: ErrorPayload | null;
};

/** A quiet note in the sidebar: the workspace from last time could not be reopened. */
export type Note = { text: string; detail: string };

export class Workspace {
  /** The open workspace as last read from disk; `null` when none is open. */
  // Raw, not deeply reactive: it is only ever replaced whole, and a proxy around each of 10,000
  // tenants made opening a fleet's workspace seconds slower (every sort and filter read through it).
  view = $state.raw<WorkspaceView | null>(null);
  note = $state<Note | null>(null);
  /** The last refresh failed (the table shows what was read before). */
  error = $state<ErrorPayload | null>(null);
  refreshing = $state(false);
  /** Statuses read so far while a workspace opens or refreshes (none once it is shown). */
  progress = $state<StatusProgress | null>(null);
  query = $state("");
  /** The formats "Export all" and re-issue write. */
  formats = $state<ExportFormat[]>(FORMATS.map((f) => f.id));
  /** The formats chosen, as the buttons' titles say them ("HTML and PDF"). */
  formatsText = $derived(
    FORMATS.filter((f) => this.formats.includes(f.id))
      .map((f) => f.label)
      .join(" and "),
  );
  /** The tenant whose "Export all" is running. */
  publishing = $state<string | null>(null);
  /** How far that "Export all" is (`null` until its first file). */
  exportProgress = $state<ExportProgress | null>(null);
  published = $state<Published | null>(null);
  reissue = $state<Reissue | null>(null);
  /** Whether the view is shown; hidden, it does not follow the disk. */
  visible = $state(false);
  /** The tenant-name dialog, when open. */
  naming = $state<NameRequest | null>(null);
  /** Told of every tenant created, copied, renamed or deleted (the editor follows). */
  onTenantChange: ((change: TenantChange) => void) | null = null;

  /** How the table is ordered (the tenant column's header switches it). */
  order = $state<RowOrder>("name");

  /** Sorted and indexed once per load or order change; the filter only scans the keys. */
  private indexed = $derived(sortRows(indexRows(this.view?.tenants ?? []), this.order));
  rows = $derived(filterRows(this.indexed, this.query).map((r) => r.tenant));
  counts = $derived(countTenants(this.view?.tenants ?? []));
  name = $derived(this.view ? folderName(this.view.root) : "");
  busy = $derived(this.publishing !== null || this.reissue?.running === true);

  /** Bumped whenever another workspace (or none) is loaded: answers for the old one are dropped. */
  private generation = 0;
  private refreshIssued = 0;
  private refreshShown = 0;
  /** Something may have changed on disk since the table was read. */
  private stale = false;
  private reissueSeq = 0;

  constructor(private readonly backend: WorkspaceBackend) {}

  // ---- opening and closing ------------------------------------------------------------------

  /**
   * Opens the workspace at `path` (`null`: asks for a folder), to be shown now. False when
   * cancelled; throws what the backend threw.
   */
  async open(path: string | null): Promise<boolean> {
    let view: WorkspaceView | null;
    try {
      view = await this.backend.openWorkspace(path, (p) => this.showProgress(p));
    } finally {
      this.progress = null;
    }
    if (!view) return false;
    this.load(view);
    rememberClosed(null);
    return true;
  }

  /** Progress is only worth showing where it takes a while: not for a few tenants. */
  private showProgress(p: StatusProgress): void {
    this.progress = p.done < p.total && p.total >= 200 ? p : null;
  }

  /** Reopens last session's workspace without a fuss: a failure only leaves a quiet note. */
  async reopen(path: string): Promise<void> {
    try {
      if (await this.open(path)) this.stale = !this.visible; // read again when shown
    } catch (e) {
      const err = toErrorPayload(e);
      this.note = { text: `Could not reopen ${folderName(path)}`, detail: err.message };
    }
  }

  close(): void {
    if (this.view) rememberClosed(this.view.root);
    this.generation++;
    this.view = null;
    this.note = null;
    this.reset();
  }

  private load(view: WorkspaceView): void {
    this.generation++;
    this.refreshShown = this.refreshIssued; // answers in flight were for the old one
    this.view = view;
    this.note = null;
    this.reset();
    this.stale = false;
  }

  private reset(): void {
    this.error = null;
    this.refreshing = false;
    this.query = "";
    this.publishing = null;
    this.exportProgress = null;
    this.published = null;
    this.reissue = null;
  }

  // ---- following the disk -------------------------------------------------------------------

  /** Shows or hides the view; shown again, it reads the workspace again. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      this.stale = true; // saves and exports from the editor, a git pull, … meanwhile
      return;
    }
    if (this.stale) void this.refresh();
  }

  /** The window regained focus: files may have changed outside the app. */
  focused(): void {
    if (this.view && this.visible) void this.refresh();
  }

  /** Reads the workspace again; an answer older than one already shown is dropped. */
  async refresh(): Promise<void> {
    if (!this.view) return;
    const gen = this.generation;
    const seq = ++this.refreshIssued;
    this.stale = false;
    this.refreshing = true;
    try {
      const view = await this.backend.workspaceStatus((p) => {
        if (gen === this.generation && seq === this.refreshIssued) this.showProgress(p);
      });
      if (gen !== this.generation || seq <= this.refreshShown) return;
      this.refreshShown = seq;
      this.view = view;
      this.error = null;
    } catch (e) {
      if (gen !== this.generation || seq <= this.refreshShown) return;
      this.refreshShown = seq;
      this.error = toErrorPayload(e);
    } finally {
      if (gen === this.generation && seq === this.refreshIssued) {
        this.refreshing = false;
        this.progress = null;
      }
    }
  }

  // ---- the tenant list -----------------------------------------------------------------------

  /** Opens the name dialog for a new tenant, a copy of `tenant`, or a new name for it. */
  askName(kind: NameRequest["kind"], tenant: string | null = null): void {
    if (!this.view || (kind !== "new" && tenant === null)) return;
    const name = tenant ? tenantName(this.view, tenant) : "";
    const initial = kind === "duplicate" ? `${name} (copy)` : kind === "rename" ? name : "";
    this.naming = { kind, tenant, initial, error: null, busy: false };
  }

  cancelName(): void {
    if (!this.naming?.busy) this.naming = null;
  }

  /** Carries out the name dialog; on failure the dialog stays open with the error. */
  async submitName(name: string): Promise<TenantRef | null> {
    const req = this.naming;
    if (!req || req.busy || !name.trim()) return null;
    const gen = this.generation;
    req.busy = true;
    req.error = null;
    try {
      const ref =
        req.kind === "new"
          ? await this.backend.createTenant(name)
          : req.kind === "duplicate"
            ? await this.backend.duplicateTenant(req.tenant ?? "", name)
            : await this.backend.renameTenant(req.tenant ?? "", name);
      if (gen !== this.generation) return null;
      if (this.naming === req) this.naming = null;
      await this.refresh();
      this.onTenantChange?.({ kind: req.kind, ref });
      return ref;
    } catch (e) {
      if (this.naming === req) {
        req.busy = false;
        req.error = toErrorPayload(e);
      }
      return null;
    }
  }

  /** Deletes a tenant's file (the caller has asked); throws what the backend threw. */
  async deleteTenant(tenant: string): Promise<void> {
    const row = this.view?.tenants.find((t) => t.status.tenant === tenant);
    if (!row) return;
    await this.backend.deleteTenant(tenant);
    await this.refresh();
    this.onTenantChange?.({ kind: "delete", tenant, path: row.path });
  }

  // ---- exporting ----------------------------------------------------------------------------

  setFormat(format: ExportFormat, on: boolean): void {
    const chosen = new Set(this.formats);
    if (on) chosen.add(format);
    else chosen.delete(format);
    this.formats = FORMATS.map((f) => f.id).filter((f) => chosen.has(f));
  }

  /** "Export all" for one tenant (by id); the result is kept to show, then the table re-read. */
  async publish(tenant: string): Promise<void> {
    if (!this.view || this.busy || this.formats.length === 0) return;
    const gen = this.generation;
    const name = tenantName(this.view, tenant);
    this.publishing = tenant;
    this.exportProgress = null;
    this.published = null;
    this.reissue = null;
    let done: Published;
    try {
      const result = await this.backend.publishTenant(tenant, [...this.formats], (p) => {
        // A message may trail the result, or come from a workspace closed meanwhile: ignore it.
        if (gen === this.generation && this.publishing === tenant) this.exportProgress = p;
      });
      done = { tenant, name, result, error: null };
    } catch (e) {
      done = { tenant, name, result: null, error: toErrorPayload(e) };
    }
    if (gen !== this.generation) return;
    this.publishing = null;
    this.exportProgress = null;
    this.published = done;
    await this.refresh();
  }

  /** Re-exports every tenant behind a template's current version, following its progress. */
  async reissueOutdated(): Promise<void> {
    if (!this.view || this.busy || this.formats.length === 0) return;
    const gen = this.generation;
    const id = ++this.reissueSeq;
    this.published = null;
    this.reissue = {
      id,
      running: true,
      cancelling: false,
      cancelled: false,
      progress: null,
      results: null,
      error: null,
    };
    const current = () => (this.reissue?.id === id ? this.reissue : null);
    let results: TenantResult[] | null = null;
    let error: ErrorPayload | null = null;
    try {
      results = await this.backend.reissueOutdated([...this.formats], (p) => {
        const run = current();
        if (run?.running) run.progress = p; // a message may trail the result: ignore it then
      });
    } catch (e) {
      error = toErrorPayload(e);
    }
    const run = current();
    if (gen !== this.generation || !run) return;
    run.running = false;
    run.results = results;
    run.error = error;
    const total = run.progress?.total;
    run.cancelled =
      run.cancelling && results !== null && (total === undefined || results.length < total);
    await this.refresh();
  }

  async cancelReissue(): Promise<void> {
    const run = this.reissue;
    if (!run?.running || run.cancelling) return;
    run.cancelling = true;
    try {
      await this.backend.cancelReissue();
    } catch {
      if (this.reissue === run) run.cancelling = false; // still running: Cancel can be tried again
    }
  }

  /** Clears the results shown (not a running re-issue). */
  dismissResults(): void {
    this.published = null;
    if (!this.reissue?.running) this.reissue = null;
  }
}
