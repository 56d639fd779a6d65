// End-to-end: a workspace in the real app. Statuses per tenant × document, "Export all" writing
// the published layout, a version bump on disk seen after a refresh, re-issue bringing the tenant
// back up to date, and a redline against an older version of the template.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { example, launch, repo, screenshot, seed, tempDir } from "./harness.mjs";

const corpus = path.resolve(repo, "../shared/corpus/element-policies/privacy-notice-history");

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

  test("Export all writes the published layout and the tenant is up to date", async () => {
    await browser.$('[data-testid="workspace-row"][data-tenant="acme"] [data-testid="export-all"]').click();
    const html = path.join(ws, "exports/acme/privacy_policy/en/privacy_notice.html");
    await browser.waitUntil(() => existsSync(html), { timeout: 20000, timeoutMsg: `no ${html}` });
    await waitState("acme", "up-to-date");
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
    const redline = await browser.$('[data-testid="redline"]');
    await redline.waitForDisplayed({ timeout: 15000 });
    assert.match(await redline.getAttribute("data-summary"), /clause text changed/);
    assert.ok((await browser.$$('[data-testid="redline"] ins')).length > 0);
    await screenshot(browser, "07-redline");
  });
});
