// The one door to the Rust side. Components and the controller talk to a `Backend`; the app uses
// `tauriBackend` (Tauri `invoke`), tests pass a fake.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApprovalView } from "./bindings/ApprovalView";
import type { ConsentExportDone } from "./bindings/ConsentExportDone";
import type { ConsentState } from "./bindings/ConsentState";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ExportDone } from "./bindings/ExportDone";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { FamilyProblems } from "./bindings/FamilyProblems";
import type { Fix } from "./bindings/Fix";
import type { MigrationPlan } from "./bindings/MigrationPlan";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { OpenedTenant } from "./bindings/OpenedTenant";
import type { PagePreview } from "./bindings/PagePreview";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { PreviewAnswer } from "./bindings/PreviewAnswer";
import type { RecentFiles } from "./bindings/RecentFiles";
import type { RedlineAgainst } from "./bindings/RedlineAgainst";
import type { RedlineView } from "./bindings/RedlineView";
import type { ReissueProgress } from "./bindings/ReissueProgress";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { ReviewerInfo } from "./bindings/ReviewerInfo";
import type { Startup } from "./bindings/Startup";
import type { StatusProgress } from "./bindings/StatusProgress";
import type { TemplateEntry } from "./bindings/TemplateEntry";
import type { TenantFile } from "./bindings/TenantFile";
import type { TenantRef } from "./bindings/TenantRef";
import type { TenantResult } from "./bindings/TenantResult";
import type { WorkingState } from "./bindings/WorkingState";
import type { WorkspaceView } from "./bindings/WorkspaceView";

export interface Backend {
  startup(): Promise<Startup>;
  listTemplates(): Promise<TemplateEntry[]>;
  /** `null` path: native dialog; `null` result: cancelled. */
  openTemplate(path: string | null): Promise<OpenedTemplate | null>;
  /** `consent`: a consent page's document as Synapse serves it in that state. */
  renderPreview(tenant: TenantFile, consent?: ConsentState): Promise<RenderedNotice>;
  /** In a workspace family: each document's problem counts with `tenant`'s answers. */
  familyProblems(tenant: TenantFile): Promise<FamilyProblems[]>;
  /** Writes a diagnostic's fix into the open template's file (`path`) and opens the template again. */
  applyFix(path: string, fix: Fix): Promise<OpenedTemplate>;
  /** The notice typeset as the PDF will be: one SVG document per page. CPU-heavy: debounce. */
  pagePreview(tenant: TenantFile, settings: PdfSettings): Promise<PagePreview>;
  newTenant(): Promise<OpenedTenant>;
  openTenant(path: string | null): Promise<OpenedTenant | null>;
  /** `null` path: "Save As" dialog. Resolves to the saved path, or `null` when cancelled. */
  saveTenant(tenant: TenantFile, path: string | null): Promise<string | null>;
  exportDocument(
    tenant: TenantFile,
    format: ExportFormat,
    draft: boolean,
    /** Paper and standards, for `format === "pdf"`. */
    pdf?: PdfSettings | null,
    /** The tenant's file: its approval goes into the export (and may be required). */
    tenantPath?: string | null,
  ): Promise<ExportDone | null>;
  /**
   * The open consent page as Synapse's `template_dir`, into a folder the dialog asks for.
   * `null` result: cancelled.
   */
  exportForSynapse(
    tenant: TenantFile,
    tenantPath?: string | null,
  ): Promise<ConsentExportDone | null>;
  writeAutosave(state: WorkingState): Promise<void>;
  clearAutosave(): Promise<void>;
  recentFiles(): Promise<RecentFiles>;

  // ---- workspaces ----
  /** Opens the workspace folder at `path` (`null`: folder dialog). `null` result: cancelled. */
  openWorkspace(
    path: string | null,
    /** Called as tenants' statuses are read (a cold open of a large workspace takes a while). */
    onProgress?: (p: StatusProgress) => void,
  ): Promise<WorkspaceView | null>;
  /** The open workspace, read again from disk. */
  workspaceStatus(onProgress?: (p: StatusProgress) => void): Promise<WorkspaceView>;
  /** A new tenant file in the workspace, with a slot for every field of its documents. */
  createTenant(name: string): Promise<TenantRef>;
  /** A copy of a tenant's answers (by id) under a new name. */
  duplicateTenant(tenant: string, name: string): Promise<TenantRef>;
  /** A tenant's new display name; its id, file, exports and history stay. */
  renameTenant(tenant: string, name: string): Promise<TenantRef>;
  /** Deletes a tenant's file (ask first); its exports and history are kept. */
  deleteTenant(tenant: string): Promise<void>;
  /** "Export all": every document for one tenant (by id), into the workspace's exports. */
  publishTenant(
    tenant: string,
    formats: ExportFormat[],
    onProgress: (progress: ExportProgress) => void,
  ): Promise<TenantResult>;
  /** Re-exports every tenant behind a template's current version, reporting progress. */
  reissueOutdated(
    formats: ExportFormat[],
    onProgress: (progress: ReissueProgress) => void,
  ): Promise<TenantResult[]>;
  /** Stops a re-issue before its next tenant. */
  cancelReissue(): Promise<void>;
  /**
   * The open template against another version of it (`null`: file dialog), both with `tenant`'s
   * values. `null` result: cancelled.
   */
  redlineTemplate(tenant: TenantFile, oldTemplate: string | null): Promise<RedlineView | null>;
  /** The open document now against what the tenant (saved at `tenantPath`) last received. */
  redlineLastExport(tenant: TenantFile, tenantPath: string): Promise<RedlineView>;
  /**
   * A redline computed again and saved as a self-contained HTML page where the user chooses.
   * Resolves to the path written, or `null` when cancelled.
   */
  saveRedline(tenant: TenantFile, against: RedlineAgainst): Promise<string | null>;
  /** The tenant's answers the open template does not use, each with a likely new field. */
  migrationPlan(tenant: TenantFile): Promise<MigrationPlan>;

  // ---- legal sign-off ----
  /** The reviewer this app signs as, if set up (no keychain access). */
  reviewer(): Promise<ReviewerInfo | null>;
  /** Uses the keychain's key for `name`, or creates and stores one. */
  setReviewer(name: string, email: string): Promise<ReviewerInfo>;
  /** The open document's approval status with `tenant`'s values as typed. */
  approvalStatus(tenant: TenantFile, tenantPath: string | null): Promise<ApprovalView>;
  /** Signs the open document for the tenant saved at `tenantPath`, as saved. */
  approveDocument(tenantPath: string): Promise<ApprovalView>;
}

export const tauriBackend: Backend = {
  startup: () => invoke<Startup>("startup"),
  listTemplates: () => invoke<TemplateEntry[]>("list_templates"),
  openTemplate: (path) => invoke<OpenedTemplate | null>("open_template", { path }),
  renderPreview: (tenant, consent) => previewBlocks.render(tenant, consent),
  familyProblems: (tenant) => invoke<FamilyProblems[]>("family_problems", { tenant }),
  applyFix: (path, fix) => invoke<OpenedTemplate>("apply_fix", { path, fix }),
  pagePreview: (tenant, settings) => invoke<PagePreview>("page_preview", { tenant, settings }),
  newTenant: () => invoke<OpenedTenant>("new_tenant"),
  openTenant: (path) => invoke<OpenedTenant | null>("open_tenant", { path }),
  saveTenant: (tenant, path) => invoke<string | null>("save_tenant", { tenant, path }),
  exportDocument: (tenant, format, draft, pdf = null, tenantPath = null) =>
    invoke<ExportDone | null>("export_document", { tenant, format, draft, pdf, tenantPath }),
  exportForSynapse: (tenant, tenantPath = null) =>
    invoke<ConsentExportDone | null>("export_for_synapse", { tenant, tenantPath }),
  writeAutosave: (state) => invoke<void>("write_autosave", { state }),
  clearAutosave: () => invoke<void>("clear_autosave"),
  recentFiles: () => invoke<RecentFiles>("recent_files"),
  openWorkspace: (path, onProgress) =>
    invoke<WorkspaceView | null>("open_workspace", { path, onProgress: progress(onProgress) }),
  workspaceStatus: (onProgress) =>
    invoke<WorkspaceView>("workspace_status", { onProgress: progress(onProgress) }),
  createTenant: (name) => invoke<TenantRef>("create_tenant", { name }),
  duplicateTenant: (tenant, name) => invoke<TenantRef>("duplicate_tenant", { tenant, name }),
  renameTenant: (tenant, name) => invoke<TenantRef>("rename_tenant", { tenant, name }),
  deleteTenant: (tenant) => invoke<void>("delete_tenant", { tenant }),
  publishTenant: (tenant, formats, onProgress) => {
    const channel = new Channel<ExportProgress>();
    channel.onmessage = onProgress;
    return invoke<TenantResult>("publish_tenant", { tenant, formats, onProgress: channel });
  },
  reissueOutdated: (formats, onProgress) => {
    const channel = new Channel<ReissueProgress>();
    channel.onmessage = onProgress;
    return invoke<TenantResult[]>("reissue_outdated", { formats, onProgress: channel });
  },
  cancelReissue: () => invoke<void>("cancel_reissue"),
  redlineTemplate: (tenant, oldTemplate) =>
    invoke<RedlineView | null>("redline_template", { tenant, oldTemplate }),
  redlineLastExport: (tenant, tenantPath) =>
    invoke<RedlineView>("redline_last_export", { tenant, tenantPath }),
  saveRedline: (tenant, against) => invoke<string | null>("save_redline", { tenant, against }),
  migrationPlan: (tenant) => invoke<MigrationPlan>("migration_plan", { tenant }),
  reviewer: () => invoke<ReviewerInfo | null>("reviewer"),
  setReviewer: (name, email) => invoke<ReviewerInfo>("set_reviewer", { name, email }),
  approvalStatus: (tenant, tenantPath) =>
    invoke<ApprovalView>("approval_status", { tenant, tenantPath }),
  approveDocument: (tenantPath) => invoke<ApprovalView>("approve_document", { tenantPath }),
};

/**
 * `backend` with its start-up request already sent. Called before the window's first layout, so
 * the app reads the template and tenant while the web view lays out the page; the first
 * `startup()` then takes that answer, and later calls ask again.
 */
export function startingEarly(backend: Backend): Backend {
  let early: Promise<Startup> | null = backend.startup();
  return {
    ...backend,
    startup: () => {
      const answer = early ?? backend.startup();
      early = null;
      return answer;
    },
  };
}

/**
 * The preview's side of `render_preview`'s block changes: it keeps the blocks of recent renders,
 * asks for changes against the newest, and rebuilds each answer's full list of blocks (unchanged
 * ones are the very same strings, so the preview's patching skips them cheaply).
 */
export class PreviewBlocks {
  private readonly recent = new Map<number, string[]>();
  private newest: number | null = null;

  constructor(
    private readonly call: (
      tenant: TenantFile,
      base: number | null,
      consent?: ConsentState,
    ) => Promise<PreviewAnswer>,
    private readonly keep = 16,
  ) {}

  async render(tenant: TenantFile, consent?: ConsentState): Promise<RenderedNotice> {
    let answer = await this.ask(tenant, this.newest, consent);
    let from = this.baseOf(answer);
    if (from === null) {
      // Forgotten here (cannot happen while both keep as many): ask once for everything.
      answer = await this.ask(tenant, null, consent);
      from = this.baseOf(answer);
    }
    const { id, count, changed } = answer.blocks;
    const blocks = from?.length === count ? from.slice() : new Array<string>(count).fill("");
    for (const [i, html] of changed) blocks[i] = html;
    this.recent.set(id, blocks);
    if (this.newest === null || id > this.newest) this.newest = id;
    for (const old of this.recent.keys()) {
      if (this.recent.size <= this.keep) break;
      this.recent.delete(old); // Map keeps insertion order: the oldest go first
    }
    return { ...answer.notice, blocks };
  }

  /** The call, with `consent` only for a consent page's states (ordinary renders as before). */
  private ask(tenant: TenantFile, base: number | null, consent?: ConsentState) {
    return consent === undefined ? this.call(tenant, base) : this.call(tenant, base, consent);
  }

  /** The blocks an answer's changes apply to: none for a full answer, `null` when forgotten. */
  private baseOf(answer: PreviewAnswer): string[] | undefined | null {
    const base = answer.blocks.base;
    if (base === undefined || base === null) return undefined;
    return this.recent.get(base) ?? null;
  }
}

const previewBlocks = new PreviewBlocks((tenant, base, consent) =>
  invoke<PreviewAnswer>(
    "render_preview",
    consent === undefined ? { tenant, base } : { tenant, base, consent },
  ),
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** Whatever a rejected call threw, as an `ErrorPayload`. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isRecord(e) && typeof e.kind === "string" && typeof e.message === "string") {
    return {
      kind: e.kind,
      message: e.message,
      path: typeof e.path === "string" ? e.path : undefined,
      line: typeof e.line === "number" ? e.line : undefined,
      column: typeof e.column === "number" ? e.column : undefined,
      diagnostics: Array.isArray(e.diagnostics)
        ? (e.diagnostics as ErrorPayload["diagnostics"])
        : [],
    };
  }
  if (e instanceof Error) return { kind: "internal", message: e.message, diagnostics: [] };
  return { kind: "internal", message: String(e), diagnostics: [] };
}

/** The last component of a path, for titles and messages. */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * A one-line message naming the file: "Could not open acme.json: line 3, column 5: invalid JSON".
 * `action` is the verb phrase ("open", "save", "export").
 */
/** A channel for a command's progress messages (one is always passed: the command expects it). */
function progress<T>(handler?: (p: T) => void): Channel<T> {
  const channel = new Channel<T>();
  if (handler) channel.onmessage = handler;
  return channel;
}

export function describeError(action: string, err: ErrorPayload, fallbackName?: string): string {
  const name = err.path ? basename(err.path) : fallbackName;
  const head = name ? `Could not ${action} ${name}` : `Could not ${action}`;
  const pos: string[] = [];
  if (err.line !== undefined) pos.push(`line ${err.line}`);
  if (err.column !== undefined) pos.push(`column ${err.column}`);
  const where = pos.length > 0 ? `: ${pos.join(", ")}` : "";
  return `${head}${where}: ${err.message}`;
}
