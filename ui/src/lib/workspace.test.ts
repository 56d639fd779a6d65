// @vitest-environment node
import { describe, expect, it, vi } from "vitest";
import {
  deferred,
  fakeBackend,
  published,
  WORKSPACE,
  WS_ROOT,
  workspaceWith,
} from "../test/fixtures";
import type { ReissueProgress } from "./bindings/ReissueProgress";
import type { StatusProgress } from "./bindings/StatusProgress";
import type { TenantResult } from "./bindings/TenantResult";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { filterRows, indexRows } from "./tenantTable";
import {
  CLOSED_STORAGE_KEY,
  countTenants,
  folderName,
  outcome,
  progressText,
  reissueHeadline,
  relativeTo,
  rememberClosed,
  resultText,
  statusChip,
  summaryText,
  wasClosed,
} from "./workspace";
import { Workspace } from "./workspace.svelte";

describe("status chips", () => {
  it("says what each state means, with its tone", () => {
    expect(statusChip({ state: "up-to-date", version: "2.0.0" })).toMatchObject({
      label: "Up to date",
      tone: "ok",
      mustAccept: false,
    });
    expect(statusChip({ state: "changed", version: "1.1.0" })).toMatchObject({
      label: "Changed since export",
      tone: "warn",
    });
    expect(statusChip({ state: "never-exported" })).toMatchObject({
      label: "Never exported",
      tone: "muted",
    });
    const outdated = statusChip({
      state: "outdated",
      exported: "1.0.0",
      current: "2.0.0",
      must_accept: true,
    });
    expect(outdated).toMatchObject({ label: "1.0.0 \u2192 2.0.0", tone: "warn", mustAccept: true });
    expect(outdated.detail).toContain("must accept the new version again");
    expect(
      statusChip({ state: "outdated", exported: "1.0.0", current: "1.1.0", must_accept: false })
        .mustAccept,
    ).toBe(false);
    expect(statusChip({ state: "problems", errors: 1 })).toMatchObject({
      label: "1 error",
      tone: "error",
    });
    expect(statusChip({ state: "problems", errors: 3 }).label).toBe("3 errors");
  });
});

describe("table helpers", () => {
  it("filters tenants by name or id, any case", () => {
    const rows = indexRows(WORKSPACE.tenants);
    const ids = (q: string) => filterRows(rows, q).map((r) => r.tenant.status.tenant);
    expect(ids("")).toEqual(["acme", "globex", "initech"]);
    expect(ids("  ")).toEqual(["acme", "globex", "initech"]);
    expect(ids("CORP")).toEqual(["acme"]); // by name
    expect(ids("itech")).toEqual(["initech"]); // by id
    expect(ids("ex")).toEqual(["globex"]);
    expect(ids("nobody")).toEqual([]);
  });

  it("counts tenants, not cells, and leaves zero counts out", () => {
    const c = countTenants(WORKSPACE.tenants);
    expect(c).toEqual({ tenants: 3, outdated: 2, problems: 1, mustAccept: 1 });
    expect(summaryText(c)).toBe(
      "3 tenants \u00b7 2 outdated \u00b7 1 must accept again \u00b7 1 with problems",
    );
    const clean = workspaceWith("globex", []).tenants.slice(0, 2);
    expect(summaryText(countTenants(clean))).toBe("2 tenants");
    expect(summaryText(countTenants([]))).toBe("0 tenants");
  });

  it("names folders and shortens paths inside the workspace", () => {
    expect(folderName("/home/am/policies/")).toBe("policies");
    expect(folderName("C:\\work\\policies")).toBe("policies");
    expect(relativeTo(WS_ROOT, `${WS_ROOT}/exports/acme/a.html`)).toBe("exports/acme/a.html");
    expect(relativeTo(`${WS_ROOT}/`, `${WS_ROOT}/exports/a.html`)).toBe("exports/a.html");
    expect(relativeTo(WS_ROOT, `${WS_ROOT}-old/a.html`)).toBe(`${WS_ROOT}-old/a.html`);
  });

  it("describes export results", () => {
    const ok = published("acme", ["html", "pdf"]);
    expect(outcome(ok)).toBe("ok");
    expect(resultText(ok)).toBe("Exported 2 files");
    const problem: TenantResult["problems"][number] = [
      "x/doc",
      [{ severity: "error", code: "unfilled-placeholder", message: "Name is not filled in" }],
    ];
    const partial = { ...ok, problems: [problem] };
    expect(outcome(partial)).toBe("partial");
    expect(resultText(partial)).toBe("Exported 2 files \u00b7 1 document not exported");
    const refused = { tenant: "a", written: [], problems: [problem] };
    expect(outcome(refused)).toBe("failed");
    expect(resultText(refused)).toBe("1 document not exported");
    const failed = { tenant: "a", written: [], problems: [], failure: "disk full" };
    expect(outcome(failed)).toBe("failed");
    expect(resultText(failed)).toBe("Could not write: disk full");
    expect(resultText({ tenant: "a", written: [], problems: [] })).toBe("Exported 0 files");
  });

  it("words re-issue progress and results", () => {
    expect(progressText(null)).toBe("Starting\u2026");
    expect(progressText({ done: 2, total: 5 }, "acme")).toBe("2 of 5 \u00b7 acme");
    expect(progressText({ done: 5, total: 5 }, "")).toBe("5 of 5");
    expect(progressText({ done: 1, total: 4 })).toBe("1 of 4");
    const ok = published("acme", ["html"]);
    const bad = { tenant: "b", written: [], problems: [], failure: "denied" };
    expect(reissueHeadline([ok, bad], false)).toBe("Re-issued 2 tenants \u00b7 1 with problems");
    expect(reissueHeadline([ok], true)).toBe("Cancelled after re-issuing 1 tenant");
    expect(reissueHeadline([], false)).toContain("Nothing to re-issue");
    expect(reissueHeadline([], true)).toBe("Cancelled before any tenant was re-issued");
  });

  it("remembers a closed workspace until one is opened", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    expect(wasClosed("/ws", storage)).toBe(false);
    rememberClosed("/ws", storage);
    expect(store.get(CLOSED_STORAGE_KEY)).toBe("/ws");
    expect(wasClosed("/ws", storage)).toBe(true);
    expect(wasClosed("/other", storage)).toBe(false);
    rememberClosed(null, storage);
    expect(wasClosed("/ws", storage)).toBe(false);
  });
});

describe("Workspace", () => {
  async function opened(backend = fakeBackend()) {
    const ws = new Workspace(backend);
    expect(await ws.open("/ws")).toBe(true);
    ws.setVisible(true);
    return { ws, backend };
  }

  it("shows how far a large workspace's statuses are while it opens or refreshes", async () => {
    const backend = fakeBackend();
    const answer = deferred<WorkspaceView | null>();
    let report: ((p: StatusProgress) => void) | undefined;
    backend.openWorkspace.mockImplementation((_path, onProgress) => {
      report = onProgress;
      return answer.promise;
    });
    const ws = new Workspace(backend);
    const opening = ws.open("/ws");
    report?.({ done: 10, total: 50 });
    expect(ws.progress).toBeNull(); // a few tenants: over before it could be read
    report?.({ done: 2500, total: 10000 });
    expect(ws.progress).toEqual({ done: 2500, total: 10000 });
    answer.resolve(structuredClone(WORKSPACE));
    expect(await opening).toBe(true);
    expect(ws.progress).toBeNull();

    ws.setVisible(true);
    const refreshed = deferred<WorkspaceView>();
    backend.workspaceStatus.mockImplementation((onProgress) => {
      onProgress?.({ done: 300, total: 1000 });
      return refreshed.promise;
    });
    const refreshing = ws.refresh();
    expect(ws.progress).toEqual({ done: 300, total: 1000 });
    refreshed.resolve(structuredClone(WORKSPACE));
    await refreshing;
    expect(ws.progress).toBeNull();
  });

  it("re-reads when shown again, and on focus only while shown", async () => {
    const { ws, backend } = await opened();
    expect(backend.workspaceStatus).not.toHaveBeenCalled(); // just read
    ws.focused();
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(1);
    ws.setVisible(false);
    ws.focused();
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(1);
    ws.setVisible(true);
    expect(backend.workspaceStatus).toHaveBeenCalledTimes(2);
  });

  it("drops a refresh answer older than one shown, and any after close or reopen", async () => {
    const backend = fakeBackend();
    const answers: ReturnType<typeof deferred<WorkspaceView>>[] = [];
    backend.workspaceStatus.mockImplementation(() => {
      const d = deferred<WorkspaceView>();
      answers.push(d);
      return d.promise;
    });
    const { ws } = await opened(backend);
    void ws.refresh();
    void ws.refresh();
    expect(ws.refreshing).toBe(true);
    answers[1].resolve(workspaceWith("acme", [["x", { state: "never-exported" }]]));
    await vi.waitFor(() => expect(ws.view?.tenants[0].status.documents[0][0]).toBe("x"));
    answers[0].resolve(structuredClone(WORKSPACE)); // older
    await Promise.resolve();
    expect(ws.view?.tenants[0].status.documents[0][0]).toBe("x");
    expect(ws.refreshing).toBe(false);

    void ws.refresh();
    ws.close();
    answers[2].resolve(structuredClone(WORKSPACE));
    await Promise.resolve();
    expect(ws.view).toBeNull();
  });

  it("keeps the table when a refresh fails, and says why", async () => {
    const backend = fakeBackend();
    backend.workspaceStatus.mockRejectedValueOnce({
      kind: "io",
      message: "permission denied",
      diagnostics: [],
    });
    const { ws } = await opened(backend);
    await ws.refresh();
    expect(ws.error?.message).toBe("permission denied");
    expect(ws.view?.tenants).toHaveLength(3);
    await ws.refresh();
    expect(ws.error).toBeNull();
  });

  it("a reopen failure only leaves a note", async () => {
    const backend = fakeBackend();
    backend.openWorkspace.mockRejectedValueOnce({
      kind: "io",
      message: "not a workspace",
      diagnostics: [],
    });
    const ws = new Workspace(backend);
    await ws.reopen("/home/am/gone");
    expect(ws.view).toBeNull();
    expect(ws.note).toEqual({ text: "Could not reopen gone", detail: "not a workspace" });
  });

  it("ignores progress that trails the re-issue's result", async () => {
    const backend = fakeBackend();
    let send: (p: ReissueProgress) => void = () => {};
    const done = deferred<TenantResult[]>();
    backend.reissueOutdated.mockImplementation(async (_f, onProgress) => {
      send = onProgress;
      return done.promise;
    });
    const { ws } = await opened(backend);
    const running = ws.reissueOutdated();
    send({ done: 1, total: 2, tenant: "initech" });
    expect(ws.reissue?.progress).toEqual({ done: 1, total: 2, tenant: "initech" });
    done.resolve([published("globex", ["html", "pdf"])]);
    await running;
    send({ done: 2, total: 2, tenant: "" });
    expect(ws.reissue?.running).toBe(false);
    expect(ws.reissue?.progress).toEqual({ done: 1, total: 2, tenant: "initech" });
    expect(ws.reissue?.cancelled).toBe(false);
  });

  it("passes the chosen formats in a fixed order; none chosen, nothing runs", async () => {
    const { ws, backend } = await opened();
    expect(ws.formatsText).toBe("HTML and PDF");
    ws.setFormat("html", false);
    expect(ws.formats).toEqual(["pdf"]);
    expect(ws.formatsText).toBe("PDF");
    ws.setFormat("html", true);
    expect(ws.formats).toEqual(["html", "pdf"]);
    ws.setFormat("pdf", false);
    await ws.publish("acme");
    expect(backend.publishTenant).toHaveBeenCalledWith("acme", ["html"], expect.any(Function));
    ws.setFormat("html", false);
    await ws.publish("acme");
    await ws.reissueOutdated();
    expect(backend.publishTenant).toHaveBeenCalledTimes(1);
    expect(backend.reissueOutdated).not.toHaveBeenCalled();
  });
});
