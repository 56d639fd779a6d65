import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import type { Diagnostic } from "./lib/bindings/Diagnostic";
import type { PagePreview } from "./lib/bindings/PagePreview";
import type { RenderedNotice } from "./lib/bindings/RenderedNotice";
import type { TenantFile } from "./lib/bindings/TenantFile";
import type { Studio } from "./lib/studio.svelte";
import {
  ACME,
  ACME_PATH,
  deferred,
  fakeBackend,
  fakePages,
  fakeRender,
  fakeWindow,
  opened,
  startup,
  TEMPLATE_PATH,
} from "./test/fixtures";

type Setup = {
  backend: ReturnType<typeof fakeBackend>;
  win: ReturnType<typeof fakeWindow>;
  studio: Studio;
};

async function setup(backend = fakeBackend(), pagesDebounceMs = 300): Promise<Setup> {
  const win = fakeWindow();
  let studio: Studio | undefined;
  render(App, {
    props: {
      backend,
      appWindow: win,
      autosaveMs: 60_000,
      pagesDebounceMs,
      onstudio: (s: Studio) => (studio = s),
    },
  });
  await waitFor(() => expect(window.__noticeReady).toBe(true));
  if (!studio) throw new Error("no studio");
  return { backend, win, studio };
}

function input(name: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(
    `[data-field="${name}"]:is(input,textarea,select)`,
  );
  if (!el) throw new Error(`no input for ${name}`);
  return el;
}

function lastRendered(backend: ReturnType<typeof fakeBackend>): TenantFile {
  const call = backend.renderPreview.mock.lastCall;
  if (!call) throw new Error("nothing rendered");
  return call[0];
}

function preview(): HTMLElement {
  return screen.getByTestId("preview");
}

function rows(): HTMLElement[] {
  return screen
    .queryAllByTestId("problem")
    .filter(
      (r) =>
        !r.closest("[data-testid=refused-dialog]") &&
        !r.closest("[data-testid=template-diagnostics]"),
    );
}

beforeEach(() => {
  localStorage.clear();
  performance.clearMarks();
  performance.clearMeasures();
  window.__noticeReady = false;
  window.__noticeMetrics = { keystrokes: [], mismatches: 0 };
});

afterEach(() => {
  cleanup();
  for (const s of document.head.querySelectorAll("style[data-notice-stylesheet]")) s.remove();
});

describe("start-up", () => {
  it("renders the form, the preview and the stylesheet, and reports readiness", async () => {
    const { backend } = await setup();
    expect(backend.startup).toHaveBeenCalledOnce();
    expect(backend.renderPreview).toHaveBeenCalledWith(ACME);
    expect(preview().classList.contains("notice")).toBe(true);
    expect(preview().querySelector("h1")?.textContent).toContain("Acme Corporation Ltd");
    expect(screen.getByTestId("preview-title").textContent).toContain("Acme Corporation Ltd");
    expect(document.head.querySelector("style[data-notice-stylesheet]")?.textContent).toBe(
      ".notice{color:#1d2329}",
    );
    expect(performance.getEntriesByName("notice:interactive").length).toBeGreaterThan(0);
    expect((screen.getByTestId("tenant-name") as HTMLInputElement).value).toBe("Acme Corporation");
  });

  it("shows a structured error instead of a blank window when start-up fails", async () => {
    const backend = fakeBackend();
    backend.startup.mockRejectedValueOnce({
      kind: "template",
      message: "front matter is not valid YAML",
      path: "/t/privacy_notice.md",
      line: 2,
      column: 7,
      diagnostics: [],
    });
    render(App, { props: { backend, appWindow: fakeWindow(), autosaveMs: 60_000 } });
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(
      "Could not start privacy_notice.md: line 2, column 7: front matter is not valid YAML",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss error" }));
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });
});

describe("the template in the sidebar", () => {
  it("an opened template whose title holds placeholders is listed by its file name", async () => {
    const backend = fakeBackend();
    const { studio } = await setup(backend);
    const other = structuredClone(startup().template);
    other.schema.path = "/home/am/policies/templates/hh/terms.md";
    other.schema.title = "{{ hhs_entity_name }} Terms";
    backend.openTemplate.mockResolvedValueOnce(other);
    await studio.openTemplate(other.schema.path);
    const entry = await screen.findByTitle(other.schema.path);
    expect(entry.querySelector(".item-title")?.textContent).toBe("terms.md");

    const titled = structuredClone(other);
    titled.schema.title = "Terms of Service";
    backend.openTemplate.mockResolvedValueOnce(titled);
    await studio.openTemplate(titled.schema.path);
    await waitFor(() =>
      expect(screen.getByTitle(titled.schema.path).querySelector(".item-title")?.textContent).toBe(
        "Terms of Service",
      ),
    );
  });
});

describe("generated form", () => {
  it("groups fields in declaration order with typed, labelled inputs", async () => {
    await setup();
    const legends = Array.from(document.querySelectorAll("fieldset legend")).map(
      (l) => l.textContent,
    );
    expect(legends).toEqual(["Customer", "Hosted homeserver", "Extras", "Other"]);
    const names = Array.from(document.querySelectorAll("fieldset")).map((fs) =>
      Array.from(fs.querySelectorAll("[data-field]")).map((e) => e.getAttribute("data-field")),
    );
    expect(names[0]).toEqual(["hhs_entity_name", "hhs_admin_email"]);
    expect(names[3]).toEqual(["notes", "effective"]);

    expect(input("hhs_entity_name").type).toBe("text");
    expect(input("hhs_admin_email").type).toBe("email");
    expect(input("website").type).toBe("url");
    expect(input("effective").type).toBe("date");
    expect(input("eu_only").type).toBe("checkbox");
    expect(input("notes").tagName).toBe("TEXTAREA");
    const region = input("region") as unknown as HTMLSelectElement;
    expect(region.tagName).toBe("SELECT");
    expect(Array.from(region.options).map((o) => o.value)).toEqual(["", "eu", "us"]);

    const fqdn = input("our_server_fqdn");
    expect(fqdn.id).toBe("field-our_server_fqdn");
    expect(fqdn.getAttribute("spellcheck")).toBe("false");
    expect(fqdn.getAttribute("autocapitalize")).toBe("off");
    expect(fqdn.placeholder).toBe("e.g. acme.ems.host");
    expect(input("hhs_entity_name").getAttribute("spellcheck")).toBeNull();

    // labels are bound to their inputs; required fields are marked
    expect(screen.getByLabelText(/Customer's legal name/)).toBe(input("hhs_entity_name"));
    expect(document.querySelector('label[for="field-hhs_entity_name"]')?.textContent).toContain(
      "*",
    );
    expect(document.querySelector('label[for="field-notes"]')?.textContent).not.toContain("*");
    expect(input("hhs_entity_name").required).toBe(true);

    // help text is the input's description
    const help = document.getElementById(
      input("hhs_entity_name").getAttribute("aria-describedby") ?? "",
    );
    expect(help?.textContent).toContain("owns the homeserver");
  });

  it("shows a derived default as placeholder and note, and returns to it when cleared", async () => {
    const { backend } = await setup();
    const tsn = input("their_server_name");
    expect(tsn.value).toBe("");
    expect(tsn.placeholder).toBe("acme.ems.host");
    const row = tsn.closest(".field") as HTMLElement;
    expect(row.querySelector("[data-testid=derived-note]")?.textContent).toContain("acme.ems.host");

    await fireEvent.input(tsn, { target: { value: "acme.example.org" } });
    await waitFor(() => expect(row.querySelector("[data-testid=derived-note]")).toBeNull());
    expect(preview().textContent).toContain("acme.example.org");

    await fireEvent.input(tsn, { target: { value: "" } });
    const last = lastRendered(backend);
    expect("their_server_name" in last.values).toBe(false);
    await waitFor(() => expect(tsn.placeholder).toBe("acme.ems.host"));
  });

  it("shows invalid-value messages under the field", async () => {
    await setup();
    await fireEvent.input(input("hhs_admin_email"), { target: { value: "not-an-email" } });
    await waitFor(() => {
      const msgs = input("hhs_admin_email")
        .closest(".field")
        ?.querySelector("[data-testid=field-messages]");
      expect(msgs?.textContent).toContain("Not an email address");
    });
    expect(input("hhs_admin_email").getAttribute("aria-invalid")).toBe("true");
    expect(input("hhs_admin_email").getAttribute("aria-describedby")).toContain(
      "field-hhs_admin_email-messages",
    );
  });

  it("stores booleans and choices with their types", async () => {
    const { backend } = await setup();
    await fireEvent.click(input("eu_only"));
    expect(lastRendered(backend).values.eu_only).toBe(true);
    await fireEvent.change(input("region"), { target: { value: "us" } });
    expect(lastRendered(backend).values.region).toBe("us");
  });
});

describe("live preview", () => {
  it("renders on every keystroke with the latest values and ignores stale answers", async () => {
    const backend = fakeBackend();
    const { studio } = await setup(backend);
    const answers: Array<ReturnType<typeof deferred<RenderedNotice>>> = [];
    backend.renderPreview.mockImplementation(() => {
      const d = deferred<RenderedNotice>();
      answers.push(d);
      return d.promise;
    });
    const el = input("our_server_fqdn");
    const h1 = preview().querySelector("h1");
    await fireEvent.input(el, { target: { value: "a" } });
    await fireEvent.input(el, { target: { value: "ab" } });
    await fireEvent.input(el, { target: { value: "abc" } });
    expect(backend.renderPreview).toHaveBeenCalledTimes(4);
    const calls = backend.renderPreview.mock.calls.slice(1).map((c) => c[0].values.our_server_fqdn);
    expect(calls).toEqual(["a", "ab", "abc"]);
    expect(studio.tenant.values.our_server_fqdn).toBe("abc");

    answers[2].resolve(fakeRender(backend.renderPreview.mock.calls[3][0]));
    await waitFor(() => expect(preview().textContent).toContain("abc"));
    answers[0].resolve(fakeRender(backend.renderPreview.mock.calls[1][0])); // stale
    answers[1].resolve(fakeRender(backend.renderPreview.mock.calls[2][0])); // stale
    await new Promise((r) => setTimeout(r, 10));
    await tick();
    const value = preview().querySelector('[data-field="our_server_fqdn"]');
    expect(value?.textContent).toBe("abc");
    // patched in place, not replaced
    expect(preview().querySelector("h1")).toBe(h1);
    await waitFor(() => expect(window.__noticeMetrics?.keystrokes.length).toBeGreaterThan(0));
    expect(performance.getEntriesByName("notice:key:2").length).toBe(1);
  });

  it("focusing a field highlights its uses; clicking a use focuses the field", async () => {
    await setup();
    input("their_server_name").focus();
    await tick();
    const uses = preview().querySelectorAll('[data-field="their_server_name"]');
    expect(uses.length).toBe(2);
    for (const u of uses) expect(u.classList.contains("uses-highlight")).toBe(true);
    expect(preview().querySelectorAll(".uses-highlight").length).toBe(2);

    const mark = preview().querySelector('mark[data-field="our_server_fqdn"]') as HTMLElement;
    expect(mark.getAttribute("title")).toBe("Server host name: not filled in");
    await fireEvent.click(mark);
    expect(document.activeElement).toBe(input("our_server_fqdn"));
    await tick();
    expect(mark.classList.contains("uses-highlight")).toBe(true);
    expect(uses[0].classList.contains("uses-highlight")).toBe(false);
  });
});

describe("problems", () => {
  it("lists problems with counts and walks them with F8 / Shift+F8, wrapping", async () => {
    await setup();
    const counts = screen.getByTestId("problem-counts");
    expect(counts.textContent?.replace(/\s+/g, " ").trim()).toBe("1 error 1 warning 1 info");
    expect(counts.dataset.errors).toBe("1");
    expect(counts.dataset.warnings).toBe("1");
    expect(counts.dataset.infos).toBe("1");
    const list = rows();
    expect(list.map((r) => r.dataset.code)).toEqual([
      "unfilled-placeholder",
      "unpaired-emphasis",
      "section-ref",
    ]);
    expect(list.map((r) => r.dataset.field)).toEqual(["our_server_fqdn", "", ""]);
    expect(list.map((r) => r.dataset.severity)).toEqual(["error", "warning", "info"]);

    const scroll = vi.spyOn(Element.prototype, "scrollIntoView");
    // lay out: the preview shows 0-500px, every block sits far below
    vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (
      this: Element,
    ) {
      const top = this.classList.contains("scroller") ? 0 : 1000;
      return DOMRect.fromRect({ x: 0, y: top, width: 100, height: top ? 20 : 500 });
    });
    await fireEvent.keyDown(window, { key: "F8" });
    expect(document.activeElement).toBe(input("our_server_fqdn"));
    expect(rows()[0].getAttribute("aria-current")).toBe("true");

    await fireEvent.keyDown(window, { key: "F8" });
    const para = preview().querySelector('[data-sourcepos="14:1-16:90"]') as HTMLElement;
    expect(para.classList.contains("flash")).toBe(true);
    expect(scroll.mock.contexts).toContain(para);
    expect(rows()[1].getAttribute("aria-current")).toBe("true");

    await fireEvent.keyDown(window, { key: "F8" });
    expect(rows()[2].getAttribute("aria-current")).toBe("true");
    await fireEvent.keyDown(window, { key: "F8" }); // wraps to the first
    expect(rows()[0].getAttribute("aria-current")).toBe("true");
    await fireEvent.keyDown(window, { key: "F8", shiftKey: true }); // and back to the last
    expect(rows()[2].getAttribute("aria-current")).toBe("true");
  });

  it("clicking a row focuses its field, or scrolls to its line", async () => {
    await setup();
    await fireEvent.click(rows()[0]);
    expect(document.activeElement).toBe(input("our_server_fqdn"));
    await fireEvent.click(rows()[2]);
    const block = preview().querySelector('[data-sourcepos="30:1-30:40"]') as HTMLElement;
    expect(block.classList.contains("flash")).toBe(true);
  });
});

describe("mechanical fixes", () => {
  const typo: Diagnostic = {
    severity: "error",
    code: "likely-typo",
    message: "`hhs_serve_domain` is used once; `hhs_server_domain` is used 18 times",
    hint: "rename it to `hhs_server_domain`",
    path: TEMPLATE_PATH,
    line: 12,
    column: 9,
    fix: { line: 12, column: 12, old: "hhs_serve_domain", new: "hhs_server_domain" },
  };

  function withTypo(): ReturnType<typeof fakeBackend> {
    const backend = fakeBackend();
    backend.renderPreview.mockImplementation(async (t: TenantFile) => {
      const r = fakeRender(t);
      return { ...r, diagnostics: [...r.diagnostics, typo] };
    });
    return backend;
  }

  it("shows the hint and offers the fix only where there is one", async () => {
    await setup(withTypo());
    await waitFor(() => expect(rows().some((r) => r.dataset.code === "likely-typo")).toBe(true));
    const row = rows().find((r) => r.dataset.code === "likely-typo") as HTMLElement;
    const li = row.closest("li") as HTMLElement;
    expect(within(li).getByTestId("problem-hint").textContent).toBe(
      "rename it to `hhs_server_domain`",
    );
    expect(screen.getAllByTestId("problem-fix")).toHaveLength(1);
  });

  it("writes the fix only after the user confirms the exact change", async () => {
    const { backend } = await setup(withTypo());
    const fix = await screen.findByTestId("problem-fix");
    await fireEvent.click(fix);
    let dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("line 12");
    expect(dialog.textContent).toContain("“hhs_serve_domain” becomes “hhs_server_domain”");
    expect(within(dialog).queryByTestId("confirm-discard")).toBeNull();
    await fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    expect(backend.applyFix).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId("problem-fix"));
    dialog = await screen.findByTestId("confirm-dialog");
    await fireEvent.click(within(dialog).getByTestId("confirm-save"));
    await waitFor(() => expect(backend.applyFix).toHaveBeenCalledWith(TEMPLATE_PATH, typo.fix));
    expect((await screen.findByTestId("toast")).textContent).toContain("line 12");
  });

  it("a fix that no longer applies is reported and nothing else changes", async () => {
    const backend = withTypo();
    backend.applyFix.mockRejectedValue({
      kind: "stale",
      message: "the fix no longer applies: the file changed since it was checked; check it again",
      path: TEMPLATE_PATH,
      line: 12,
      diagnostics: [],
    });
    await setup(backend);
    await fireEvent.click(await screen.findByTestId("problem-fix"));
    await fireEvent.click(
      within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-save"),
    );
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("check it again");
  });
});

describe("a document app", () => {
  it("opens the file named on the command line once the window is up", async () => {
    const backend = fakeBackend(
      startup({ launch: { kind: "tenant", path: "/home/am/globex.json" } }),
    );
    await setup(backend);
    await waitFor(() => expect(backend.openTenant).toHaveBeenCalledWith("/home/am/globex.json"));
    expect(backend.openWorkspace).not.toHaveBeenCalled();
  });

  it("a file handed over by a second instance opens here, asking about unsaved changes", async () => {
    const { win, backend } = await setup();
    await fireEvent.input(input("our_server_fqdn"), { target: { value: "acme.ems.host" } });
    win.requestOpen({ kind: "tenant", path: "/home/am/globex.json" });
    const dialog = await screen.findByTestId("confirm-dialog");
    await fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    expect(backend.openTenant).not.toHaveBeenCalled();
    expect(input("our_server_fqdn").value).toBe("acme.ems.host");

    win.requestOpen({ kind: "template", path: "/srv/templates/terms.md" });
    await waitFor(() =>
      expect(backend.openTemplate).toHaveBeenCalledWith("/srv/templates/terms.md"),
    );
    win.requestOpen({ kind: "workspace", path: "/srv/ws" });
    await waitFor(() =>
      expect(backend.openWorkspace).toHaveBeenCalledWith("/srv/ws", expect.any(Function)),
    );
  });

  it("the About box shows the version", async () => {
    await setup();
    await fireEvent.click(screen.getByTestId("about"));
    const dialog = await screen.findByTestId("about-dialog");
    expect(within(dialog).getByTestId("about-version").textContent).toBe("0.1.0");
    await fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("about-dialog")).toBeNull());
  });
});

describe("dirty state and title", () => {
  it("marks the window title when there are unsaved changes and clears it on save", async () => {
    const { win, backend } = await setup();
    expect(document.title).toBe("Acme Corporation \u2014 privacy_notice.md \u2014 Notice Studio");
    await fireEvent.input(input("our_server_fqdn"), { target: { value: "acme.ems.host" } });
    expect(document.title).toBe(
      "\u2022 Acme Corporation \u2014 privacy_notice.md \u2014 Notice Studio",
    );
    expect(win.setTitle).toHaveBeenLastCalledWith(
      "\u2022 Acme Corporation \u2014 privacy_notice.md \u2014 Notice Studio",
    );
    await fireEvent.input(screen.getByTestId("tenant-name"), { target: { value: "Acme Corp" } });
    expect(document.title).toBe("\u2022 Acme Corp \u2014 privacy_notice.md \u2014 Notice Studio");

    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(backend.saveTenant).toHaveBeenCalledOnce());
    const [saved, path] = backend.saveTenant.mock.calls[0];
    expect(path).toBe("/home/am/acme.json");
    expect(saved.tenant).toBe("Acme Corp");
    expect(saved.values.our_server_fqdn).toBe("acme.ems.host");
    await waitFor(() =>
      expect(document.title).toBe("Acme Corp \u2014 privacy_notice.md \u2014 Notice Studio"),
    );
    expect(backend.clearAutosave).toHaveBeenCalled();
    expect(screen.getByTestId("toast").textContent).toContain("/home/am/acme.json");
  });

  it("Save As always asks for a path", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("save-as"));
    await waitFor(() => expect(backend.saveTenant).toHaveBeenCalledWith(ACME, null));
  });

  it("autosaves the working state while dirty", async () => {
    const { backend, studio } = await setup();
    expect(await studio.autosave()).toBe(false); // clean: nothing to save
    await fireEvent.input(input("hhs_name"), { target: { value: "acme2" } });
    expect(await studio.autosave(new Date("2025-03-01T10:00:00Z"))).toBe(true);
    expect(backend.writeAutosave).toHaveBeenCalledWith({
      template_path: TEMPLATE_PATH,
      tenant_path: "/home/am/acme.json",
      tenant: { ...ACME, values: { ...ACME.values, hhs_name: "acme2" } },
      dirty: true,
      saved_at: "2025-03-01T10:00:00.000Z",
    });
    expect(await studio.autosave()).toBe(false); // unchanged since the last write
  });
});

describe("unsaved-changes dialog", () => {
  async function dirtyThenNew() {
    const s = await setup();
    await fireEvent.input(input("hhs_name"), { target: { value: "changed" } });
    await fireEvent.click(screen.getByTestId("new-tenant"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    return s;
  }

  it("does not ask when there is nothing to lose", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("new-tenant"));
    await waitFor(() => expect(backend.newTenant).toHaveBeenCalledOnce());
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("Cancel keeps the work", async () => {
    const { backend, studio } = await dirtyThenNew();
    await fireEvent.click(screen.getByTestId("confirm-cancel"));
    await tick();
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.newTenant).not.toHaveBeenCalled();
    expect(studio.tenant.values.hhs_name).toBe("changed");
  });

  it("Don't save discards and starts the new tenant", async () => {
    const { backend, studio } = await dirtyThenNew();
    await fireEvent.click(screen.getByTestId("confirm-discard"));
    await waitFor(() => expect(backend.newTenant).toHaveBeenCalledOnce());
    expect(backend.saveTenant).not.toHaveBeenCalled();
    await waitFor(() => expect(studio.tenant.values).toEqual({}));
    expect(studio.dirty).toBe(false);
    expect(input("hhs_name").value).toBe("");
  });

  it("Save saves first, then starts the new tenant", async () => {
    const { backend } = await dirtyThenNew();
    await fireEvent.click(screen.getByTestId("confirm-save"));
    await waitFor(() => expect(backend.newTenant).toHaveBeenCalledOnce());
    expect(backend.saveTenant).toHaveBeenCalledOnce();
    expect(backend.saveTenant.mock.calls[0][0].values.hhs_name).toBe("changed");
    expect(backend.saveTenant.mock.invocationCallOrder[0]).toBeLessThan(
      backend.newTenant.mock.invocationCallOrder[0],
    );
  });

  it("a cancelled Save As keeps the work", async () => {
    const backend = fakeBackend(startup({ tenant: opened(ACME) })); // never saved: Save asks for a path
    backend.saveTenant.mockResolvedValueOnce(null);
    await setup(backend);
    await fireEvent.input(input("hhs_name"), { target: { value: "changed" } });
    await fireEvent.keyDown(window, { key: "o", ctrlKey: true });
    await fireEvent.click(await screen.findByTestId("confirm-save"));
    await waitFor(() => expect(backend.saveTenant).toHaveBeenCalledWith(expect.anything(), null));
    await tick();
    expect(backend.openTenant).not.toHaveBeenCalled();
  });

  it("closing the window while dirty asks; Don't save clears the autosave and closes", async () => {
    const { backend, win } = await setup();
    expect(await win.requestClose()).toBe(false); // clean: closes right away
    await fireEvent.input(input("hhs_name"), { target: { value: "changed" } });
    expect(await win.requestClose()).toBe(true); // prevented
    await fireEvent.click(await screen.findByTestId("confirm-discard"));
    await waitFor(() => expect(win.destroy).toHaveBeenCalledOnce());
    expect(backend.clearAutosave.mock.invocationCallOrder.at(-1)).toBeLessThan(
      win.destroy.mock.invocationCallOrder[0],
    );
  });

  it("closing and cancelling keeps the window", async () => {
    const { win } = await setup();
    await fireEvent.input(input("hhs_name"), { target: { value: "changed" } });
    await win.requestClose();
    await fireEvent.keyDown(await screen.findByTestId("confirm-dialog"), { key: "Escape" });
    await tick();
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(win.destroy).not.toHaveBeenCalled();
  });
});

describe("recovery", () => {
  const recovery = {
    template_path: TEMPLATE_PATH,
    tenant_path: "/home/am/acme.json",
    tenant: { format: 1, tenant: "Acme Corporation", values: { hhs_name: "recovered" } },
    dirty: true,
    saved_at: "2025-03-01T10:00:00Z",
  };

  it("Restore loads the saved state and marks it dirty", async () => {
    const backend = fakeBackend(startup({ recovery }));
    const { studio } = await setup(backend);
    const banner = screen.getByTestId("restore-banner");
    expect(banner.textContent).toContain("Restore unsaved work from");
    await fireEvent.click(screen.getByTestId("restore-accept"));
    await waitFor(() => expect(input("hhs_name").value).toBe("recovered"));
    expect(studio.dirty).toBe(true);
    expect(document.title.startsWith("\u2022 ")).toBe(true);
    expect(backend.openTemplate).not.toHaveBeenCalled(); // same template
    expect(screen.queryByTestId("restore-banner")).toBeNull();
    expect(backend.renderPreview.mock.lastCall?.[0].values.hhs_name).toBe("recovered");
  });

  it("Restore opens the recorded template when it differs", async () => {
    const backend = fakeBackend(startup({ recovery: { ...recovery, template_path: "/other.md" } }));
    await setup(backend);
    await fireEvent.click(screen.getByTestId("restore-accept"));
    await waitFor(() => expect(backend.openTemplate).toHaveBeenCalledWith("/other.md"));
  });

  it("Discard clears the autosave", async () => {
    const backend = fakeBackend(startup({ recovery }));
    const { studio } = await setup(backend);
    await fireEvent.click(screen.getByTestId("restore-dismiss"));
    await waitFor(() => expect(backend.clearAutosave).toHaveBeenCalledOnce());
    expect(screen.queryByTestId("restore-banner")).toBeNull();
    expect(studio.tenant.values.hhs_name).toBe("acme");
    expect(studio.dirty).toBe(false);
  });
});

describe("export", () => {
  it("shows the errors when an export is refused, and can export a draft instead", async () => {
    const backend = fakeBackend();
    backend.exportDocument.mockRejectedValueOnce({
      kind: "refused",
      message: "1 error",
      diagnostics: [
        {
          severity: "error",
          code: "unfilled-placeholder",
          message: "Server host name is not filled in",
          field: "our_server_fqdn",
          line: 14,
        },
      ],
    });
    await setup(backend);
    await fireEvent.keyDown(window, { key: "e", ctrlKey: true });
    expect(backend.exportDocument).toHaveBeenCalledWith(ACME, "html", false, null, ACME_PATH);
    const dialog = await screen.findByTestId("refused-dialog");
    const errs = dialog.querySelectorAll<HTMLElement>("[data-testid=problem]");
    expect(errs).toHaveLength(1);
    expect(errs[0].textContent).toContain("Server host name is not filled in");
    expect(errs[0].dataset.field).toBe("our_server_fqdn");

    await fireEvent.click(screen.getByTestId("refused-export-draft"));
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "html", true, null, ACME_PATH),
    );
    expect(screen.queryByTestId("refused-dialog")).toBeNull();
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Exported draft to /home/am/acme.html");
  });

  it("clicking an error in the refused dialog goes to its field", async () => {
    const backend = fakeBackend();
    backend.exportDocument.mockRejectedValueOnce({
      kind: "refused",
      message: "1 error",
      diagnostics: [
        { severity: "error", code: "unfilled-placeholder", message: "x", field: "our_server_fqdn" },
      ],
    });
    await setup(backend);
    await fireEvent.click(screen.getByTestId("export-html"));
    const dialog = await screen.findByTestId("refused-dialog");
    await fireEvent.click(dialog.querySelector("[data-testid=problem]") as HTMLElement);
    await tick();
    expect(screen.queryByTestId("refused-dialog")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(input("our_server_fqdn")));
  });

  it("exports Markdown and drafts from their buttons", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("export-md"));
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "md", false, null, ACME_PATH),
    );
    await fireEvent.click(screen.getByTestId("export-draft"));
    await fireEvent.click(await screen.findByTestId("export-draft-html"));
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "html", true, null, ACME_PATH),
    );
  });
});

describe("files and review mode", () => {
  it("opening a broken tenant file names it in a banner", async () => {
    const backend = fakeBackend();
    backend.openTenant.mockRejectedValueOnce({
      kind: "parse",
      message: "invalid JSON: expected value",
      path: "/home/am/acme.json",
      line: 3,
      column: 5,
      diagnostics: [],
    });
    await setup(backend);
    await fireEvent.click(screen.getByTestId("open-tenant"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(
      "Could not open acme.json: line 3, column 5: invalid JSON: expected value",
    );
  });

  it("opening a template keeps the tenant values", async () => {
    const { backend, studio } = await setup();
    await fireEvent.click(screen.getByTestId("open-template"));
    await waitFor(() => expect(backend.openTemplate).toHaveBeenCalledWith(null));
    await waitFor(() => expect(backend.renderPreview).toHaveBeenCalledTimes(2));
    expect(studio.tenant).toEqual(ACME);
    expect(studio.dirty).toBe(false);
  });

  it("review mode hides the form and marks problem blocks in the gutter", async () => {
    await setup();
    await fireEvent.click(screen.getByTestId("review-toggle"));
    expect(screen.getByTestId("review-toggle").getAttribute("aria-checked")).toBe("true");
    expect(document.querySelector("[data-field=hhs_name]:is(input,textarea,select)")).toBeNull();
    const para = preview().querySelector('[data-sourcepos="14:1-16:90"]');
    expect(para?.getAttribute("data-problem")).toBe("error");
    expect(rows()).toHaveLength(3);
    // a problem with a field scrolls to its use in the preview instead
    await fireEvent.click(rows()[0]);
    const use = preview().querySelector('[data-field="our_server_fqdn"]');
    expect(use?.classList.contains("uses-highlight")).toBe(true);
    await fireEvent.click(screen.getByTestId("review-toggle"));
    expect(para?.hasAttribute("data-problem")).toBe(false);
  });
});

describe("pages view", () => {
  const A4_UA = { paper: "a4", standards: ["ua-1"], tenant: "Acme Corporation" };

  function tab(name: "document" | "pages"): HTMLElement {
    return screen.getByTestId(`tab-${name}`);
  }

  function pagesEl(): HTMLElement {
    return screen.getByTestId("pages");
  }

  function pageImages(): HTMLImageElement[] {
    return screen.queryAllByTestId("page") as HTMLImageElement[];
  }

  /** The SVG an image shows. */
  function svgOf(img: HTMLImageElement): string {
    const prefix = "data:image/svg+xml;base64,";
    expect(img.getAttribute("src")?.startsWith(prefix)).toBe(true);
    const b64 = (img.getAttribute("src") ?? "").slice(prefix.length);
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  }

  async function showPages(): Promise<void> {
    await fireEvent.click(tab("pages"));
  }

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("switches views with the tabs, by click and by arrow keys", async () => {
    await setup();
    const list = screen.getByRole("tablist");
    const tabs = within(list).getAllByRole("tab");
    expect(tabs.map((t) => t.textContent?.trim())).toEqual(["Document", "Pages"]);
    expect(tab("document").getAttribute("aria-selected")).toBe("true");
    expect(tab("document").tabIndex).toBe(0);
    expect(tab("pages").tabIndex).toBe(-1);
    const docPanel = document.getElementById(tab("document").getAttribute("aria-controls") ?? "");
    const pagesPanel = document.getElementById(tab("pages").getAttribute("aria-controls") ?? "");
    expect(docPanel?.getAttribute("role")).toBe("tabpanel");
    expect(pagesPanel?.getAttribute("aria-labelledby")).toBe(tab("pages").id);
    expect(docPanel?.hidden).toBe(false);
    expect(pagesPanel?.hidden).toBe(true);

    tab("document").focus();
    await fireEvent.keyDown(tab("document"), { key: "ArrowRight" });
    expect(tab("pages").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(tab("pages"));
    expect(tab("pages").tabIndex).toBe(0);
    expect(docPanel?.hidden).toBe(true);
    expect(pagesPanel?.hidden).toBe(false);

    await fireEvent.keyDown(tab("pages"), { key: "ArrowRight" }); // wraps
    expect(document.activeElement).toBe(tab("document"));
    expect(tab("document").getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(tab("document"), { key: "End" });
    expect(tab("pages").getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(tab("pages"), { key: "Home" });
    expect(tab("document").getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(tab("document"), { key: "ArrowLeft" }); // wraps
    expect(tab("pages").getAttribute("aria-selected")).toBe("true");
  });

  it("shows the typeset pages as data: images, with page numbers, count and draft state", async () => {
    const { backend } = await setup(fakeBackend(), 20);
    await showPages();
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));
    expect(backend.pagePreview).toHaveBeenCalledOnce();
    expect(backend.pagePreview).toHaveBeenCalledWith(ACME, A4_UA);
    expect(pagesEl().dataset.draft).toBe("true");
    const imgs = pageImages();
    expect(imgs.map((i) => i.tagName)).toEqual(["IMG", "IMG"]);
    expect(imgs.map((i) => i.alt)).toEqual(["Page 1 of 2", "Page 2 of 2"]);
    expect(svgOf(imgs[1])).toContain("Acme Corporation \u2014 ua-1 \u2014 page 2");
    expect(imgs[0].getAttribute("width")).toBe("595");
    expect(imgs[0].getAttribute("height")).toBe("842");
    expect(pagesEl().querySelector("svg")).toBeNull(); // never inlined
    expect(screen.getByTestId("page-count-label").textContent).toBe("2 pages");
    expect(screen.getByTestId("draft-badge").textContent).toBe("DRAFT");
    expect(screen.queryByTestId("pages-updating")).toBeNull();

    // filling in the last required field: no longer a draft, one more page
    await fireEvent.input(input("our_server_fqdn"), { target: { value: "acme.ems.host" } });
    expect(screen.getByTestId("pages-updating").textContent).toContain("updating…");
    expect(pagesEl().getAttribute("aria-busy")).toBe("true");
    await waitFor(() => expect(pagesEl().dataset.draft).toBe("false"));
    expect(screen.queryByTestId("draft-badge")).toBeNull();
    expect(screen.queryByTestId("pages-updating")).toBeNull();
    expect(pageImages().map((i) => i.alt)).toEqual(["Page 1 of 2", "Page 2 of 2"]);
  });

  it("typing refreshes the pages once, after typing pauses, keeping the page elements", async () => {
    const { backend } = await setup(fakeBackend(), 300);
    await showPages();
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));
    const before = pageImages();
    const el = input("our_server_fqdn");
    for (const v of ["a", "ac", "acm", "acme", "acme."]) {
      await fireEvent.input(el, { target: { value: v } });
    }
    expect(backend.renderPreview).toHaveBeenCalledTimes(6); // the HTML preview follows every key
    expect(backend.pagePreview).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(backend.pagePreview).toHaveBeenCalledTimes(2));
    expect(backend.pagePreview.mock.lastCall?.[0].values.our_server_fqdn).toBe("acme.");
    await waitFor(() => expect(pagesEl().dataset.draft).toBe("false"));
    await pause(400);
    expect(backend.pagePreview).toHaveBeenCalledTimes(2);
    // the images are updated in place, so the scroll position stays where it was
    const after = pageImages();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it("asks for no pages while hidden, and catches up when shown", async () => {
    const { backend } = await setup(fakeBackend(), 20);
    await fireEvent.input(input("hhs_name"), { target: { value: "acme2" } });
    await pause(100);
    expect(backend.pagePreview).not.toHaveBeenCalled();

    await showPages();
    expect(backend.pagePreview).toHaveBeenCalledOnce();
    expect(backend.pagePreview.mock.lastCall?.[0].values.hhs_name).toBe("acme2");
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));

    await fireEvent.click(tab("document"));
    await fireEvent.click(tab("pages")); // nothing changed meanwhile
    await fireEvent.click(tab("document"));
    await fireEvent.input(input("hhs_name"), { target: { value: "acme3" } });
    await pause(100);
    expect(backend.pagePreview).toHaveBeenCalledOnce();
    await showPages();
    expect(backend.pagePreview).toHaveBeenCalledTimes(2);
    expect(backend.pagePreview.mock.lastCall?.[0].values.hhs_name).toBe("acme3");
  });

  it("drops page answers that arrive after a newer one", async () => {
    const backend = fakeBackend();
    const answers: Array<ReturnType<typeof deferred<PagePreview>>> = [];
    backend.pagePreview.mockImplementation(() => {
      const d = deferred<PagePreview>();
      answers.push(d);
      return d.promise;
    });
    await setup(backend, 20);
    await showPages();
    expect(screen.getByText("Typesetting the pages…")).toBeTruthy();
    await fireEvent.change(screen.getByTestId("pdf-paper"), { target: { value: "letter" } });
    await fireEvent.change(screen.getByTestId("pdf-standard"), { target: { value: "a-2b" } });
    expect(backend.pagePreview).toHaveBeenCalledTimes(3);
    const calls = backend.pagePreview.mock.calls;
    answers[2].resolve(fakePages(calls[2][0], calls[2][1]));
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));
    answers[0].resolve({ pages: ["<svg/>"], draft: false, millis: 1 }); // stale
    answers[1].resolve({ pages: ["<svg/>"], draft: false, millis: 1 }); // stale
    await pause(20);
    await tick();
    expect(pagesEl().dataset.pageCount).toBe("2");
    expect(pagesEl().dataset.draft).toBe("true");
    expect(svgOf(pageImages()[0])).toContain("a-2b");
    expect(pageImages()[0].getAttribute("width")).toBe("612");
  });

  it("passes the PDF settings to the pages and the export, and remembers them", async () => {
    const { backend } = await setup(fakeBackend(), 20);
    const paper = screen.getByTestId("pdf-paper") as HTMLSelectElement;
    const standard = screen.getByTestId("pdf-standard") as HTMLSelectElement;
    expect(paper.value).toBe("a4");
    expect(Array.from(standard.options).map((o) => o.textContent)).toEqual([
      "PDF/UA-1 (accessible)",
      "PDF/A-2b (archival)",
      "PDF/A-2a + PDF/UA-1 (archival, accessible)",
    ]);
    expect(standard.value).toBe("ua-1");

    await fireEvent.change(paper, { target: { value: "letter" } });
    await fireEvent.change(standard, { target: { value: "a-2a+ua-1" } });
    expect(backend.pagePreview).not.toHaveBeenCalled(); // the Pages view is hidden
    const settings = { paper: "letter", standards: ["a-2a", "ua-1"], tenant: "Acme Corporation" };
    await showPages();
    expect(backend.pagePreview).toHaveBeenLastCalledWith(ACME, settings);

    await fireEvent.click(screen.getByTestId("export-pdf"));
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(
        ACME,
        "pdf",
        false,
        settings,
        ACME_PATH,
      ),
    );
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Exported to /home/am/acme.pdf");

    // the tenant's display name goes with the settings
    await fireEvent.input(screen.getByTestId("tenant-name"), { target: { value: "Acme Corp" } });
    await waitFor(() =>
      expect(backend.pagePreview.mock.lastCall?.[1]).toEqual({ ...settings, tenant: "Acme Corp" }),
    );

    // remembered for the next start
    cleanup();
    const next = fakeBackend();
    await setup(next, 20);
    expect((screen.getByTestId("pdf-paper") as HTMLSelectElement).value).toBe("letter");
    expect((screen.getByTestId("pdf-standard") as HTMLSelectElement).value).toBe("a-2a+ua-1");
    await fireEvent.keyDown(window, { key: "E", ctrlKey: true, shiftKey: true });
    await waitFor(() =>
      expect(next.exportDocument).toHaveBeenLastCalledWith(ACME, "pdf", false, settings, ACME_PATH),
    );
  });

  it("a refused PDF export shows the errors and can export a PDF draft instead", async () => {
    const backend = fakeBackend();
    backend.exportDocument.mockRejectedValueOnce({
      kind: "refused",
      message: "1 error",
      diagnostics: [
        {
          severity: "error",
          code: "unfilled-placeholder",
          message: "Server host name is not filled in",
          field: "our_server_fqdn",
          line: 14,
        },
      ],
    });
    await setup(backend);
    await fireEvent.keyDown(window, { key: "E", ctrlKey: true, shiftKey: true });
    expect(backend.exportDocument).toHaveBeenCalledWith(ACME, "pdf", false, A4_UA, ACME_PATH);
    const dialog = await screen.findByTestId("refused-dialog");
    expect(dialog.querySelectorAll("[data-testid=problem]")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("refused-export-draft"));
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "pdf", true, A4_UA, ACME_PATH),
    );
    expect(screen.queryByTestId("refused-dialog")).toBeNull();
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Exported draft to /home/am/acme.pdf");
  });

  it("the draft menu exports a draft in the chosen format, by mouse or keyboard", async () => {
    const { backend } = await setup();
    const trigger = screen.getByTestId("export-draft");
    expect(trigger.getAttribute("aria-haspopup")).toBe("menu");
    await fireEvent.click(trigger);
    const menu = await screen.findByRole("menu");
    expect(trigger.getAttribute("aria-expanded")).toBe("true");
    const items = within(menu).getAllByRole("menuitem");
    expect(items.map((i) => i.textContent)).toEqual(["Draft HTML…", "Draft PDF…"]);
    await waitFor(() => expect(document.activeElement).toBe(items[0]));
    await fireEvent.keyDown(items[0], { key: "ArrowDown" });
    expect(document.activeElement).toBe(items[1]);
    await fireEvent.keyDown(items[1], { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(trigger);
    expect(backend.exportDocument).not.toHaveBeenCalled();

    await fireEvent.keyDown(trigger, { key: "ArrowUp" }); // opens on the last item
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId("export-draft-pdf")),
    );
    await fireEvent.click(screen.getByTestId("export-draft-pdf"));
    expect(screen.queryByRole("menu")).toBeNull();
    await waitFor(() =>
      expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "pdf", true, A4_UA, ACME_PATH),
    );

    await fireEvent.click(trigger);
    await screen.findByRole("menu");
    await fireEvent.pointerDown(document.body); // a click elsewhere closes it
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("shows a typesetting error in the panel, then the pages once it is fixed", async () => {
    const backend = fakeBackend();
    backend.pagePreview.mockRejectedValueOnce({
      kind: "unrenderable",
      message: "unknown font family: Inter",
      diagnostics: [{ severity: "error", code: "typst", message: "font not found", line: 3 }],
    });
    await setup(backend, 20);
    await showPages();
    const err = await screen.findByTestId("pages-error");
    expect(err.getAttribute("role")).toBe("alert");
    expect(err.textContent).toContain("Could not typeset privacy_notice.md: unknown font family");
    expect(err.textContent?.replace(/\s+/g, " ")).toContain("font not found (line 3)");
    expect(pagesEl().dataset.error).toBe("true");
    expect(screen.queryByTestId("error-banner")).toBeNull();

    await fireEvent.input(input("hhs_name"), { target: { value: "acme2" } });
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));
    expect(screen.queryByTestId("pages-error")).toBeNull();
    expect(pagesEl().dataset.error).toBeUndefined();
  });

  it("going to a place in the notice from the Pages view shows the document", async () => {
    await setup();
    await showPages();
    await fireEvent.click(rows()[2]); // a problem with a line, no field
    expect(tab("document").getAttribute("aria-selected")).toBe("true");
    const block = preview().querySelector('[data-sourcepos="30:1-30:40"]') as HTMLElement;
    expect(block.classList.contains("flash")).toBe(true);
    await showPages();
    await fireEvent.click(rows()[0]); // a problem with a field: its input, the view stays
    expect(document.activeElement).toBe(input("our_server_fqdn"));
    expect(tab("pages").getAttribute("aria-selected")).toBe("true");
  });

  it("each view keeps its scroll position while the other is shown", async () => {
    await setup(fakeBackend(), 20);
    const docScroller = preview().closest(".scroller") as HTMLElement;
    docScroller.scrollTop = 300;
    await fireEvent.scroll(docScroller);
    await showPages();
    await waitFor(() => expect(pagesEl().dataset.pageCount).toBe("2"));
    pagesEl().scrollTop = 120;
    await fireEvent.scroll(pagesEl());
    docScroller.scrollTop = 0; // what display: none does to a scroller
    await fireEvent.click(tab("document"));
    expect(docScroller.scrollTop).toBe(300);
    pagesEl().scrollTop = 0;
    await fireEvent.click(tab("pages"));
    expect(pagesEl().scrollTop).toBe(120);
  });
});

describe("legal sign-off", () => {
  async function fillEverything() {
    await fireEvent.input(input("our_server_fqdn"), { target: { value: "acme.ems.host" } });
    await fireEvent.input(input("their_server_name"), { target: { value: "acme.example.org" } });
    await waitFor(() =>
      expect(rows().filter((r) => r.dataset.severity === "error")).toHaveLength(0),
    );
  }

  it("sets up a reviewer on first approval, approves, and shows the change as soon as a value is edited", async () => {
    const { backend } = await setup();
    await fillEverything();
    // Outside review mode nothing is said about a document never approved.
    expect(screen.queryByTestId("approval-status")).toBeNull();
    await fireEvent.click(screen.getByTestId("review-toggle"));
    const status = await screen.findByTestId("approval-status");
    expect(status.dataset.state).toBe("not-approved");

    await fireEvent.click(screen.getByTestId("approve"));
    const dialog = await screen.findByTestId("reviewer-dialog");
    expect(backend.approveDocument).not.toHaveBeenCalled();
    const submit = within(dialog).getByTestId("reviewer-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(within(dialog).getByTestId("reviewer-name"), {
      target: { value: "Jane Q. Reviewer" },
    });
    await fireEvent.input(within(dialog).getByTestId("reviewer-email"), {
      target: { value: "jane@example.org" },
    });
    await fireEvent.click(submit);
    const line = (await within(dialog).findByTestId("reviewer-public-line")) as HTMLTextAreaElement;
    expect(line.value).toMatch(/^ed25519:\S+ Jane Q\. Reviewer <jane@example\.org>$/);
    expect(backend.setReviewer).toHaveBeenCalledWith("Jane Q. Reviewer", "jane@example.org");

    // "Approve now" continues the approval the dialog was opened for: unsaved edits are saved
    // first, since an approval is of the tenant file.
    await fireEvent.click(within(dialog).getByTestId("reviewer-done"));
    await waitFor(() => expect(backend.approveDocument).toHaveBeenCalledWith(ACME_PATH));
    expect(backend.saveTenant).toHaveBeenCalled();
    await waitFor(() =>
      expect(screen.getByTestId("approval-status").dataset.state).toBe("approved"),
    );
    expect(screen.getByTestId("approval-status").textContent).toContain(
      "Approved by Jane Q. Reviewer on 27 Nov 2026",
    );

    // Editing a value: "Changed since approval", naming the field, even outside review mode.
    await fireEvent.click(screen.getByTestId("review-toggle"));
    await fireEvent.input(input("hhs_entity_name"), { target: { value: "Acme Holdings Ltd" } });
    await waitFor(() =>
      expect(screen.getByTestId("approval-status").dataset.state).toBe("changed"),
    );
    const chip = screen.getByTestId("approval-changed-field");
    expect(chip.textContent).toBe("hhs_entity_name");
    await fireEvent.click(chip);
    expect(document.activeElement).toBe(input("hhs_entity_name"));
    // Back to the approved value: approved again.
    await fireEvent.input(input("hhs_entity_name"), { target: { value: "Acme Corporation Ltd" } });
    await waitFor(() =>
      expect(screen.getByTestId("approval-status").dataset.state).toBe("approved"),
    );
  });

  it("does not approve while errors remain, and a keychain failure is shown in the dialog", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("review-toggle"));
    const approve = (await screen.findByTestId("approve")) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    expect(approve.title).toMatch(/Fix the \d+ error/);

    backend.setReviewer.mockRejectedValueOnce({
      kind: "keychain",
      message: "no OS keychain is available; start a Secret Service",
      diagnostics: [],
    });
    await fireEvent.click(screen.getByTestId("reviewer-button"));
    const dialog = await screen.findByTestId("reviewer-dialog");
    await fireEvent.input(within(dialog).getByTestId("reviewer-name"), { target: { value: "J" } });
    await fireEvent.input(within(dialog).getByTestId("reviewer-email"), {
      target: { value: "j@example.org" },
    });
    await fireEvent.click(within(dialog).getByTestId("reviewer-submit"));
    const err = await within(dialog).findByTestId("reviewer-error");
    expect(err.textContent).toContain("no OS keychain is available");
    expect(within(dialog).queryByTestId("reviewer-public-line")).toBeNull();
  });

  it("an export the workspace refuses for want of an approval says why", async () => {
    const { backend } = await setup();
    backend.exportDocument.mockRejectedValueOnce({
      kind: "approval-required",
      message:
        "export refused: hosted-homeserver/privacy_notice.md is changed since Jane's approval: the value of `hhs_name` changed; the workspace requires legal approval before export (approve it in review mode, or export a draft)",
      diagnostics: [],
    });
    await fireEvent.keyDown(window, { key: "e", ctrlKey: true });
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("the value of `hhs_name` changed");
    expect(banner.textContent).toContain("requires legal approval");
    expect(screen.queryByTestId("refused-dialog")).toBeNull();
  });

  it("an export carrying an approval says so, and passes the tenant's file", async () => {
    const { backend } = await setup();
    backend.exportDocument.mockResolvedValueOnce({
      path: "/home/am/acme.html",
      sha256: "f00",
      draft: false,
      warnings: 0,
      approved_by: "Jane Q. Reviewer",
    });
    await fireEvent.keyDown(window, { key: "e", ctrlKey: true });
    await waitFor(() =>
      expect(screen.getByTestId("toast").textContent).toContain("approved by Jane Q. Reviewer"),
    );
    expect(backend.exportDocument).toHaveBeenLastCalledWith(ACME, "html", false, null, ACME_PATH);
  });
});
