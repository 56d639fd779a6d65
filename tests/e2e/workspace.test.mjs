// End-to-end: a workspace in the real app. Statuses per tenant × document, "Export all" writing
// the published layout, a version bump on disk seen after a refresh, re-issue bringing the tenant
// back up to date, and a redline against an older version of the template. Then a family of
// documents: a new tenant, one form for the family with a tab per document, and the tenant file
// changed on disk while open.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { example, field, launch, repo, screenshot, seed, tempDir, typeInto } from "./harness.mjs";

const corpus = path.resolve(repo, "../shared/corpus/element-policies/privacy-notice-history");
const siblings = path.resolve(repo, "../shared/corpus/element-policies/hosted-homeserver");

describe("a workspace of tenants", () => {
  const dir = tempDir("workspace");
  const ws = path.join(dir, "ws");
  const doc = path.join(ws, "templates/hosted-homeserver/privacy_notice.md");
  let session;
  let browser;

  const cell = async (tenant) =>
    browser.$(`[data-testid="workspace-row"][data-tenant="${tenant}"] [data-testid="workspace-cell"]`);
  const waitState = async (tenant, state) => {
    await browser.waitUntil(async () => (await (await cell(tenant)).getAttribute("data-state")) === state, {
      timeout: 20000,
      timeoutMsg: `${tenant} never became ${state}`,
    });
  };

  before(async () => {
    mkdirSync(path.dirname(doc), { recursive: true });
    mkdirSync(path.join(ws, "tenants"), { recursive: true });
    copyFileSync(seed, doc);
    copyFileSync(seed.replace(/\.md$/, ".fields.yaml"), doc.replace(/\.md$/, ".fields.yaml"));
    copyFileSync(example, path.join(ws, "tenants/acme.json"));
    writeFileSync(
      path.join(ws, "tenants/initech.json"),
      JSON.stringify({ format: 1, tenant: "Initech", values: { hhs_entity_name: "Initech" } }),
    );
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_OPEN_WORKSPACE: ws,
      NOTICE_STUDIO_COMPARE_TEMPLATE: path.join(corpus, "2019-09-23-55fb3ff.md"),
      SOURCE_DATE_EPOCH: "1700000000",
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  test("opening a workspace shows every tenant's status", async () => {
    await browser.$('[data-testid="open-workspace"]').click();
    await browser.$('[data-testid="workspace"]').waitForDisplayed({ timeout: 15000 });
    await waitState("acme", "never-exported");
    await waitState("initech", "problems");
    await screenshot(browser, "05-workspace");
  });

  test("Export all writes the published layout, shows its progress, and the tenant is up to date", async () => {
    // Every progress line shown while it runs (the PDF takes long enough to be seen).
    await browser.execute(() => {
      window.exportProgressSeen = [];
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid="export-progress-text"]')?.textContent;
        if (t && window.exportProgressSeen.at(-1) !== t) window.exportProgressSeen.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await browser.$('[data-testid="workspace-row"][data-tenant="acme"] [data-testid="export-all"]').click();
    const html = path.join(ws, "exports/acme/privacy_policy/en/privacy_notice.html");
    await browser.waitUntil(() => existsSync(html), { timeout: 20000, timeoutMsg: `no ${html}` });
    await waitState("acme", "up-to-date");
    const seen = await browser.execute(() => window.exportProgressSeen);
    assert.ok(
      seen.some((t) => /^\d+ of \d+ · privacy_notice\.pdf$/.test(t)),
      `progress lines seen: ${JSON.stringify(seen)}`,
    );
    const manifest = JSON.parse(readFileSync(path.join(ws, "exports/acme/manifest.json"), "utf8"));
    assert.ok(manifest.some((m) => m.file === "privacy_policy/en/privacy_notice.html" && m.version === "1.0.0"));
    assert.match(readFileSync(path.join(ws, "history.jsonl"), "utf8"), /"tenant":"acme"/);
  });

  test("a version bump on disk shows after a refresh, and re-issue brings the tenant up to date", async () => {
    writeFileSync(doc, readFileSync(doc, "utf8").replace("version: 1.0.0", "version: 2.0.0"));
    await browser.$('[data-testid="workspace-refresh"]').click();
    await waitState("acme", "outdated");
    await browser.$('[data-testid="reissue"]').click();
    await browser.$('[data-testid="reissue-results"]').waitForDisplayed({ timeout: 30000 });
    await waitState("acme", "up-to-date");
    const manifest = JSON.parse(readFileSync(path.join(ws, "exports/acme/manifest.json"), "utf8"));
    assert.ok(manifest.every((m) => m.version === "2.0.0"), JSON.stringify(manifest));
    await screenshot(browser, "06-reissued");
  });

  test("a redline against an older version says the clause text changed", async () => {
    await browser.$('[data-testid="workspace-row"][data-tenant="acme"] [data-testid="workspace-cell"] button').click();
    await browser.$('[data-testid="compare-version"]').waitForDisplayed({ timeout: 15000 });
    await browser.$('[data-testid="compare-version"]').click();
    await browser.$('[data-testid="compare-version-template"]').click();
    const redline = await browser.$('[data-testid="redline"]');
    await redline.waitForDisplayed({ timeout: 15000 });
    assert.match(await redline.getAttribute("data-summary"), /clause text changed/);
    assert.ok((await browser.$$('[data-testid="redline"] ins')).length > 0);
    await screenshot(browser, "07-redline");
    await browser.$('[data-testid="redline-close"]').click();
  });

  test("a redline against what the tenant last received shows an edit not yet exported", async () => {
    await typeInto(browser, "hhs_entity_name", "Acme Holdings plc");
    await browser.$('[data-testid="compare-version"]').click();
    await browser.$('[data-testid="compare-version-last-export"]').click();
    const redline = await browser.$('[data-testid="redline"]');
    await redline.waitForDisplayed({ timeout: 15000 });
    assert.match(await redline.getAttribute("data-summary"), /only the tenant's values changed/);
    const inserted = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="redline"] ins')].map((e) => e.textContent).join(" "),
    );
    assert.match(inserted, /Holdings/);
    await browser.$('[data-testid="redline-close"]').click();
  });
});

describe("a family of documents", () => {
  const dir = tempDir("family");
  const ws = path.join(dir, "ws");
  const family = path.join(ws, "templates/hosted-homeserver");
  let session;
  let browser;

  const tabs = () => browser.$$('[data-testid="document-tab"]');
  const selectedTab = async () => {
    for (const t of await tabs()) {
      if ((await t.getAttribute("aria-selected")) === "true") return t.getText();
    }
    return null;
  };

  before(async () => {
    mkdirSync(family, { recursive: true });
    mkdirSync(path.join(ws, "tenants"), { recursive: true });
    copyFileSync(seed, path.join(family, "privacy_notice.md"));
    copyFileSync(seed.replace(/\.md$/, ".fields.yaml"), path.join(family, "privacy_notice.fields.yaml"));
    // Siblings from the corpus, copied at test time into the temporary workspace.
    for (const doc of ["exceptional_erasure_policy", "terms_and_conditions"]) {
      copyFileSync(path.join(siblings, `${doc}.md`), path.join(family, `${doc}.md`));
    }
    copyFileSync(example, path.join(ws, "tenants/acme.json"));
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_OPEN_WORKSPACE: ws,
    });
    browser = session.browser;
    await browser.$('[data-testid="open-workspace"]').click();
    await browser.$('[data-testid="workspace"]').waitForDisplayed({ timeout: 15000 });
  });

  after(async () => {
    await session?.stop();
  });

  test("New tenant… writes its file and opens it with one form for the family", async () => {
    await browser.$('[data-testid="workspace-new-tenant"]').click();
    const name = await browser.$('[data-testid="tenant-name-input"]');
    await name.waitForDisplayed({ timeout: 10000 });
    await name.addValue("Hooli XYZ");
    await browser.$('[data-testid="tenant-name-submit"]').click();
    const file = path.join(ws, "tenants/hooli-xyz.json");
    await browser.waitUntil(() => existsSync(file), { timeout: 15000, timeoutMsg: `no ${file}` });
    const saved = JSON.parse(readFileSync(file, "utf8"));
    assert.equal(saved.tenant, "Hooli XYZ");
    // a slot for the fields of every document: the seed's, and the siblings' own
    for (const f of ["hhs_entity_name", "our_server_fqdn", "their_client_fqdn", "code_of_conduct_uri"]) {
      assert.ok(f in saved.values, `${f} in ${Object.keys(saved.values)}`);
    }
    await browser.waitUntil(async () => (await tabs()).length === 3, {
      timeout: 15000,
      timeoutMsg: "no document tabs",
    });
    assert.match(await selectedTab(), /^Exceptional erasure policy/); // the family's first document
    // one form: a field only the terms use is asked here too
    await field(browser, "code_of_conduct_uri");
  });

  test("a tab shows its document with the same answers", async () => {
    for (const t of await tabs()) {
      if ((await t.getText()).startsWith("Terms")) await t.click();
    }
    await browser.waitUntil(async () => (await selectedTab())?.startsWith("Terms"), {
      timeout: 15000,
      timeoutMsg: "the Terms tab was not shown",
    });
    const uri = await field(browser, "code_of_conduct_uri");
    await uri.addValue("https://hooli.example.org/coc");
    // The terms link their Code of Conduct to it: the link in the preview now goes there.
    await browser.waitUntil(
      () =>
        browser.execute(
          () => !!document.querySelector('[data-testid="preview"] a[href="https://hooli.example.org/coc"]'),
        ),
      { timeout: 15000, timeoutMsg: "the terms preview never linked the typed URI" },
    );
    await screenshot(browser, "08-family-tabs");
  });

  test("the open tenant file changed on disk: with unsaved edits the user chooses", async () => {
    const file = path.join(ws, "tenants/hooli-xyz.json");
    const onDisk = JSON.parse(readFileSync(file, "utf8"));
    onDisk.values.hhs_entity_name = "Hooli (from git)";
    writeFileSync(file, `${JSON.stringify(onDisk, null, 2)}\n`);
    // The window regaining focus is when the app looks (a git pull in a terminal, then back).
    await browser.execute(() => window.dispatchEvent(new Event("focus")));
    const dialog = await browser.$('[data-testid="confirm-dialog"]');
    await dialog.waitForDisplayed({ timeout: 15000 });
    assert.match(await dialog.getText(), /hooli-xyz\.json was changed outside Notice Studio/);
    await browser.$('[data-testid="confirm-discard"]').click(); // Reload from disk
    await browser.waitUntil(
      async () => (await (await field(browser, "hhs_entity_name")).getValue()) === "Hooli (from git)",
      { timeout: 15000, timeoutMsg: "the file on disk was not reloaded" },
    );
    // the edit that was discarded is gone from the form, as chosen
    assert.equal(await (await field(browser, "code_of_conduct_uri")).getValue(), "");
  });

  test("the open template changed on disk (a git pull) is reloaded", async () => {
    const open = await browser.execute(() =>
      document.querySelector('[data-testid="document-tab"][aria-selected="true"]')?.getAttribute("data-path"),
    );
    assert.ok(open, "a document tab is selected");
    writeFileSync(open, `${readFileSync(open, "utf8")}\n\nA clause added upstream.\n`);
    await browser.execute(() => window.dispatchEvent(new Event("focus")));
    await browser.waitUntil(
      () =>
        browser.execute(() =>
          document.querySelector('[data-testid="preview"]')?.textContent?.includes("A clause added upstream."),
        ),
      { timeout: 15000, timeoutMsg: "the preview never showed the clause added on disk" },
    );
  });
});
