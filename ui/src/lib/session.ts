// Session state that is not UI: dirty tracking, the window title, the autosave record.
import { basename } from "./backend";
import type { TenantFile } from "./bindings/TenantFile";
import type { WorkingState } from "./bindings/WorkingState";

export const APP_NAME = "Notice Studio";

/** A stable serialisation (sorted value keys) for comparing tenants. */
export function tenantFingerprint(t: TenantFile): string {
  const keys = Object.keys(t.values).sort();
  return JSON.stringify([t.format, t.tenant, keys.map((k) => [k, t.values[k]])]);
}

/** Dirty when there is no saved baseline (restored work) or the tenant differs from it. */
export function isDirty(tenant: TenantFile, baseline: string | null): boolean {
  return baseline === null || tenantFingerprint(tenant) !== baseline;
}

export function windowTitle(opts: {
  tenantName: string;
  templatePath?: string;
  dirty: boolean;
}): string {
  const parts: string[] = [];
  parts.push(opts.tenantName.trim() || "Untitled tenant");
  if (opts.templatePath) parts.push(basename(opts.templatePath));
  parts.push(APP_NAME);
  const title = parts.join(" \u2014 ");
  return opts.dirty ? `\u2022 ${title}` : title;
}

export function workingState(opts: {
  templatePath: string;
  tenantPath?: string;
  tenant: TenantFile;
  dirty: boolean;
  now?: Date;
}): WorkingState {
  const state: WorkingState = {
    template_path: opts.templatePath,
    tenant: opts.tenant,
    dirty: opts.dirty,
    saved_at: (opts.now ?? new Date()).toISOString(),
  };
  if (opts.tenantPath) state.tenant_path = opts.tenantPath;
  return state;
}

/** "14:05, 3 March 2025"-style local time for the restore banner; the raw text if unparsable. */
export function formatSavedAt(savedAt: string): string {
  const d = new Date(savedAt);
  if (!savedAt || Number.isNaN(d.getTime())) return savedAt || "an earlier session";
  return d.toLocaleString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}
