import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { Studio } from "./lib/studio.svelte";
import {
  ACME,
  ACME_PATH,
  fakeBackend,
  fakeWindow,
  startup,
  TEMPLATE,
  WORKSPACE,
} from "./test/fixtures";

afterEach(() => cleanup());

/** The app with a consent page open (or the ordinary template, `consent: false`). */
async function setup(
  consent = true,
  backend = fakeBackend(startup({ template: { ...structuredClone(TEMPLATE), consent } })),
) {
  let studio: Studio | undefined;
  render(App, {
    props: {
      backend,
      appWindow: fakeWindow(),
      autosaveMs: 60_000,
      onstudio: (s: Studio) => (studio = s),
    },
  });
  await waitFor(() => expect(window.__noticeReady).toBe(true));
  if (!studio) throw new Error("no studio");
  return { backend, studio };
}

describe("a consent page", () => {
  it("is previewed in the state the switch shows, rendered by the app", async () => {
    const { backend } = await setup();
    expect(backend.renderPreview).toHaveBeenLastCalledWith(ACME, "not-accepted");
    const radios = screen.getAllByRole("radio");
    expect(radios.map((r) => r.textContent)).toEqual(["Public", "Not yet accepted", "Accepted"]);
    expect(radios.map((r) => r.getAttribute("aria-checked"))).toEqual(["false", "true", "false"]);
    expect(radios.map((r) => r.tabIndex)).toEqual([-1, 0, -1]);

    await fireEvent.click(screen.getByTestId("consent-state-public"));
    await waitFor(() => expect(backend.renderPreview).toHaveBeenLastCalledWith(ACME, "public"));
    await fireEvent.keyDown(screen.getByTestId("consent-state-public"), { key: "ArrowLeft" });
    await waitFor(() => expect(backend.renderPreview).toHaveBeenLastCalledWith(ACME, "accepted"));
    expect(document.activeElement).toBe(screen.getByTestId("consent-state-accepted"));
  });

  it("exports for Synapse and shows the homeserver.yaml section to copy", async () => {
    const { backend } = await setup();
    await fireEvent.click(screen.getByTestId("export-synapse"));
    expect(backend.exportForSynapse).toHaveBeenCalledWith(ACME, ACME_PATH);
    const dialog = await screen.findByTestId("synapse-export-dialog");
    expect(dialog.textContent).toContain("/home/am/synapse");
    expect(dialog.textContent).toContain("en/1.0.html");
    expect(screen.getByTestId<HTMLTextAreaElement>("synapse-yaml").value).toBe(
      'user_consent:\n  version: "1.0"\n',
    );
    expect(screen.getByTestId("synapse-yaml-copy").textContent).toBe("Copy");
    await fireEvent.click(screen.getByTestId("synapse-export-done"));
    expect(screen.queryByTestId("synapse-export-dialog")).toBeNull();
  });

  it("a refused Synapse export lists the errors and offers no draft", async () => {
    const backend = fakeBackend(
      startup({ template: { ...structuredClone(TEMPLATE), consent: true } }),
    );
    backend.exportForSynapse.mockRejectedValueOnce({
      kind: "refused",
      message: "1 error",
      diagnostics: [
        {
          severity: "error",
          code: "unfilled-placeholder",
          message: "Legal entity is not filled in",
          field: "hhs_entity_name",
          line: 9,
        },
      ],
    });
    await setup(true, backend);
    await fireEvent.click(screen.getByTestId("export-synapse"));
    const dialog = await screen.findByTestId("refused-dialog");
    expect(dialog.textContent).toContain("Legal entity is not filled in");
    expect(dialog.textContent).toContain("no drafts");
    expect(screen.queryByTestId("refused-export-draft")).toBeNull();
  });
});

describe("an ordinary template", () => {
  it("has no consent switch and no Synapse export, and renders as before", async () => {
    const { backend } = await setup(false);
    expect(screen.queryByTestId("consent-states")).toBeNull();
    expect(screen.queryByTestId("export-synapse")).toBeNull();
    expect(backend.renderPreview).toHaveBeenLastCalledWith(ACME);
  });
});

describe("the workspace view", () => {
  it("shows the server notice draft for a consent page users must accept again", async () => {
    const backend = fakeBackend();
    const draft = {
      tenant: "globex",
      document: "hosted-homeserver/consent",
      exported: "1.2.0",
      current: "2.0.0",
      consent_version: "2.0",
      body: "The terms of globex.example have changed: version 2.0 replaces version 1.0. %(consent_uri)s",
      consent_url: "https://globex.ems.host/_matrix/consent",
      url_known: true,
    };
    backend.openWorkspace.mockResolvedValue({
      ...structuredClone(WORKSPACE),
      server_notices: [draft],
    });
    await setup(false, backend);
    await fireEvent.click(screen.getByTestId("open-workspace"));
    await screen.findByTestId("workspace");
    const notice = await screen.findByTestId("server-notice");
    expect(notice.textContent).toContain(
      "globex: users must accept hosted-homeserver/consent version 2.0 again",
    );
    expect(notice.textContent).toContain("https://globex.ems.host/_matrix/consent");
    expect(screen.getByTestId<HTMLTextAreaElement>("server-notice-body").value).toBe(draft.body);
    expect(screen.getByTestId("server-notice-body-copy")).toBeTruthy();
  });
});
