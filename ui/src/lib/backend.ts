// The one door to the Rust side. Components and the controller talk to a `Backend`; the app uses
// `tauriBackend` (Tauri `invoke`), tests pass a fake.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ExportDone } from "./bindings/ExportDone";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { OpenedTenant } from "./bindings/OpenedTenant";
import type { PagePreview } from "./bindings/PagePreview";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { RecentFiles } from "./bindings/RecentFiles";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { Startup } from "./bindings/Startup";
import type { TemplateEntry } from "./bindings/TemplateEntry";
import type { TenantFile } from "./bindings/TenantFile";
import type { WorkingState } from "./bindings/WorkingState";

export interface Backend {
  startup(): Promise<Startup>;
  listTemplates(): Promise<TemplateEntry[]>;
  /** `null` path: native dialog; `null` result: cancelled. */
  openTemplate(path: string | null): Promise<OpenedTemplate | null>;
  renderPreview(tenant: TenantFile): Promise<RenderedNotice>;
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
  ): Promise<ExportDone | null>;
  writeAutosave(state: WorkingState): Promise<void>;
  clearAutosave(): Promise<void>;
  recentFiles(): Promise<RecentFiles>;
}

export const tauriBackend: Backend = {
  startup: () => invoke<Startup>("startup"),
  listTemplates: () => invoke<TemplateEntry[]>("list_templates"),
  openTemplate: (path) => invoke<OpenedTemplate | null>("open_template", { path }),
  renderPreview: (tenant) => invoke<RenderedNotice>("render_preview", { tenant }),
  pagePreview: (tenant, settings) => invoke<PagePreview>("page_preview", { tenant, settings }),
  newTenant: () => invoke<OpenedTenant>("new_tenant"),
  openTenant: (path) => invoke<OpenedTenant | null>("open_tenant", { path }),
  saveTenant: (tenant, path) => invoke<string | null>("save_tenant", { tenant, path }),
  exportDocument: (tenant, format, draft, pdf = null) =>
    invoke<ExportDone | null>("export_document", { tenant, format, draft, pdf }),
  writeAutosave: (state) => invoke<void>("write_autosave", { state }),
  clearAutosave: () => invoke<void>("clear_autosave"),
  recentFiles: () => invoke<RecentFiles>("recent_files"),
};

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
export function describeError(action: string, err: ErrorPayload, fallbackName?: string): string {
  const name = err.path ? basename(err.path) : fallbackName;
  const head = name ? `Could not ${action} ${name}` : `Could not ${action}`;
  const pos: string[] = [];
  if (err.line !== undefined) pos.push(`line ${err.line}`);
  if (err.column !== undefined) pos.push(`column ${err.column}`);
  const where = pos.length > 0 ? `: ${pos.join(", ")}` : "";
  return `${head}${where}: ${err.message}`;
}
