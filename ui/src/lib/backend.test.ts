// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
class FakeChannel<T> {
  onmessage: (message: T) => void = () => {};
}
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: FakeChannel,
}));

const { tauriBackend, describeError, toErrorPayload, basename, PreviewBlocks, startingEarly } =
  await import("./backend");

describe("preview blocks", () => {
  const tenant = { format: 1, tenant: "A", values: {} };
  const notice = {
    body_html: "",
    blocks: [],
    markdown: "",
    diagnostics: [],
    sections: [],
    values: {},
    derived: [],
    rendered: true,
  };
  const answer = (id: number, count: number, changed: [number, string][], base?: number) => ({
    notice,
    blocks: { id, base, count, changed },
  });

  it("asks for changes against the newest render and rebuilds every block", async () => {
    const call = vi
      .fn()
      .mockResolvedValueOnce(
        answer(1, 3, [
          [0, "<h1>A</h1>"],
          [1, "<p>x</p>"],
          [2, "<p>y</p>"],
        ]),
      )
      .mockResolvedValueOnce(answer(2, 3, [[0, "<h1>B</h1>"]], 1));
    const blocks = new PreviewBlocks(call);
    const first = await blocks.render(tenant);
    expect(first.blocks).toEqual(["<h1>A</h1>", "<p>x</p>", "<p>y</p>"]);
    const second = await blocks.render(tenant);
    expect(call.mock.calls.map((c) => c[1])).toEqual([null, 1]);
    expect(second.blocks).toEqual(["<h1>B</h1>", "<p>x</p>", "<p>y</p>"]);
    expect(second.blocks[1]).toBe(first.blocks[1]); // the same string: patching skips it
  });

  it("answers out of order are rebuilt from their own base; a forgotten base asks again", async () => {
    const call = vi
      .fn()
      .mockResolvedValueOnce(
        answer(1, 2, [
          [0, "a"],
          [1, "b"],
        ]),
      )
      .mockResolvedValueOnce(answer(3, 2, [[1, "B3"]], 1))
      .mockResolvedValueOnce(answer(2, 2, [[0, "A2"]], 1))
      .mockResolvedValueOnce(answer(9, 2, [[0, "x"]], 7)) // a base this side never had
      .mockResolvedValueOnce(
        answer(10, 2, [
          [0, "x"],
          [1, "y"],
        ]),
      );
    const blocks = new PreviewBlocks(call, 4);
    await blocks.render(tenant);
    expect((await blocks.render(tenant)).blocks).toEqual(["a", "B3"]);
    expect((await blocks.render(tenant)).blocks).toEqual(["A2", "b"]);
    expect((await blocks.render(tenant)).blocks).toEqual(["x", "y"]);
    expect(call.mock.calls.map((c) => c[1])).toEqual([null, 1, 3, 3, null]);
  });

  it("a full answer may say base null (as JSON does) and is taken whole, once", async () => {
    const call = vi.fn().mockResolvedValue({
      notice,
      blocks: { id: 5, base: null, count: 1, changed: [[0, "<p>n</p>"]] },
    });
    const r = await new PreviewBlocks(call).render(tenant);
    expect(r.blocks).toEqual(["<p>n</p>"]);
    expect(call).toHaveBeenCalledOnce();
  });

  it("the app's backend sends the base with the tenant", async () => {
    invoke.mockReset().mockResolvedValue(answer(1, 1, [[0, "<p>a</p>"]]));
    const r = await tauriBackend.renderPreview(tenant);
    expect(invoke).toHaveBeenCalledWith("render_preview", { tenant, base: null });
    expect(r.blocks).toEqual(["<p>a</p>"]);
  });
});

describe("tauriBackend", () => {
  beforeEach(() => invoke.mockReset().mockResolvedValue(null));

  it("calls the commands with camelCase argument objects", async () => {
    const tenant = { format: 1, tenant: "A", values: {} };
    await tauriBackend.startup();
    await tauriBackend.openTemplate(null);
    await tauriBackend.saveTenant(tenant, "/a.json");
    await tauriBackend.exportDocument(tenant, "md", true);
    const pdf = { paper: "letter" as const, standards: ["a-2a" as const, "ua-1" as const] };
    await tauriBackend.exportDocument(tenant, "pdf", false, pdf);
    await tauriBackend.pagePreview(tenant, pdf);
    const autosaved = { template_path: "/t.md", tenant, dirty: true, saved_at: "" };
    await tauriBackend.writeAutosave(autosaved);
    await tauriBackend.clearAutosave();
    expect(invoke.mock.calls).toEqual([
      ["startup"],
      ["open_template", { path: null }],
      ["save_tenant", { tenant, path: "/a.json" }],
      ["export_document", { tenant, format: "md", draft: true, pdf: null, tenantPath: null }],
      ["export_document", { tenant, format: "pdf", draft: false, pdf, tenantPath: null }],
      ["page_preview", { tenant, settings: pdf }],
      ["write_autosave", { state: autosaved }],
      ["clear_autosave"],
    ]);
  });
});

describe("startingEarly", () => {
  beforeEach(() => invoke.mockReset());

  it("sends the start-up request at once and hands its answer to the first startup()", async () => {
    invoke.mockResolvedValueOnce("first").mockResolvedValueOnce("second");
    const backend = startingEarly(tauriBackend);
    expect(invoke.mock.calls).toEqual([["startup"]]); // before anyone asked
    await expect(backend.startup()).resolves.toBe("first");
    expect(invoke).toHaveBeenCalledOnce();
    // Later calls (none today) ask the app again rather than replaying a stale answer.
    await expect(backend.startup()).resolves.toBe("second");
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it("passes a failed start-up on to whoever asks", async () => {
    invoke.mockRejectedValueOnce({ kind: "io", message: "no template" });
    const backend = startingEarly(tauriBackend);
    await expect(backend.startup()).rejects.toMatchObject({ kind: "io" });
  });

  it("leaves every other command as it was", () => {
    const backend = startingEarly(tauriBackend);
    expect(backend.renderPreview).toBe(tauriBackend.renderPreview);
    expect(backend.saveTenant).toBe(tauriBackend.saveTenant);
  });
});

describe("workspace commands", () => {
  beforeEach(() => invoke.mockReset().mockResolvedValue(null));

  it("calls the workspace commands with their argument objects", async () => {
    const tenant = { format: 1, tenant: "A", values: {} };
    await tauriBackend.openWorkspace("/ws");
    await tauriBackend.openWorkspace(null);
    await tauriBackend.workspaceStatus();
    await tauriBackend.publishTenant("acme", ["html", "pdf"], () => {});
    await tauriBackend.cancelReissue();
    await tauriBackend.createTenant("Hooli");
    await tauriBackend.duplicateTenant("acme", "Acme 2");
    await tauriBackend.renameTenant("acme", "Acme Holdings");
    await tauriBackend.deleteTenant("acme");
    await tauriBackend.redlineTemplate(tenant, null);
    await tauriBackend.redlineTemplate(tenant, "/old.md");
    await tauriBackend.redlineLastExport(tenant, "/ws/tenants/acme.json");
    await tauriBackend.saveRedline(tenant, { kind: "template", path: "/old.md" });
    await tauriBackend.migrationPlan(tenant);
    expect(invoke.mock.calls).toEqual([
      ["open_workspace", { path: "/ws", onProgress: expect.any(FakeChannel) }],
      ["open_workspace", { path: null, onProgress: expect.any(FakeChannel) }],
      ["workspace_status", { onProgress: expect.any(FakeChannel) }],
      [
        "publish_tenant",
        { tenant: "acme", formats: ["html", "pdf"], onProgress: expect.any(FakeChannel) },
      ],
      ["cancel_reissue"],
      ["create_tenant", { name: "Hooli" }],
      ["duplicate_tenant", { tenant: "acme", name: "Acme 2" }],
      ["rename_tenant", { tenant: "acme", name: "Acme Holdings" }],
      ["delete_tenant", { tenant: "acme" }],
      ["redline_template", { tenant, oldTemplate: null }],
      ["redline_template", { tenant, oldTemplate: "/old.md" }],
      ["redline_last_export", { tenant, tenantPath: "/ws/tenants/acme.json" }],
      ["save_redline", { tenant, against: { kind: "template", path: "/old.md" } }],
      ["migration_plan", { tenant }],
    ]);
  });

  it("re-issues with a channel whose messages reach the progress callback", async () => {
    invoke.mockResolvedValueOnce([{ tenant: "acme", written: ["/a.html"], problems: [] }]);
    const progress = vi.fn();
    const results = await tauriBackend.reissueOutdated(["pdf"], progress);
    expect(results).toEqual([{ tenant: "acme", written: ["/a.html"], problems: [] }]);
    const [command, args] = invoke.mock.calls[0];
    expect(command).toBe("reissue_outdated");
    expect(args.formats).toEqual(["pdf"]);
    expect(args.onProgress).toBeInstanceOf(FakeChannel);
    args.onProgress.onmessage({ done: 1, total: 3, tenant: "acme" });
    expect(progress).toHaveBeenCalledWith({ done: 1, total: 3, tenant: "acme" });
  });
});

describe("errors", () => {
  it("normalises payloads, Errors and strings", () => {
    expect(toErrorPayload({ kind: "io", message: "x", path: "/a", diagnostics: [] })).toMatchObject(
      {
        kind: "io",
        path: "/a",
      },
    );
    expect(toErrorPayload(new Error("boom"))).toMatchObject({ kind: "internal", message: "boom" });
    expect(toErrorPayload("nope")).toMatchObject({ kind: "internal", message: "nope" });
  });

  it("names the file and the position", () => {
    const err = toErrorPayload({
      kind: "parse",
      message: "invalid JSON",
      path: "/home/am/acme.json",
      line: 3,
      column: 5,
      diagnostics: [],
    });
    expect(describeError("open", err)).toBe(
      "Could not open acme.json: line 3, column 5: invalid JSON",
    );
    expect(describeError("save", toErrorPayload("denied"), "x.json")).toBe(
      "Could not save x.json: denied",
    );
    expect(basename("C:\\t\\a.md")).toBe("a.md");
  });
});
