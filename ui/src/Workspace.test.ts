// The Workspace view in the app: opening and reopening a workspace, the status table, "Export
// all", re-issuing outdated tenants, following the disk, and the redline for legal.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ReissueProgress } from "./lib/bindings/ReissueProgress";
import type { TenantResult } from "./lib/bindings/TenantResult";
import type { Studio } from "./lib/studio.svelte";
import { CLOSED_STORAGE_KEY } from "./lib/workspace";
import {
  ACME,
  COOKIES,
  deferred,
  fakeBackend,
  fakeWindow,
  familyTemplate,
  PRIVACY,
  published,
  REDLINE,
  startup,
  TEMPLATE,
  WORKSPACE,
  WS_ROOT,
  workspaceWith,
} from "./test/fixtures";

type Backend = ReturnType<typeof fakeBackend>;

/** Where the start's tenant (Acme) was opened from. */
const ACME_PATH = "/home/am/acme.json";

async function setup(backend: Backend = fakeBackend()) {
  const win = fakeWindow();
  let studio: Studio | undefined;
  render(App, {
    props: {
      backend,
      appWindow: win,
      autosaveMs: 60_000,
      onstudio: (s: Studio) => (studio = s),
    },
  });
  await waitFor(() => expect(window.__noticeReady).toBe(true));
  if (!studio) throw new Error("no studio");
  return { backend, studio };
}

/** Starts the app and opens the workspace with the sidebar button. */
async function openWorkspace(backend: Backend = fakeBackend()) {
  const s = await setup(backend);
  await fireEvent.click(screen.getByTestId("open-workspace"));
  await screen.findByTestId("workspace");
  return s;
}

function row(tenant: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(
    `[data-testid="workspace-row"][data-tenant="${tenant}"]`,
  );
  if (!el) throw new Error(`no row for ${tenant}`);
  return el;
}

function cell(tenant: string, doc: string): HTMLElement {
  const el = row(tenant).querySelector<HTMLElement>(
    `[data-testid="workspace-cell"][data-document="${doc}"]`,
  );
  if (!el) throw new Error(`no cell ${tenant} × ${doc}`);
  return el;
}

function text(el: Element | null): string {
  return (el?.textContent ?? "").replace(/\s+/g, " ").trim();
}

function rowIds(): string[] {
  return screen.queryAllByTestId("workspace-row").map((r) => r.dataset.tenant ?? "");
}

function input(name: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`[data-field="${name}"]:is(input,textarea)`);
  if (!el) throw new Error(`no input for ${name}`);
  return el;
}

function editorShown(): boolean {
  const editor = screen.getByTestId("preview").closest<HTMLElement>(".editor");
  return editor !== null && !editor.hidden;
}

beforeEach(() => {
  localStorage.clear();
  window.__noticeReady = false;
  window.__noticeMetrics = { keystrokes: [], mismatches: 0 };
});

afterEach(() => {
  cleanup();
  for (const s of document.head.querySelectorAll("style[data-notice-stylesheet]")) s.remove();
});

describe("opening a workspace", () => {
  it("Open workspace… asks for a folder and shows the table in place of the editor", async () => {
    const { backend } = await setup();
    expect(screen.queryByTestId("workspace")).toBeNull();
    expect(screen.getByTestId("workspace-section").textContent).not.toContain("policies");
    await fireEvent.click(screen.getByTestId("open-workspace"));
    expect(backend.openWorkspace).toHaveBeenCalledWith(null, expect.any(Function));
    const ws = await screen.findByTestId("workspace");
    expect(text(within(ws).getByRole("heading", { level: 2 }))).toBe("Workspace");
    expect(editorShown()).toBe(false);
    expect(document.querySelector("[data-field=hhs_name]:is(input,textarea)")).toBeNull(); // no form
    expect(screen.getByTestId("workspace-name").textContent).toBe("policies");
    expect(screen.getByTestId("show-workspace").getAttribute("aria-current")).toBe("page");
    expect(backend.workspaceStatus).not.toHaveBeenCalled(); // just read: no second read

    // back to the editor and to the workspace again (which reads it again)
    await fireEvent.click(screen.getByTestId("workspace-back"));
    expect(screen.queryByTestId("workspace")).toBeNull();
    expect(editorShown()).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("show-workspace")));
    expect(input("hhs_name").value).toBe("acme");
    await fireEvent.click(screen.getByTestId("show-workspace"));
    expect(screen.getByTestId("workspace")).toBeTruthy();
    expect(backend.workspaceStatus).toHaveBeenCalledOnce();
  });

  it("a cancelled dialog changes nothing; a folder that is not a workspace says so", async () => {
    const backend = fakeBackend();
    backend.openWorkspace.mockResolvedValueOnce(null).mockRejectedValueOnce({
      kind: "io",
      message: "not a workspace: it needs a templates/<family>/ folder (and tenants/)",
      path: "/home/am/Downloads/templates",
      diagnostics: [],
    });
    await setup(backend);
    await fireEvent.click(screen.getByTestId("open-workspace"));
    await tick();
    expect(screen.queryByTestId("workspace")).toBeNull();
    expect(screen.queryByTestId("error-banner")).toBeNull();

    await fireEvent.click(screen.getByTestId("open-workspace"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("Could not open templates: not a workspace");
    expect(screen.queryByTestId("workspace")).toBeNull();
  });

  it("reopens last session's workspace silently at start", async () => {
    const backend = fakeBackend(
      startup({ recent: { templates: [], tenants: [], workspace: WS_ROOT } }),
    );
    const { studio } = await setup(backend);
    await waitFor(() => expect(screen.getByTestId("workspace-name").textContent).toBe("policies"));
    expect(backend.openWorkspace).toHaveBeenCalledWith(WS_ROOT, expect.any(Function));
    expect(screen.queryByTestId("workspace")).toBeNull(); // the editor stays in front
    expect(editorShown()).toBe(true);
    expect(text(screen.getByTestId("show-workspace"))).toContain(
      "3 tenants \u00b7 2 outdated \u00b7 1 must accept again \u00b7 1 with problems",
    );
    // shown later, it is read again: time has passed
    await fireEvent.click(screen.getByTestId("show-workspace"));
    expect(backend.workspaceStatus).toHaveBeenCalledOnce();
    expect(studio.mainView).toBe("workspace");
  });

  it("a workspace that cannot be reopened leaves only a quiet note", async () => {
    const backend = fakeBackend(
      startup({ recent: { templates: [], tenants: [], workspace: "/home/am/gone" } }),
    );
    backend.openWorkspace.mockRejectedValueOnce({
      kind: "io",
      message: "not a workspace",
      diagnostics: [],
    });
    await setup(backend);
    const note = await screen.findByTestId("workspace-note");
    expect(note.textContent).toBe("Could not reopen gone");
    expect(note.getAttribute("title")).toBe("not a workspace");
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(screen.queryByTestId("show-workspace")).toBeNull();
  });

  it("Close puts the editor back and is remembered at the next start", async () => {
    await openWorkspace();
    await fireEvent.click(screen.getByTestId("close-workspace"));
    expect(screen.queryByTestId("workspace")).toBeNull();
    expect(screen.queryByTestId("show-workspace")).toBeNull();
    expect(editorShown()).toBe(true);
    expect(localStorage.getItem(CLOSED_STORAGE_KEY)).toBe(WS_ROOT);

    cleanup();
    const next = fakeBackend(
      startup({ recent: { templates: [], tenants: [], workspace: WS_ROOT } }),
    );
    await setup(next);
    await tick();
    expect(next.openWorkspace).not.toHaveBeenCalled();
    // opening it again forgets the Close
    await fireEvent.click(screen.getByTestId("open-workspace"));
    await screen.findByTestId("workspace");
    expect(localStorage.getItem(CLOSED_STORAGE_KEY)).toBeNull();
  });
});

describe("the status table", () => {
  it("shows one row per tenant and a chip per document for every status", async () => {
    await openWorkspace();
    expect(rowIds()).toEqual(["acme", "globex", "initech"]);
    const headers = Array.from(document.querySelectorAll("thead th")).map(text);
    expect(headers).toEqual(["Tenant", "Privacy Notice v2.0.0", "cookie_policy v1.1.0", "Actions"]);
    expect(text(row("acme").querySelector("th"))).toBe("Acme Corporation acme");

    const states = rowIds().map((t) =>
      [PRIVACY, COOKIES].map((d) => cell(t, d).dataset.state ?? ""),
    );
    expect(states).toEqual([
      ["up-to-date", "changed"],
      ["outdated", "never-exported"],
      ["problems", "outdated"],
    ]);
    const chip = (t: string, d: string) => cell(t, d).querySelector<HTMLElement>(".chip");
    expect(text(chip("acme", PRIVACY))).toBe("Up to date");
    expect(chip("acme", PRIVACY)?.classList.contains("tone-ok")).toBe(true);
    expect(text(chip("acme", COOKIES))).toBe("Changed since export");
    expect(chip("acme", COOKIES)?.classList.contains("tone-warn")).toBe(true);
    expect(text(chip("globex", COOKIES))).toBe("Never exported");
    expect(chip("globex", COOKIES)?.classList.contains("tone-muted")).toBe(true);
    expect(text(chip("globex", PRIVACY))).toBe("1.0.0 \u2192 2.0.0");
    expect(chip("globex", PRIVACY)?.classList.contains("tone-warn")).toBe(true);
    expect(text(chip("initech", PRIVACY))).toBe("3 errors");
    expect(chip("initech", PRIVACY)?.classList.contains("tone-error")).toBe(true);
    expect(chip("initech", PRIVACY)?.getAttribute("title")).toContain("3 errors to fix");

    // "must accept again" only where the outdated version asks for it
    const accept = screen.getAllByTestId("must-accept");
    expect(accept).toHaveLength(1);
    expect(cell("globex", PRIVACY).contains(accept[0])).toBe(true);
    expect(text(accept[0])).toBe("must accept again");
    expect(cell("initech", COOKIES).querySelector("[data-testid=must-accept]")).toBeNull();

    expect(text(screen.getByTestId("workspace-summary"))).toBe(
      "3 tenants \u00b7 2 outdated \u00b7 1 must accept again \u00b7 1 with problems",
    );
    const unreadable = screen.getByTestId("workspace-unreadable");
    expect(text(unreadable)).toContain("1 file could not be read");
    expect(text(unreadable)).toContain("tenants/broken.json: line 1, column 2: expected value");
    // the tenant open in the editor is marked
    expect(row("acme").getAttribute("aria-current")).toBeNull();
  });

  it("the search filters tenants by name or id; Escape clears it", async () => {
    await openWorkspace();
    const search = screen.getByTestId("workspace-search") as HTMLInputElement;
    await fireEvent.input(search, { target: { value: "CORP" } });
    expect(rowIds()).toEqual(["acme"]);
    expect(text(screen.getByTestId("workspace-summary"))).toContain("1 of 3 shown");
    await fireEvent.input(search, { target: { value: "ini" } });
    expect(rowIds()).toEqual(["initech"]);
    await fireEvent.input(search, { target: { value: "zzz" } });
    expect(rowIds()).toEqual([]);
    expect(text(screen.getByTestId("workspace"))).toContain("No tenant matches \u201czzz\u201d.");
    await fireEvent.keyDown(search, { key: "Escape" });
    expect(search.value).toBe("");
    expect(rowIds()).toEqual(["acme", "globex", "initech"]);
  });

  it("sorts by status, problems first, and back by name", async () => {
    await openWorkspace();
    const sort = screen.getByTestId("workspace-sort") as HTMLSelectElement;
    await fireEvent.change(sort, { target: { value: "status" } });
    expect(rowIds()).toEqual(["initech", "globex", "acme"]);
    await fireEvent.change(sort, { target: { value: "name" } });
    expect(rowIds()).toEqual(["acme", "globex", "initech"]);
  });

  it("renders a window of a large table, in natural order, and filters all of it", async () => {
    const backend = fakeBackend();
    const many = Array.from({ length: 2_000 }, (_, i) => ({
      ...WORKSPACE.tenants[0],
      path: `${WS_ROOT}/tenants/tenant-${2_000 - i}.json`,
      status: {
        ...WORKSPACE.tenants[0].status,
        tenant: `tenant-${2_000 - i}`,
        name: `Tenant ${2_000 - i}`,
      },
    }));
    backend.openWorkspace.mockResolvedValueOnce({ ...WORKSPACE, tenants: many });
    await openWorkspace(backend);
    const ids = rowIds();
    expect(ids.length).toBeLessThan(100);
    expect(ids.slice(0, 3)).toEqual(["tenant-1", "tenant-2", "tenant-3"]);
    const search = screen.getByTestId("workspace-search") as HTMLInputElement;
    await fireEvent.input(search, { target: { value: "Tenant 199" } });
    expect(rowIds()).toEqual([
      "tenant-199",
      "tenant-1990",
      "tenant-1991",
      "tenant-1992",
      "tenant-1993",
      "tenant-1994",
      "tenant-1995",
      "tenant-1996",
      "tenant-1997",
      "tenant-1998",
      "tenant-1999",
    ]);
    expect(text(screen.getByTestId("workspace-summary"))).toContain("11 of 2000 shown");
  });

  it("an empty workspace says how to add tenants", async () => {
    const backend = fakeBackend();
    backend.openWorkspace.mockResolvedValueOnce({ ...WORKSPACE, tenants: [], unreadable: [] });
    await openWorkspace(backend);
    expect(text(screen.getByTestId("workspace"))).toContain(
      "No tenants yet: create one with New tenant…, or add files to tenants/.",
    );
    expect(screen.queryByTestId("workspace-unreadable")).toBeNull();
    expect((screen.getByTestId("reissue") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("following the disk", () => {
  it("Refresh and the window regaining focus read the workspace again", async () => {
    const backend = fakeBackend();
    await openWorkspace(backend);
    backend.workspaceStatus.mockResolvedValueOnce(
      workspaceWith("acme", [
        [PRIVACY, { state: "outdated", exported: "2.0.0", current: "3.0.0", must_accept: false }],
        [COOKIES, { state: "up-to-date", version: "1.1.0" }],
      ]),
    );
    await fireEvent.focus(window); // e.g. back from a terminal after a git pull
    expect(backend.workspaceStatus).toHaveBeenCalledOnce();
    await waitFor(() => expect(cell("acme", PRIVACY).dataset.state).toBe("outdated"));
    expect(cell("acme", COOKIES).dataset.state).toBe("up-to-date");

    await fireEvent.click(screen.getByTestId("workspace-refresh"));
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(cell("acme", PRIVACY).dataset.state).toBe("up-to-date"));

    // hidden, focus does not read; showing it again does
    await fireEvent.click(screen.getByTestId("workspace-back"));
    await fireEvent.focus(window);
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(2);
    await fireEvent.click(screen.getByTestId("show-workspace"));
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(3);
  });

  it("focus without a workspace reads nothing; a failed refresh keeps the table", async () => {
    const backend = fakeBackend();
    await setup(backend);
    await fireEvent.focus(window);
    expect(backend.workspaceStatus).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId("open-workspace"));
    await screen.findByTestId("workspace");
    backend.workspaceStatus.mockRejectedValueOnce({
      kind: "io",
      message: "tenants: permission denied",
      diagnostics: [],
    });
    await fireEvent.click(screen.getByTestId("workspace-refresh"));
    const err = await screen.findByTestId("workspace-error");
    expect(err.textContent).toContain("Could not refresh policies: tenants: permission denied");
    expect(rowIds()).toEqual(["acme", "globex", "initech"]);
  });
});

describe("the open tenant file changed on disk", () => {
  const changed = (values: Record<string, string>) => ({
    path: ACME_PATH,
    tenant: { format: 1, tenant: "Acme Corporation", values },
    report: { missing: [], unknown: [], converted: [], legacy_format: false, duplicates: [] },
  });

  it("with no unsaved edits, focus reloads it and says so", async () => {
    const { backend, studio } = await setup();
    backend.openTenant.mockResolvedValue(changed({ hhs_name: "pulled" }));
    await fireEvent.focus(window);
    await waitFor(() => expect(input("hhs_name").value).toBe("pulled"));
    expect(backend.openTenant).toHaveBeenCalledWith(ACME_PATH);
    expect(studio.dirty).toBe(false);
    expect(screen.getByTestId("toast").textContent).toContain(
      "acme.json changed on disk and was reloaded",
    );
    // unchanged since: nothing happens
    await fireEvent.focus(window);
    await tick();
    expect(input("hhs_name").value).toBe("pulled");
  });

  it("with unsaved edits, asks; Keep my edits keeps them and does not ask again", async () => {
    const { backend, studio } = await setup();
    await fireEvent.input(input("hhs_name"), { target: { value: "mine" } });
    backend.openTenant.mockResolvedValue(changed({ hhs_name: "theirs" }));
    await fireEvent.focus(window);
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("acme.json was changed outside Notice Studio");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Keep my edits" }));
    await tick();
    expect(input("hhs_name").value).toBe("mine");
    expect(studio.dirty).toBe(true);
    await fireEvent.focus(window);
    await tick();
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.saveTenant).not.toHaveBeenCalled();
  });

  it("with unsaved edits, Reload from disk takes the file's answers", async () => {
    const { backend, studio } = await setup();
    await fireEvent.input(input("hhs_name"), { target: { value: "mine" } });
    backend.openTenant.mockResolvedValueOnce(changed({ hhs_name: "theirs" }));
    await fireEvent.focus(window);
    const dialog = await screen.findByTestId("confirm-dialog");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Reload from disk" }));
    await waitFor(() => expect(input("hhs_name").value).toBe("theirs"));
    expect(studio.dirty).toBe(false);
  });

  it("the open template changed on disk is reloaded, with a note", async () => {
    const { backend, studio } = await setup();
    const renders = backend.renderPreview.mock.calls.length;
    await fireEvent.focus(window); // unchanged: nothing happens
    await tick();
    expect(studio.template?.schema.content_hash).toBe(TEMPLATE.schema.content_hash);
    const pulled = structuredClone(TEMPLATE);
    pulled.schema.content_hash = "after-git-pull";
    pulled.schema.version = "2.0.0";
    backend.openTemplate.mockResolvedValueOnce(pulled);
    await fireEvent.focus(window);
    await waitFor(() => expect(studio.template?.schema.content_hash).toBe("after-git-pull"));
    expect(backend.openTemplate).toHaveBeenLastCalledWith(TEMPLATE.schema.path);
    expect(backend.renderPreview.mock.calls.length).toBeGreaterThan(renders);
    expect(screen.getByTestId("toast").textContent).toContain(
      "changed on disk and was reloaded (version 2.0.0)",
    );
  });

  it("a file gone from disk changes nothing here", async () => {
    const { backend, studio } = await setup();
    backend.openTenant.mockRejectedValueOnce({ kind: "read", message: "gone", diagnostics: [] });
    await fireEvent.focus(window);
    await tick();
    expect(studio.tenantPath).toBe(ACME_PATH);
    expect(input("hhs_name").value).toBe("acme");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });
});

describe("carrying answers over to renamed fields", () => {
  it("offers the suggested field, moves and removes as chosen, and leaves the tenant unsaved", async () => {
    const backend = fakeBackend();
    backend.openTenant.mockResolvedValueOnce({
      path: "/home/am/acme-2018.json",
      tenant: {
        format: 1,
        tenant: "Acme",
        values: { hhs_client_domain: "acme.example.org", hhs_legacy_note: "kept since 2018" },
      },
      report: { missing: [], unknown: [], converted: [], legacy_format: false, duplicates: [] },
    });
    const { studio } = await setup(backend);
    expect(screen.queryByTestId("orphans-note")).toBeNull();
    await studio.openTenant("/home/am/acme-2018.json");
    const note = await screen.findByTestId("orphans-note");
    expect(text(note)).toContain("2 answers are for fields this template does not use");

    await fireEvent.click(within(note).getByTestId("migrate-open"));
    const dialog = await screen.findByTestId("migration-dialog");
    expect(backend.migrationPlan).toHaveBeenCalledWith(
      expect.objectContaining({
        values: expect.objectContaining({ hhs_legacy_note: "kept since 2018" }),
      }),
    );
    const selects = within(dialog).getAllByTestId("migration-target") as HTMLSelectElement[];
    expect(selects.map((s) => s.value)).toEqual(["hhs_name", "keep"]);
    expect(text(selects[0].selectedOptions[0])).toBe("Hosted server name (suggested)");
    await fireEvent.change(selects[1], { target: { value: "drop" } });
    await fireEvent.click(within(dialog).getByTestId("migration-apply"));

    expect(screen.queryByTestId("migration-dialog")).toBeNull();
    expect(studio.tenant.values).toEqual({ hhs_name: "acme.example.org" });
    expect(studio.dirty).toBe(true);
    await waitFor(() => expect(screen.queryByTestId("orphans-note")).toBeNull());
    expect(screen.getByTestId("toast").textContent).toContain(
      "1 answer carried over, 1 removed; save to keep the change",
    );
  });

  it("never overwrites a field that has an answer; Cancel changes nothing", async () => {
    const backend = fakeBackend();
    const { studio } = await setup(backend);
    studio.setValue("hhs_client_domain", "old.example.org", false);
    await fireEvent.click(await screen.findByTestId("migrate-open"));
    await fireEvent.click(await screen.findByTestId("migration-cancel"));
    expect(studio.tenant.values.hhs_client_domain).toBe("old.example.org");

    await fireEvent.click(screen.getByTestId("migrate-open"));
    await fireEvent.click(await screen.findByTestId("migration-apply"));
    // hhs_name already holds "acme": the old answer stays where it was
    expect(studio.tenant.values.hhs_name).toBe("acme");
    expect(studio.tenant.values.hhs_client_domain).toBe("old.example.org");
  });
});

describe("a family in the editor", () => {
  function tabs(): HTMLElement[] {
    return screen.queryAllByTestId("document-tab");
  }

  it("one form for the family, a tab per document with its problem count", async () => {
    const backend = fakeBackend();
    backend.openTemplate.mockImplementation(async (path) => familyTemplate(path ?? ""));
    backend.familyProblems.mockImplementation(async () => [
      { path: WORKSPACE.documents[0].path, errors: 2, warnings: 1 },
      { path: WORKSPACE.documents[1].path, errors: 0, warnings: 3 },
    ]);
    const { studio } = await openWorkspace(backend);
    expect(tabs()).toEqual([]); // the start's template is not in a family

    await fireEvent.click(cell("acme", PRIVACY).querySelector("button") as HTMLElement);
    await waitFor(() => expect(tabs().length).toBe(2));
    expect(tabs().map((t) => t.textContent?.replace(/\d+$/, ""))).toEqual([
      "Privacy Notice",
      "cookie_policy",
    ]);
    expect(tabs()[0].getAttribute("aria-selected")).toBe("true");
    await waitFor(() => expect(backend.familyProblems).toHaveBeenCalled());
    await waitFor(() =>
      expect(
        tabs().map((t) => t.querySelector("[data-testid=document-tab-count]")?.textContent),
      ).toEqual(["2", "3"]),
    );
    expect(
      tabs()[0].querySelector("[data-testid=document-tab-count]")?.getAttribute("aria-label"),
    ).toBe("2 errors, 1 warning");

    // another tab: its template, the same answers
    const renders = backend.renderPreview.mock.calls.length;
    await fireEvent.click(tabs()[1]);
    await waitFor(() => expect(studio.template?.schema.path).toBe(WORKSPACE.documents[1].path));
    expect(backend.openTemplate).toHaveBeenLastCalledWith(WORKSPACE.documents[1].path);
    await waitFor(() => expect(backend.renderPreview.mock.calls.length).toBeGreaterThan(renders));
    expect(backend.renderPreview.mock.lastCall?.[0].values.hhs_name).toBe("globex");
    expect(tabs()[1].getAttribute("aria-selected")).toBe("true");

    // arrow keys walk the tabs; typing checks every document again
    await fireEvent.keyDown(tabs()[1], { key: "ArrowRight" });
    await waitFor(() => expect(studio.template?.schema.path).toBe(WORKSPACE.documents[0].path));
    const checks = backend.familyProblems.mock.calls.length;
    await fireEvent.input(input("hhs_name"), { target: { value: "globex2" } });
    await waitFor(() => expect(backend.familyProblems.mock.calls.length).toBe(checks + 1));
  });
});

describe("managing tenants", () => {
  async function menu(tenant: string, action: "rename" | "duplicate" | "delete") {
    await fireEvent.click(within(row(tenant)).getByTestId("tenant-menu"));
    await fireEvent.click(await within(row(tenant)).findByTestId(`tenant-menu-${action}`));
  }

  it("New tenant… names it, creates its file and opens it in the editor", async () => {
    const { backend, studio } = await openWorkspace();
    await fireEvent.click(screen.getByTestId("workspace-new-tenant"));
    const dialog = await screen.findByTestId("tenant-name-dialog");
    const submit = within(dialog).getByTestId("tenant-name-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true); // a tenant needs a name
    await fireEvent.input(within(dialog).getByLabelText("Tenant name"), {
      target: { value: "Hooli" },
    });
    await fireEvent.click(submit);
    await waitFor(() => expect(editorShown()).toBe(true));
    expect(backend.createTenant).toHaveBeenCalledWith("Hooli");
    expect(backend.workspaceStatus).toHaveBeenCalled();
    expect(backend.openTemplate).toHaveBeenCalledWith(WORKSPACE.documents[0].path);
    expect(backend.openTenant).toHaveBeenCalledWith(`${WS_ROOT}/tenants/hooli.json`);
    expect(studio.tenantPath).toBe(`${WS_ROOT}/tenants/hooli.json`);
    expect(screen.queryByTestId("tenant-name-dialog")).toBeNull();
  });

  it("Rename starts from the name; Duplicate's failure stays in the dialog", async () => {
    const { backend } = await openWorkspace();
    await menu("acme", "rename");
    const field = (await screen.findByLabelText("Tenant name")) as HTMLInputElement;
    expect(field.value).toBe("Acme Corporation");
    await fireEvent.input(field, { target: { value: "Acme Holdings" } });
    await fireEvent.submit(field.closest("form") as HTMLFormElement);
    await waitFor(() => expect(screen.queryByTestId("tenant-name-dialog")).toBeNull());
    expect(backend.renameTenant).toHaveBeenCalledWith("acme", "Acme Holdings");
    expect(screen.getByTestId("toast").textContent).toContain("Renamed to Acme Holdings");

    backend.duplicateTenant.mockRejectedValueOnce({
      kind: "write",
      message: "cannot write tenants: permission denied",
      path: `${WS_ROOT}/tenants`,
      diagnostics: [],
    });
    await menu("globex", "duplicate");
    const copy = (await screen.findByLabelText("Tenant name")) as HTMLInputElement;
    expect(copy.value).toBe("Globex (copy)");
    await fireEvent.submit(copy.closest("form") as HTMLFormElement);
    const err = await screen.findByTestId("tenant-name-error");
    expect(err.textContent).toContain("Could not duplicate tenants: cannot write tenants");
    expect(backend.duplicateTenant).toHaveBeenCalledWith("globex", "Globex (copy)");
    await fireEvent.click(screen.getByTestId("tenant-name-cancel"));
    expect(screen.queryByTestId("tenant-name-dialog")).toBeNull();
  });

  it("Delete asks first; the tenant open in the editor stays there, unsaved", async () => {
    const { backend, studio } = await openWorkspace();
    await fireEvent.click(cell("acme", PRIVACY).querySelector("button") as HTMLElement);
    await waitFor(() => expect(editorShown()).toBe(true));
    expect(studio.tenantPath).toBe(`${WS_ROOT}/tenants/acme.json`);
    await new Promise((r) => setTimeout(r)); // the open finishes (recent files) first
    await fireEvent.click(screen.getByTestId("show-workspace"));
    await screen.findByTestId("workspace");

    await menu("acme", "delete");
    let dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("Delete Acme Corporation (tenants/acme.json)?");
    expect(within(dialog).queryByTestId("confirm-discard")).toBeNull();
    await fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    await tick();
    expect(backend.deleteTenant).not.toHaveBeenCalled();

    await menu("acme", "delete");
    dialog = await screen.findByTestId("confirm-dialog");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(backend.deleteTenant).toHaveBeenCalledWith("acme"));
    await waitFor(() => expect(studio.tenantPath).toBeUndefined());
    expect(studio.dirty).toBe(true);
    expect(studio.tenant.values.hhs_name).toBe("globex");
  });
});

describe("opening a cell in the editor", () => {
  it("Open loads that document's template and that tenant's file, then shows the editor", async () => {
    const { backend, studio } = await openWorkspace();
    const open = within(cell("globex", COOKIES)).getByRole("button", {
      name: "Open cookie_policy for Globex",
    });
    await fireEvent.click(open);
    await waitFor(() => expect(editorShown()).toBe(true));
    expect(backend.openTemplate).toHaveBeenCalledWith(WORKSPACE.documents[1].path);
    expect(backend.openTenant).toHaveBeenCalledWith(`${WS_ROOT}/tenants/globex.json`);
    expect(backend.openTemplate.mock.invocationCallOrder[0]).toBeLessThan(
      backend.openTenant.mock.invocationCallOrder[0],
    );
    expect(screen.queryByTestId("workspace")).toBeNull();
    await waitFor(() => expect(input("hhs_name").value).toBe("globex"));
    expect(studio.tenantPath).toBe(`${WS_ROOT}/tenants/globex.json`);
    expect(backend.renderPreview.mock.lastCall?.[0].values.hhs_name).toBe("globex");

    // back in the workspace, the tenant being edited is marked
    await fireEvent.click(screen.getByTestId("show-workspace"));
    expect(row("globex").getAttribute("aria-current")).toBe("true");
    expect(text(row("globex").querySelector("th"))).toContain("in the editor");
  });

  it("unsaved changes are asked about first; Cancel keeps the work and the workspace", async () => {
    const { backend, studio } = await setup();
    await fireEvent.input(input("hhs_name"), { target: { value: "changed" } });
    await fireEvent.click(screen.getByTestId("open-workspace"));
    await screen.findByTestId("workspace");
    await fireEvent.click(cell("acme", PRIVACY).querySelector("button") as HTMLElement);
    await fireEvent.click(await screen.findByTestId("confirm-cancel"));
    await tick();
    expect(backend.openTemplate).not.toHaveBeenCalled();
    expect(backend.openTenant).not.toHaveBeenCalled();
    expect(screen.getByTestId("workspace")).toBeTruthy();
    expect(studio.tenant.values.hhs_name).toBe("changed");

    // Don't save: asked once, then both are opened
    await fireEvent.click(cell("acme", PRIVACY).querySelector("button") as HTMLElement);
    await fireEvent.click(await screen.findByTestId("confirm-discard"));
    await waitFor(() => expect(backend.openTenant).toHaveBeenCalledOnce());
    expect(backend.openTemplate).toHaveBeenCalledOnce();
    expect(backend.saveTenant).not.toHaveBeenCalled();
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    await waitFor(() => expect(editorShown()).toBe(true));
  });
});

describe("keyboard", () => {
  it("F8 from the workspace goes back to the editor, to the problem's field", async () => {
    await openWorkspace();
    await fireEvent.keyDown(window, { key: "F8" });
    expect(screen.queryByTestId("workspace")).toBeNull();
    expect(editorShown()).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(input("our_server_fqdn")));
  });
});

describe("Export all", () => {
  it("exports a tenant in the chosen formats, lists the files and refreshes the table", async () => {
    const backend = fakeBackend();
    const answer = deferred<TenantResult>();
    backend.publishTenant.mockReturnValueOnce(answer.promise);
    await openWorkspace(backend);
    const button = row("globex").querySelector<HTMLButtonElement>("[data-testid=export-all]");
    if (!button) throw new Error("no Export all");
    expect(button.getAttribute("aria-label")).toBe("Export all for Globex");
    await fireEvent.click(button);
    expect(backend.publishTenant).toHaveBeenCalledWith(
      "globex",
      ["html", "pdf"],
      expect.any(Function),
    );
    expect(button.textContent).toBe("Exporting…");
    // How far it is, file by file, above the table.
    const progress = screen.getByTestId("export-progress");
    expect(text(progress)).toContain("Exporting Globex");
    expect(text(screen.getByTestId("export-progress-text"))).toBe("Starting\u2026");
    const report = backend.publishTenant.mock.calls[0]?.[2];
    report?.({ done: 1, total: 4, file: "privacy_notice.pdf" });
    await tick();
    expect(text(screen.getByTestId("export-progress-text"))).toBe(
      "1 of 4 \u00b7 privacy_notice.pdf",
    );
    expect(within(progress).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("1");
    expect(within(progress).queryByRole("button")).toBeNull(); // one tenant: nothing to cancel
    expect(button.disabled).toBe(true);
    expect((screen.getByTestId("reissue") as HTMLButtonElement).disabled).toBe(true);

    backend.workspaceStatus.mockResolvedValueOnce(
      workspaceWith("globex", [
        [PRIVACY, { state: "up-to-date", version: "2.0.0" }],
        [COOKIES, { state: "up-to-date", version: "1.1.0" }],
      ]),
    );
    answer.resolve(published("globex", ["html", "pdf"]));
    const result = await screen.findByTestId("publish-result");
    expect(result.dataset.outcome).toBe("ok");
    expect(text(result)).toContain("Globex: Exported 2 files");
    const files = within(result).getByTestId("result-files");
    expect(Array.from(files.querySelectorAll("li")).map(text)).toEqual([
      "exports/globex/privacy_policy/en/privacy_notice.html",
      "exports/globex/privacy_policy/en/privacy_notice.pdf",
    ]);
    await waitFor(() => expect(cell("globex", PRIVACY).dataset.state).toBe("up-to-date"));
    expect(backend.workspaceStatus).toHaveBeenCalledOnce();
    expect(button.textContent).toBe("Export all");
    expect(screen.queryByTestId("export-progress")).toBeNull();

    await fireEvent.click(within(result).getByRole("button", { name: "Dismiss export result" }));
    expect(screen.queryByTestId("publish-result")).toBeNull();
  });

  it("only the formats ticked are exported", async () => {
    const { backend } = await openWorkspace();
    await fireEvent.click(screen.getByTestId("format-pdf"));
    await fireEvent.click(row("acme").querySelector("[data-testid=export-all]") as HTMLElement);
    expect(backend.publishTenant).toHaveBeenCalledWith("acme", ["html"], expect.any(Function));
    await screen.findByTestId("publish-result");
    await fireEvent.click(screen.getByTestId("format-html"));
    const button = row("acme").querySelector<HTMLButtonElement>("[data-testid=export-all]");
    expect(button?.disabled).toBe(true);
    expect(button?.title).toBe("Choose a format to export");
  });

  it("shows the documents refused and why, a write failure, or the error", async () => {
    const backend = fakeBackend();
    backend.publishTenant
      .mockResolvedValueOnce({
        tenant: "initech",
        written: [`${WS_ROOT}/exports/initech/privacy_policy/en/cookie_policy.html`],
        problems: [
          [
            PRIVACY,
            [
              {
                severity: "error",
                code: "unfilled-placeholder",
                message: "Server host name is not filled in",
                field: "our_server_fqdn",
                line: 14,
              },
              {
                severity: "error",
                code: "invalid-value",
                message: "Not an email address",
                field: "hhs_admin_email",
              },
            ],
          ],
        ],
      })
      .mockResolvedValueOnce({
        tenant: "acme",
        written: [],
        problems: [],
        failure: "exports/acme/manifest.json: permission denied",
      })
      .mockRejectedValueOnce({ kind: "not-found", message: "no tenant globex", diagnostics: [] });
    await openWorkspace(backend);

    await fireEvent.click(row("initech").querySelector("[data-testid=export-all]") as HTMLElement);
    let result = await screen.findByTestId("publish-result");
    expect(result.dataset.outcome).toBe("partial");
    expect(text(result)).toContain("Initech: Exported 1 file \u00b7 1 document not exported");
    const problems = within(result).getByTestId("result-problems");
    const doc = problems.querySelector<HTMLElement>(`[data-document="${PRIVACY}"]`);
    expect(text(doc)).toContain("Privacy Notice not exported: 2 errors");
    expect(text(doc)).toContain("Server host name is not filled in (line 14)");
    expect(text(doc)).toContain("Not an email address");

    await fireEvent.click(row("acme").querySelector("[data-testid=export-all]") as HTMLElement);
    await waitFor(() => expect(screen.getByTestId("publish-result").dataset.tenant).toBe("acme"));
    result = screen.getByTestId("publish-result");
    expect(result.dataset.outcome).toBe("failed");
    expect(text(within(result).getByTestId("result-failure"))).toBe(
      "Could not write: exports/acme/manifest.json: permission denied",
    );
    expect(within(result).queryByTestId("result-files")).toBeNull();

    await fireEvent.click(row("globex").querySelector("[data-testid=export-all]") as HTMLElement);
    await waitFor(() => expect(screen.getByTestId("publish-result").dataset.tenant).toBe("globex"));
    expect(text(screen.getByTestId("publish-result"))).toContain(
      "Could not export Globex: no tenant globex",
    );
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(3); // after each
  });
});

describe("re-issue", () => {
  function driveReissue(backend: Backend) {
    let send: (p: ReissueProgress) => void = () => {};
    const done = deferred<TenantResult[]>();
    backend.reissueOutdated.mockImplementationOnce(async (_formats, onProgress) => {
      send = onProgress;
      return done.promise;
    });
    return { send: (p: ReissueProgress) => send(p), done };
  }

  it("shows progress, then the results per tenant, then refreshes the table", async () => {
    const backend = fakeBackend();
    const run = driveReissue(backend);
    await openWorkspace(backend);
    const button = screen.getByTestId("reissue") as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(backend.reissueOutdated).toHaveBeenCalledWith(["html", "pdf"], expect.any(Function));
    const progress = screen.getByTestId("reissue-progress");
    expect(text(progress)).toContain("Starting…");
    expect(button.disabled).toBe(true);
    for (const b of screen.getAllByTestId("export-all")) {
      expect((b as HTMLButtonElement).disabled).toBe(true);
    }
    expect((screen.getByTestId("close-workspace") as HTMLButtonElement).disabled).toBe(true);

    run.send({ done: 0, total: 2, tenant: "globex" });
    await tick();
    expect(text(screen.getByTestId("reissue-progress-text"))).toBe("0 of 2 \u00b7 globex");
    run.send({ done: 1, total: 2, tenant: "initech" });
    await tick();
    expect(text(screen.getByTestId("reissue-progress-text"))).toBe("1 of 2 \u00b7 initech");
    const bar = within(progress).getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("1");
    expect(bar.getAttribute("aria-valuemax")).toBe("2");
    expect(bar.getAttribute("aria-valuetext")).toBe("1 of 2 \u00b7 initech");
    expect(text(screen.getByTestId("show-workspace"))).toContain(
      "Re-issuing \u00b7 1 of 2 \u00b7 initech",
    );
    expect(screen.queryByTestId("reissue-results")).toBeNull();

    backend.workspaceStatus.mockResolvedValueOnce(
      workspaceWith("globex", [
        [PRIVACY, { state: "up-to-date", version: "2.0.0" }],
        [COOKIES, { state: "never-exported" }],
      ]),
    );
    run.send({ done: 2, total: 2, tenant: "" });
    run.done.resolve([
      published("globex", ["html", "pdf"]),
      {
        tenant: "initech",
        written: [],
        problems: [
          [
            COOKIES,
            [{ severity: "error", code: "unfilled-placeholder", message: "Name is not filled in" }],
          ],
        ],
      },
    ]);
    const results = await screen.findByTestId("reissue-results");
    expect(screen.queryByTestId("reissue-progress")).toBeNull();
    expect(text(results)).toContain("Re-issued 2 tenants \u00b7 1 with problems");
    const items = Array.from(results.querySelectorAll<HTMLElement>("li[data-tenant]"));
    expect(items.map((i) => [i.dataset.tenant, i.dataset.outcome])).toEqual([
      ["globex", "ok"],
      ["initech", "failed"],
    ]);
    expect(text(items[0])).toContain("Globex globex Exported 2 files");
    expect(text(items[1])).toContain("Initech initech 1 document not exported");
    expect(text(items[1])).toContain("cookie_policy not exported: 1 error");
    expect(text(items[1])).toContain("Name is not filled in");
    await waitFor(() => expect(cell("globex", PRIVACY).dataset.state).toBe("up-to-date"));
    expect(backend.workspaceStatus).toHaveBeenCalledOnce();
    expect(button.disabled).toBe(false); // initech is still outdated
  });

  it("Cancel stops before the next tenant and says how far it got", async () => {
    const backend = fakeBackend();
    const run = driveReissue(backend);
    await openWorkspace(backend);
    await fireEvent.click(screen.getByTestId("reissue"));
    run.send({ done: 1, total: 3, tenant: "globex" });
    await tick();
    const cancel = screen.getByTestId("cancel-reissue") as HTMLButtonElement;
    await fireEvent.click(cancel);
    expect(backend.cancelReissue).toHaveBeenCalledOnce();
    expect(cancel.textContent).toBe("Cancelling…");
    expect(cancel.disabled).toBe(true);
    expect(screen.getByTestId("reissue-progress")).toBeTruthy(); // until the backend stops

    run.done.resolve([published("acme", ["html", "pdf"])]);
    const results = await screen.findByTestId("reissue-results");
    expect(results.dataset.cancelled).toBe("true");
    expect(text(results)).toContain("Cancelled after re-issuing 1 tenant");
    expect(results.querySelectorAll("li[data-tenant]")).toHaveLength(1);
    await waitFor(() => expect(backend.workspaceStatus).toHaveBeenCalledOnce());
  });

  it("says when there was nothing to re-issue, and when it failed", async () => {
    const backend = fakeBackend();
    backend.reissueOutdated
      .mockResolvedValueOnce([])
      .mockRejectedValueOnce({ kind: "io", message: "exports: read-only", diagnostics: [] });
    await openWorkspace(backend);
    await fireEvent.click(screen.getByTestId("reissue"));
    let results = await screen.findByTestId("reissue-results");
    expect(text(results)).toContain("Nothing to re-issue");
    await fireEvent.click(screen.getByTestId("reissue"));
    await waitFor(() => expect(backend.reissueOutdated).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect(text(screen.getByTestId("reissue-results"))).toContain(
        "Could not re-issue: exports: read-only",
      ),
    );
    results = screen.getByTestId("reissue-results");
    await fireEvent.click(
      within(results).getByRole("button", { name: "Dismiss re-issue results" }),
    );
    expect(screen.queryByTestId("reissue-results")).toBeNull();
  });

  it("is disabled while no tenant is outdated", async () => {
    const backend = fakeBackend();
    const clean = structuredClone(WORKSPACE);
    for (const t of clean.tenants) t.status.documents = [[PRIVACY, { state: "never-exported" }]];
    backend.openWorkspace.mockResolvedValueOnce(clean);
    await openWorkspace(backend);
    const button = screen.getByTestId("reissue") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe("No tenant is behind a template's current version");
  });
});

describe("redline", () => {
  it("compares the open template with another version, with this tenant's values", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("compare-version"));
    expect(backend.redlineTemplate).toHaveBeenCalledWith(ACME, null);
    const dialog = await screen.findByTestId("redline");
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.dataset.summary).toBe("the clause text changed");
    expect(text(within(dialog).getByRole("heading", { level: 2 }))).toBe(
      "Changes since version 1.0.0",
    );
    expect(text(screen.getByTestId("redline-summary"))).toContain("The clause text changed.");
    expect(text(screen.getByTestId("redline-counts"))).toBe(
      "+1 word inserted \u22121 word deleted",
    );
    expect(text(dialog)).toContain("privacy_notice-1.0.0.md (v1.0.0)");
    expect(text(dialog)).toContain("privacy_notice.md (v1.0.0)");
    expect(text(dialog)).toContain("with Acme Corporation's values");
    const html = screen.getByTestId("redline-html");
    expect(text(html.querySelector("ins"))).toBe("30");
    expect(text(html.querySelector("del"))).toBe("90");
    expect(html.querySelector("details.folded summary")?.textContent).toBe(
      "12 unchanged paragraphs",
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("redline-close")));

    // modal: shortcuts wait, Escape closes
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(backend.saveTenant).not.toHaveBeenCalled();
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByTestId("redline")).toBeNull();
  });

  it("Save as HTML… writes the engine's redline for legal and says where", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("compare-version"));
    await screen.findByTestId("redline");
    await fireEvent.click(screen.getByTestId("redline-save"));
    await waitFor(() => expect(backend.saveRedline).toHaveBeenCalledOnce());
    expect(backend.saveRedline).toHaveBeenCalledWith(ACME, REDLINE.against);
    await waitFor(() =>
      expect(screen.getByTestId("toast").textContent).toContain(
        "Saved the redline to /home/am/redline-privacy-notice.html",
      ),
    );
    expect(screen.getByTestId("redline")).toBeTruthy(); // still open, to read on

    backend.saveRedline.mockRejectedValueOnce({
      kind: "write",
      message: "cannot write /ro/r.html: read-only file system",
      path: "/ro/r.html",
      diagnostics: [],
    });
    await fireEvent.click(screen.getByTestId("redline-save"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("Could not save the redline r.html");
  });

  it("in a workspace, compares with what the tenant last received", async () => {
    const { backend, studio } = await openWorkspace();
    await fireEvent.click(cell("acme", PRIVACY).querySelector("button") as HTMLElement);
    await waitFor(() => expect(editorShown()).toBe(true));
    const tenantPath = `${WS_ROOT}/tenants/acme.json`;
    expect(studio.tenantPath).toBe(tenantPath);

    await fireEvent.click(screen.getByTestId("compare-version"));
    await fireEvent.click(await screen.findByTestId("compare-version-last-export"));
    const dialog = await screen.findByTestId("redline");
    expect(backend.redlineLastExport).toHaveBeenCalledWith(
      expect.objectContaining({ tenant: "Globex" }),
      tenantPath,
    );
    expect(text(within(dialog).getByRole("heading", { level: 2 }))).toBe(
      "Changes since the last export (2026-11-20)",
    );
    expect(text(dialog)).toContain("privacy_notice.html as exported (v1.0.0)");
    await fireEvent.click(screen.getByTestId("redline-save"));
    await waitFor(() =>
      expect(backend.saveRedline).toHaveBeenCalledWith(expect.anything(), {
        kind: "last-export",
        tenant_path: tenantPath,
      }),
    );

    // nothing exported yet: the reason, not a blank dialog
    await fireEvent.click(screen.getByTestId("redline-close"));
    backend.redlineLastExport.mockRejectedValueOnce({
      kind: "no-export",
      message: "acme has no recorded export of hosted-homeserver/privacy_notice yet",
      diagnostics: [],
    });
    await fireEvent.click(screen.getByTestId("compare-version"));
    await fireEvent.click(await screen.findByTestId("compare-version-last-export"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("has no recorded export");
    expect(screen.queryByTestId("redline")).toBeNull();

    // the other choice is another version of the template, as outside a workspace
    await fireEvent.click(screen.getByTestId("compare-version"));
    await fireEvent.click(await screen.findByTestId("compare-version-template"));
    await waitFor(() => expect(backend.redlineTemplate).toHaveBeenCalled());
  });

  it("says when only the tenant's values changed; a cancelled pick shows nothing", async () => {
    const backend = fakeBackend();
    backend.redlineTemplate.mockResolvedValueOnce(null).mockResolvedValueOnce({
      ...REDLINE,
      old_version: undefined,
      summary: "only the tenant's values changed",
      redline: { ...REDLINE.redline, clause_changed: false, values_changed: true },
    });
    await setup(backend);
    await fireEvent.click(screen.getByTestId("compare-version"));
    await waitFor(() => expect(backend.redlineTemplate).toHaveBeenCalledOnce());
    await tick();
    expect(screen.queryByTestId("redline")).toBeNull();

    await fireEvent.click(screen.getByTestId("compare-version"));
    const dialog = await screen.findByTestId("redline");
    expect(dialog.dataset.summary).toBe("only the tenant's values changed");
    expect(text(within(dialog).getByRole("heading", { level: 2 }))).toBe(
      "Changes since privacy_notice-1.0.0.md",
    );
    expect(screen.getByTestId("redline-summary").classList.contains("tone-values")).toBe(true);
    await fireEvent.click(screen.getByTestId("redline-close"));
    expect(screen.queryByTestId("redline")).toBeNull();
  });

  it("an error names the file in the banner", async () => {
    const backend = fakeBackend();
    backend.redlineTemplate.mockRejectedValueOnce({
      kind: "template",
      message: "front matter is not valid YAML",
      path: "/home/am/old.md",
      line: 2,
      diagnostics: [],
    });
    await setup(backend);
    await fireEvent.click(screen.getByTestId("compare-version"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(
      "Could not compare with old.md: line 2: front matter is not valid YAML",
    );
    expect(screen.queryByTestId("redline")).toBeNull();
  });
});
