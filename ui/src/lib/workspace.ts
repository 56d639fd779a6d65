// The Workspace table's model, as pure functions: status chips, the counts line and
// how export results read.
import { basename } from "./backend";
import type { DocStatus } from "./bindings/DocStatus";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { TenantResult } from "./bindings/TenantResult";
import type { WorkspaceDocument } from "./bindings/WorkspaceDocument";
import type { WorkspaceTenant } from "./bindings/WorkspaceTenant";
import type { WorkspaceView } from "./bindings/WorkspaceView";

export type Tone = "ok" | "warn" | "muted" | "error";

export type Chip = {
  /** What the chip says: "Up to date", "1.0.0 → 2.0.0", "3 errors". */
  label: string;
  tone: Tone;
  /** The longer explanation (tooltip and accessible description). */
  detail: string;
  /** The tenant has to accept the new terms again. */
  mustAccept: boolean;
};

export const FORMATS: { id: ExportFormat; label: string }[] = [
  { id: "html", label: "HTML" },
  { id: "pdf", label: "PDF" },
];

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The chip for one tenant × document. */
export function statusChip(s: DocStatus): Chip {
  switch (s.state) {
    case "up-to-date":
      return {
        label: "Up to date",
        tone: "ok",
        detail: `Exported at the current version ${s.version}`,
        mustAccept: false,
      };
    case "changed":
      return {
        label: "Changed since export",
        tone: "warn",
        detail: `The tenant's values changed since version ${s.version} was exported`,
        mustAccept: false,
      };
    case "never-exported":
      return {
        label: "Never exported",
        tone: "muted",
        detail: "Never exported",
        mustAccept: false,
      };
    case "outdated":
      return {
        label: `${s.exported} \u2192 ${s.current}`,
        tone: "warn",
        detail: `Exported at ${s.exported}; the template is now at ${s.current}${
          s.must_accept ? ". The tenant's users must accept the new version again" : ""
        }`,
        mustAccept: s.must_accept,
      };
    case "problems":
      return {
        label: plural(s.errors, "error"),
        tone: "error",
        detail: `${plural(s.errors, "error")} to fix before this document can be exported`,
        mustAccept: false,
      };
  }
}

export type Counts = { tenants: number; outdated: number; problems: number; mustAccept: number };

/** Tenants in all, and how many have an outdated document, a document with errors, … */
export function countTenants(tenants: WorkspaceTenant[]): Counts {
  const has = (t: WorkspaceTenant, f: (s: DocStatus) => boolean) =>
    t.status.documents.some(([, s]) => f(s));
  return {
    tenants: tenants.length,
    outdated: tenants.filter((t) => has(t, (s) => s.state === "outdated")).length,
    problems: tenants.filter((t) => has(t, (s) => s.state === "problems")).length,
    mustAccept: tenants.filter((t) => has(t, (s) => s.state === "outdated" && s.must_accept))
      .length,
  };
}

/** "3 tenants · 1 outdated · 1 with problems" (zero counts left out). */
export function summaryText(c: Counts): string {
  const parts = [plural(c.tenants, "tenant")];
  if (c.outdated) parts.push(`${c.outdated} outdated`);
  if (c.mustAccept) parts.push(`${c.mustAccept} must accept again`);
  if (c.problems) parts.push(`${c.problems} with problems`);
  return parts.join(" \u00b7 ");
}

/** The folder's name, for the sidebar and headings. */
export function folderName(root: string): string {
  return basename(root.replace(/[\\/]+$/, "")) || root;
}

/** `path` relative to the workspace root when it is inside it (for short file lists). */
export function relativeTo(root: string, path: string): string {
  const base = root.replace(/[\\/]+$/, "");
  if (path.length > base.length && path.startsWith(base) && /[\\/]/.test(path[base.length])) {
    return path.slice(base.length + 1);
  }
  return path;
}

/** A document's name for messages: its title, else its name, else the id the backend used. */
export function documentName(docs: WorkspaceDocument[], id: string): string {
  const d = docs.find((x) => x.id === id);
  return d ? (d.title ?? d.name) : id;
}

/** A tenant's display name from the table, else its id. */
export function tenantName(view: WorkspaceView | null, id: string): string {
  const t = view?.tenants.find((x) => x.status.tenant === id);
  return t?.status.name || id;
}

export type Outcome = "ok" | "partial" | "failed";

/** How one tenant's export went: everything written, some documents refused, or nothing. */
export function outcome(r: TenantResult): Outcome {
  if (r.failure) return "failed";
  if (r.problems.length === 0) return "ok";
  return r.written.length > 0 ? "partial" : "failed";
}

/** "Exported 4 files", "Exported 2 files · 1 document not exported", "Could not write: …". */
export function resultText(r: TenantResult): string {
  const parts: string[] = [];
  if (r.written.length > 0 || (r.problems.length === 0 && !r.failure)) {
    parts.push(`Exported ${plural(r.written.length, "file")}`);
  }
  if (r.problems.length > 0) {
    parts.push(`${plural(r.problems.length, "document")} not exported`);
  }
  if (r.failure) parts.push(`Could not write: ${r.failure}`);
  return parts.join(" \u00b7 ");
}

// ---- "Close" is remembered, so a closed workspace is not reopened at the next start -----------

export const CLOSED_STORAGE_KEY = "notice-studio.workspace-closed";

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled
  }
}

/** Remembers that the user closed the workspace at `root` (`null`: forget it, one was opened). */
export function rememberClosed(root: string | null, storage = defaultStorage()): void {
  try {
    if (root === null) storage?.removeItem(CLOSED_STORAGE_KEY);
    else storage?.setItem(CLOSED_STORAGE_KEY, root);
  } catch {
    // full or disabled storage: it reopens next time, which is harmless
  }
}

/** Whether the user closed the workspace at `root` (so it should not be reopened at start). */
export function wasClosed(root: string, storage = defaultStorage()): boolean {
  try {
    return storage?.getItem(CLOSED_STORAGE_KEY) === root;
  } catch {
    return false;
  }
}

/** A run's progress line: "2 of 5 · acme" (`on`: what it is working on, if anything). */
export function progressText(p: { done: number; total: number } | null, on = ""): string {
  if (!p) return "Starting\u2026";
  const head = `${p.done} of ${p.total}`;
  return on ? `${head} \u00b7 ${on}` : head;
}

/** The headline over a finished re-issue's results. */
export function reissueHeadline(results: TenantResult[], cancelled: boolean): string {
  if (results.length === 0) {
    return cancelled
      ? "Cancelled before any tenant was re-issued"
      : "Nothing to re-issue: every tenant is on its templates' current versions";
  }
  const failed = results.filter((r) => outcome(r) !== "ok").length;
  const head = `${cancelled ? "Cancelled after re-issuing" : "Re-issued"} ${plural(results.length, "tenant")}`;
  return failed ? `${head} \u00b7 ${failed} with problems` : head;
}
