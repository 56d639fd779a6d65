// A fake backend with a tiny "engine": enough to drive the app the way the Rust side does.
import { vi } from "vitest";
import type { AppWindow } from "../lib/appWindow";
import type { Backend } from "../lib/backend";
import type { ApprovalView } from "../lib/bindings/ApprovalView";
import type { ConsentExportDone } from "../lib/bindings/ConsentExportDone";
import type { Diagnostic } from "../lib/bindings/Diagnostic";
import type { ExportDone } from "../lib/bindings/ExportDone";
import type { ExportFormat } from "../lib/bindings/ExportFormat";
import type { ExportProgress } from "../lib/bindings/ExportProgress";
import type { FamilyProblems } from "../lib/bindings/FamilyProblems";
import type { Field } from "../lib/bindings/Field";
import type { FieldValue } from "../lib/bindings/FieldValue";
import type { Fix } from "../lib/bindings/Fix";
import type { MigrationPlan } from "../lib/bindings/MigrationPlan";
import type { OpenedTemplate } from "../lib/bindings/OpenedTemplate";
import type { OpenedTenant } from "../lib/bindings/OpenedTenant";
import type { OpenRequest } from "../lib/bindings/OpenRequest";
import type { PagePreview } from "../lib/bindings/PagePreview";
import type { PdfSettings } from "../lib/bindings/PdfSettings";
import type { RedlineAgainst } from "../lib/bindings/RedlineAgainst";
import type { RedlineView } from "../lib/bindings/RedlineView";
import type { ReissueProgress } from "../lib/bindings/ReissueProgress";
import type { RenderedNotice } from "../lib/bindings/RenderedNotice";
import type { ReviewerInfo } from "../lib/bindings/ReviewerInfo";
import type { Startup } from "../lib/bindings/Startup";
import type { StatusProgress } from "../lib/bindings/StatusProgress";
import type { TemplateSchema } from "../lib/bindings/TemplateSchema";
import type { TenantFile } from "../lib/bindings/TenantFile";
import type { TenantRef } from "../lib/bindings/TenantRef";
import type { TenantResult } from "../lib/bindings/TenantResult";
import type { WorkspaceView } from "../lib/bindings/WorkspaceView";

export const TEMPLATE_PATH = "/app/templates/hosted-homeserver/privacy_notice.md";

function field(f: Partial<Field> & Pick<Field, "name" | "label" | "type">): Field {
  return { required: true, origin: "declared", uses: 1, ...f };
}

export const FIELDS: Field[] = [
  field({
    name: "hhs_entity_name",
    label: "Customer's legal name",
    type: "text",
    group: "Customer",
    help: "The organisation that owns the homeserver.",
    example: "Acme Corporation Ltd",
  }),
  field({
    name: "hhs_admin_email",
    label: "Customer's privacy contact",
    type: "email",
    group: "Customer",
    example: "dpo@acme.example.org",
  }),
  field({
    name: "hhs_name",
    label: "Hosted server name",
    type: "text",
    group: "Hosted homeserver",
  }),
  field({
    name: "our_server_fqdn",
    label: "Server host name",
    type: "hostname",
    group: "Hosted homeserver",
    example: "acme.ems.host",
  }),
  field({
    name: "their_server_name",
    label: "Matrix server name",
    type: "matrix_server_name",
    group: "Hosted homeserver",
    default: "{{ hhs_name }}.ems.host",
    example: "acme.example.org",
  }),
  field({ name: "notes", label: "Notes", type: "multiline", required: false }),
  field({ name: "website", label: "Website", type: "url", required: false, group: "Extras" }),
  field({ name: "effective", label: "Effective date", type: "date", required: false }),
  field({ name: "eu_only", label: "EU only", type: "bool", required: false, group: "Extras" }),
  field({
    name: "region",
    label: "Region",
    type: "choice",
    required: false,
    group: "Extras",
    options: ["eu", "us"],
  }),
];

export const SCHEMA: TemplateSchema = {
  id: "privacy_notice",
  path: TEMPLATE_PATH,
  title: "Privacy Notice",
  version: "1.0.0",
  lang: "en",
  declares_fields: true,
  fields: FIELDS,
  content_hash: "abc",
};

export const TEMPLATE: OpenedTemplate = {
  schema: SCHEMA,
  diagnostics: [],
  family: [],
  consent: false,
};

export const ACME: TenantFile = {
  format: 1,
  tenant: "Acme Corporation",
  values: {
    hhs_entity_name: "Acme Corporation Ltd",
    hhs_admin_email: "dpo@acme.example.org",
    hhs_name: "acme",
  },
};

/** Where the start-up tenant is saved. */
export const ACME_PATH = "/home/am/acme.json";

export function opened(tenant: TenantFile, path?: string): OpenedTenant {
  return {
    path,
    tenant: structuredClone(tenant),
    report: { missing: [], unknown: [], converted: [], legacy_format: false, duplicates: [] },
  };
}

const LABELS = Object.fromEntries(FIELDS.map((f) => [f.name, f.label]));

function use(name: string, values: Record<string, FieldValue>): string {
  const v = values[name];
  if (v === undefined || v === "") {
    return `<mark class="unfilled" data-field="${name}" title="${LABELS[name]}: not filled in">${LABELS[name]}</mark>`;
  }
  return `<span class="field-value" data-field="${name}">${String(v)}</span>`;
}

/** What the engine would render for these values (a few blocks with template line numbers). */
export function fakeRender(tenant: TenantFile): RenderedNotice {
  const values: Record<string, FieldValue> = { ...tenant.values };
  const derived: string[] = [];
  if (!values.their_server_name && values.hhs_name) {
    values.their_server_name = `${values.hhs_name}.ems.host`;
    derived.push("their_server_name");
  }
  const diagnostics: Diagnostic[] = [];
  const lines: Record<string, number> = {
    hhs_entity_name: 6,
    their_server_name: 14,
    our_server_fqdn: 14,
    hhs_admin_email: 20,
    hhs_name: 24,
  };
  for (const f of FIELDS) {
    if (f.required && (values[f.name] === undefined || values[f.name] === "")) {
      diagnostics.push({
        severity: "error",
        code: "unfilled-placeholder",
        message: `${f.label} is not filled in`,
        field: f.name,
        path: TEMPLATE_PATH,
        line: lines[f.name],
      });
    }
  }
  for (const name of Object.keys(tenant.values)) {
    if (!FIELDS.some((f) => f.name === name)) {
      diagnostics.push({
        severity: "error",
        code: "unknown-field",
        message: `the tenant has a value for \`${name}\`, which this template does not use`,
        field: name,
      });
    }
  }
  const email = values.hhs_admin_email;
  if (typeof email === "string" && email && !email.includes("@")) {
    diagnostics.push({
      severity: "error",
      code: "invalid-value",
      message: "Not an email address",
      field: "hhs_admin_email",
      hint: "Use name@example.org",
    });
  }
  diagnostics.push({
    severity: "warning",
    code: "unpaired-emphasis",
    message: "Unpaired ** emphasis",
    path: TEMPLATE_PATH,
    line: 16,
    column: 70,
  });
  diagnostics.push({
    severity: "info",
    code: "section-ref",
    message: "Section 2.1 is referenced",
    path: TEMPLATE_PATH,
    line: 30,
  });
  const body = [
    `<h1 data-sourcepos="6:1-6:80">${use("hhs_entity_name", values)} (${use("their_server_name", values)}) Homeserver Privacy Notice</h1>`,
    `<h2 data-sourcepos="10:1-10:20">1. Introduction</h2>`,
    `<p data-sourcepos="14:1-16:90">Where you read 'the ${use("their_server_name", values)} homeserver', it refers to ${use("our_server_fqdn", values)}.</p>`,
    `<p data-sourcepos="20:1-21:40">Contact: ${use("hhs_admin_email", values)}</p>`,
    `<ul data-sourcepos="24:1-26:10"><li data-sourcepos="24:1-24:30">Server ${use("hhs_name", values)}</li><li data-sourcepos="25:1-26:10">Other</li></ul>`,
    `<p data-sourcepos="30:1-30:40">See section 2.1.</p>`,
  ];
  return {
    title: "Privacy Notice",
    title_html: `${use("hhs_entity_name", values)} Homeserver Privacy Notice`,
    version: "1.0.0",
    body_html: body.join("\n"),
    blocks: body.map((b) => `${b}\n`),
    markdown: "",
    diagnostics,
    sections: [],
    values,
    derived,
    rendered: true,
  };
}

/** What the engine would typeset: a page per two filled values, DRAFT while fields are missing. */
export function fakePages(tenant: TenantFile, settings: PdfSettings): PagePreview {
  const [w, h] = settings.paper === "letter" ? [612, 792] : [595.28, 841.89];
  const filled = Object.keys(tenant.values).length;
  const n = Math.max(1, Math.ceil(filled / 2));
  const missing = FIELDS.some(
    (f) => f.required && !tenant.values[f.name] && f.name !== "their_server_name",
  );
  const pages = Array.from(
    { length: n },
    (_, i) =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}pt" height="${h}pt">` +
      `<text x="40" y="60">${tenant.tenant} \u2014 ${settings.standards.join("+")} \u2014 page ${i + 1}</text></svg>`,
  );
  return { pages, draft: missing, millis: 42 };
}

export const WS_ROOT = "/home/am/policies";
export const PRIVACY = "hosted-homeserver/privacy_notice";
export const COOKIES = "hosted-homeserver/cookie_policy";

/** A workspace with every status: acme is fine, globex behind, initech with errors. */
export const WORKSPACE: WorkspaceView = {
  root: WS_ROOT,
  documents: [
    {
      id: PRIVACY,
      name: "privacy_notice",
      path: `${WS_ROOT}/templates/hosted-homeserver/privacy_notice.md`,
      title: "Privacy Notice",
      version: "2.0.0",
    },
    {
      id: COOKIES,
      name: "cookie_policy",
      path: `${WS_ROOT}/templates/hosted-homeserver/cookie_policy.md`,
      version: "1.1.0",
    },
  ],
  tenants: [
    {
      path: `${WS_ROOT}/tenants/acme.json`,
      status: {
        tenant: "acme",
        name: "Acme Corporation",
        documents: [
          [PRIVACY, { state: "up-to-date", version: "2.0.0" }],
          [COOKIES, { state: "changed", version: "1.1.0" }],
        ],
      },
    },
    {
      path: `${WS_ROOT}/tenants/globex.json`,
      status: {
        tenant: "globex",
        name: "Globex",
        documents: [
          [PRIVACY, { state: "outdated", exported: "1.0.0", current: "2.0.0", must_accept: true }],
          [COOKIES, { state: "never-exported" }],
        ],
      },
    },
    {
      path: `${WS_ROOT}/tenants/initech.json`,
      status: {
        tenant: "initech",
        name: "Initech",
        documents: [
          [PRIVACY, { state: "problems", errors: 3 }],
          [COOKIES, { state: "outdated", exported: "1.0.0", current: "1.1.0", must_accept: false }],
        ],
      },
    },
  ],
  unreadable: ["tenants/broken.json: line 1, column 2: expected value"],
  server_notices: [],
};

/** The same workspace with one tenant's statuses replaced. */
export function workspaceWith(
  tenant: string,
  documents: WorkspaceView["tenants"][number]["status"]["documents"],
): WorkspaceView {
  const ws = structuredClone(WORKSPACE);
  const row = ws.tenants.find((t) => t.status.tenant === tenant);
  if (!row) throw new Error(`no tenant ${tenant}`);
  row.status.documents = documents;
  return ws;
}

export function published(tenant: string, formats: ExportFormat[]): TenantResult {
  return {
    tenant,
    written: formats.map(
      (f) => `${WS_ROOT}/exports/${tenant}/privacy_policy/en/privacy_notice.${f}`,
    ),
    problems: [],
  };
}

export const REDLINE: RedlineView = {
  against: { kind: "template", path: "/home/am/history/privacy_notice-1.0.0.md" },
  old_path: "/home/am/history/privacy_notice-1.0.0.md",
  old_version: "1.0.0",
  summary: "the clause text changed",
  redline: {
    html:
      "<h1>Acme Privacy Notice</h1><p>We keep logs for <del>90</del><ins>30</ins> days.</p>" +
      '<details class="folded"><summary>12 unchanged paragraphs</summary><p>Same.</p></details>',
    text: "We keep logs for [-90-]{+30+} days.",
    clause_changed: true,
    values_changed: false,
    inserted_words: 1,
    deleted_words: 1,
  },
};

export type Deferred<T> = {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
};

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function startup(overrides: Partial<Startup> = {}): Startup {
  return {
    templates: [
      {
        id: "privacy_notice",
        path: TEMPLATE_PATH,
        title: "Privacy Notice",
        version: "1.0.0",
        bundled: true,
      },
    ],
    template: structuredClone(TEMPLATE),
    tenant: opened(ACME, ACME_PATH),
    recent: { templates: [TEMPLATE_PATH], tenants: ["/home/am/acme.json", "/home/am/globex.json"] },
    stylesheet: ".notice{color:#1d2329}",
    version: "0.1.0",
    ...overrides,
  };
}

/** A document of the workspace's family opened in the editor: its tabs list both documents. */
export function familyTemplate(path: string): OpenedTemplate {
  const t = structuredClone(TEMPLATE);
  t.schema.path = path;
  t.family = WORKSPACE.documents.map((d) => ({
    path: d.path,
    name: d.title ?? d.name,
    version: d.version,
  }));
  return t;
}

/** Acme's 2018 answer for the old domain field, against a template that renamed it. */
export const MIGRATION: MigrationPlan = {
  orphans: [
    { name: "hhs_client_domain", value: "acme.example.org", suggested: "hhs_name" },
    { name: "hhs_legacy_note", value: "kept since 2018" },
  ],
  open_fields: ["hhs_name"],
};

/** A workspace tenant's id, name and file, as the tenant commands answer. */
export function tenantRef(id: string, name: string): TenantRef {
  return { id, name, path: `${WS_ROOT}/tenants/${id}.json` };
}

/** The reviewer a fake backend signs as. */
export function reviewerInfo(name: string, email: string): ReviewerInfo {
  const key = "ed25519:5V0nI2Lr2+HgYpHfK1l0V8mM3nqg4x8bJ0s9nR4dYxU=";
  return {
    name,
    email,
    public_key: key,
    public_line: `${key} ${name} <${email}>`,
    fingerprint: "SHA256:30b74d4e33760c0c",
  };
}

/**
 * Approvals as the engine judges them, in miniature: an approval holds while the values are the
 * ones approved; otherwise the fields that differ are named.
 */
export function fakeApprovals() {
  let me: ReviewerInfo | null = null;
  const approved = new Map<string, TenantFile["values"]>();
  const lastSeen = new Map<string, TenantFile["values"]>();
  const status = (values: TenantFile["values"], path: string | null): ApprovalView => {
    const base = { required: false };
    const was = path ? approved.get(path) : undefined;
    if (!path || !was || !me) return { ...base, status: { state: "not-approved" } };
    const reviewer = { name: me.name, email: me.email };
    const keys = new Set([...Object.keys(was), ...Object.keys(values)]);
    const fields = [...keys].filter((k) => was[k] !== values[k]).sort();
    if (fields.length === 0) {
      return {
        ...base,
        status: {
          state: "approved",
          reviewer,
          approved_at: "2026-11-27T10:00:00Z",
          version: "1.0.0",
        },
      };
    }
    return {
      ...base,
      status: {
        state: "changed",
        reviewer,
        approved_at: "2026-11-27T10:00:00Z",
        reasons: [`the value of \`${fields[0]}\` changed`],
        fields,
      },
    };
  };
  return {
    reviewer: vi.fn(async (): Promise<ReviewerInfo | null> => me),
    setReviewer: vi.fn(async (name: string, email: string): Promise<ReviewerInfo> => {
      me = reviewerInfo(name, email);
      return me;
    }),
    approvalStatus: vi.fn(async (t: TenantFile, path: string | null): Promise<ApprovalView> => {
      if (path) lastSeen.set(path, structuredClone(t.values));
      return status(t.values, path);
    }),
    approveDocument: vi.fn(async (path: string): Promise<ApprovalView> => {
      const values = lastSeen.get(path) ?? {};
      approved.set(path, structuredClone(values));
      return status(values, path);
    }),
  };
}

/** A `Backend` whose every method is a spy with a sensible default. */
export function fakeBackend(start: Startup = startup()) {
  const backend = {
    ...fakeApprovals(),
    startup: vi.fn(async () => structuredClone(start)),
    listTemplates: vi.fn(async () => start.templates),
    openTemplate: vi.fn(
      async (_path: string | null): Promise<OpenedTemplate | null> => structuredClone(TEMPLATE),
    ),
    renderPreview: vi.fn(async (tenant: TenantFile) => fakeRender(tenant)),
    familyProblems: vi.fn(async (_t: TenantFile): Promise<FamilyProblems[]> => []),
    applyFix: vi.fn(
      async (_path: string, _fix: Fix): Promise<OpenedTemplate> => structuredClone(TEMPLATE),
    ),
    pagePreview: vi.fn(async (tenant: TenantFile, settings: PdfSettings) =>
      fakePages(tenant, settings),
    ),
    newTenant: vi.fn(async () => opened({ format: 1, tenant: "", values: {} })),
    // The start's tenant reads back as it was (unchanged on disk); any other file is Globex.
    openTenant: vi.fn(
      async (path: string | null): Promise<OpenedTenant | null> =>
        path === start.tenant.path
          ? structuredClone(start.tenant)
          : opened(
              { format: 1, tenant: "Globex", values: { hhs_name: "globex" } },
              path ?? "/home/am/globex.json",
            ),
    ),
    saveTenant: vi.fn(
      async (_t: TenantFile, path: string | null): Promise<string | null> =>
        path ?? "/home/am/new.json",
    ),
    exportDocument: vi.fn(
      async (
        _t: TenantFile,
        format: ExportFormat,
        draft: boolean,
        _pdf?: PdfSettings | null,
        _tenantPath?: string | null,
      ): Promise<ExportDone | null> => ({
        path: `/home/am/acme.${format}`,
        sha256: "f00",
        draft,
        warnings: 1,
      }),
    ),
    exportForSynapse: vi.fn(
      async (_t: TenantFile, _tenantPath?: string | null): Promise<ConsentExportDone | null> => ({
        folder: "/home/am/synapse",
        version: "1.0",
        files: ["en/1.0.html", "en/success.html", "user_consent.yaml"],
        user_consent_yaml: 'user_consent:\n  version: "1.0"\n',
        warnings: 0,
      }),
    ),
    writeAutosave: vi.fn(async () => {}),
    clearAutosave: vi.fn(async () => {}),
    recentFiles: vi.fn(async () => start.recent),
    openWorkspace: vi.fn(
      async (
        _path: string | null,
        _onProgress?: (p: StatusProgress) => void,
      ): Promise<WorkspaceView | null> => structuredClone(WORKSPACE),
    ),
    workspaceStatus: vi.fn(
      async (_onProgress?: (p: StatusProgress) => void): Promise<WorkspaceView> =>
        structuredClone(WORKSPACE),
    ),
    publishTenant: vi.fn(
      async (
        tenant: string,
        formats: ExportFormat[],
        _onProgress?: (p: ExportProgress) => void,
      ): Promise<TenantResult> => published(tenant, formats),
    ),
    reissueOutdated: vi.fn(
      async (
        formats: ExportFormat[],
        onProgress: (p: ReissueProgress) => void,
      ): Promise<TenantResult[]> => {
        onProgress({ done: 0, total: 2, tenant: "globex" });
        onProgress({ done: 1, total: 2, tenant: "initech" });
        onProgress({ done: 2, total: 2, tenant: "" });
        return [published("globex", formats), published("initech", formats)];
      },
    ),
    cancelReissue: vi.fn(async () => {}),
    createTenant: vi.fn(
      async (name: string): Promise<TenantRef> => tenantRef(name.toLowerCase(), name),
    ),
    duplicateTenant: vi.fn(
      async (_tenant: string, name: string): Promise<TenantRef> =>
        tenantRef(`${name.toLowerCase().replace(/\W+/g, "-")}`, name),
    ),
    renameTenant: vi.fn(
      async (tenant: string, name: string): Promise<TenantRef> => tenantRef(tenant, name),
    ),
    deleteTenant: vi.fn(async (_tenant: string) => {}),
    migrationPlan: vi.fn(
      async (_t: TenantFile): Promise<MigrationPlan> => structuredClone(MIGRATION),
    ),
    redlineLastExport: vi.fn(
      async (_t: TenantFile, tenantPath: string): Promise<RedlineView> => ({
        ...structuredClone(REDLINE),
        against: { kind: "last-export", tenant_path: tenantPath },
        old_path: `${WS_ROOT}/exports/acme/privacy_policy/en/privacy_notice.html`,
        exported_at: "2026-11-20T09:30:00Z",
        summary: "only the tenant's values changed",
      }),
    ),
    saveRedline: vi.fn(
      async (_t: TenantFile, _against: RedlineAgainst): Promise<string | null> =>
        "/home/am/redline-privacy-notice.html",
    ),
    redlineTemplate: vi.fn(
      async (_t: TenantFile, _old: string | null): Promise<RedlineView | null> =>
        structuredClone(REDLINE),
    ),
  } satisfies Backend;
  return backend;
}

export function fakeWindow() {
  let handler: (() => boolean | Promise<boolean>) | null = null;
  let openHandler: ((r: OpenRequest) => void) | null = null;
  const win = {
    setTitle: vi.fn(async (_t: string) => {}),
    onCloseRequested: vi.fn(async (h: () => boolean | Promise<boolean>) => {
      handler = h;
      return () => {
        handler = null;
      };
    }),
    destroy: vi.fn(async () => {}),
    onOpenRequested: vi.fn(async (h: (r: OpenRequest) => void) => {
      openHandler = h;
      return () => {
        openHandler = null;
      };
    }),
    /** Simulates a second instance handing over a file. */
    requestOpen(r: OpenRequest): void {
      if (!openHandler) throw new Error("no open handler registered");
      openHandler(r);
    },
    /** Simulates the user closing the window; resolves true when the close was prevented. */
    async requestClose(): Promise<boolean> {
      if (!handler) throw new Error("no close handler registered");
      return handler();
    },
  } satisfies AppWindow & {
    requestClose(): Promise<boolean>;
    requestOpen(r: OpenRequest): void;
  };
  return win;
}
