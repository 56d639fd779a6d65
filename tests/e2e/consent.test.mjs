// The bundled Synapse consent page in the real app: its preview switch shows the page as Synapse
// serves it to the public, to a user who has not accepted and to one who has; "Export for
// Synapse…" writes the template_dir into a folder (the dialog answered by
// NOTICE_STUDIO_EXPORT_DIR) and shows the homeserver.yaml section.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, repo, screenshot, tempDir } from "./harness.mjs";

const consent = path.join(repo, "templates/hosted-homeserver/consent.md");
const tenant = path.join(repo, "templates/hosted-homeserver/example-tenant.json");

describe("a Synapse consent page", () => {
  const dir = tempDir("consent");
  const exportDir = path.join(dir, "synapse");
  let session;
  let browser;

  before(async () => {
    mkdirSync(exportDir, { recursive: true });
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TEMPLATE: consent,
      NOTICE_STUDIO_TENANT: tenant,
      NOTICE_STUDIO_EXPORT_DIR: exportDir,
      SOURCE_DATE_EPOCH: "1700000000",
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  /** The preview once it shows the served page in `state`. */
  async function served(state) {
    await browser.waitUntil(
      () =>
        browser.execute(
          (s) => document.querySelector(`[data-testid="preview"] .consent-served[data-state="${s}"]`) !== null,
          state,
        ),
      { timeout: 10000, timeoutMsg: `the preview never showed the ${state} page` },
    );
    return browser.execute(() => {
      const p = document.querySelector('[data-testid="preview"]');
      return {
        text: p.textContent,
        forms: p.querySelectorAll("form").length,
        checkboxes: p.querySelectorAll('input[type="checkbox"]').length,
        submit: p.querySelector('button[type="submit"]')?.textContent ?? null,
      };
    });
  }

  test("the preview switch shows the page in each of Synapse's states", async () => {
    const group = await browser.$('[data-testid="consent-states"]');
    await group.waitForExist({ timeout: 10000 });
    const checked = await browser.$('[data-testid="consent-state-not-accepted"]');
    assert.equal(await checked.getAttribute("aria-checked"), "true", "not yet accepted at first");

    const pending = await served("not-accepted");
    assert.equal(pending.forms, 1);
    assert.equal(pending.checkboxes, 3);
    assert.equal(pending.submit, "I accept");
    assert.match(pending.text, /Hello alice\./);
    assert.match(pending.text, /on behalf of its owner, Acme Corporation Ltd/);
    await screenshot(browser, "consent-not-accepted");

    await browser.$('[data-testid="consent-state-public"]').click();
    const pub = await served("public");
    assert.equal(pub.forms, 0);
    assert.equal(pub.checkboxes, 0);
    assert.match(pub.text, /To accept, open the link your Matrix client/);
    assert.doesNotMatch(pub.text, /Hello alice/);

    // The switch is a radio group: the arrow keys move it.
    await browser.$('[data-testid="consent-state-public"]').click();
    await browser.keys(["End"]);
    const accepted = await served("accepted");
    assert.equal(accepted.forms, 0);
    assert.match(accepted.text, /You have accepted these terms for acme\.example\.org\./);
    assert.match(accepted.text, /\(version 1\.0\)/);
    const focused = await browser.execute(() => document.activeElement?.getAttribute("data-testid"));
    assert.equal(focused, "consent-state-accepted");
    await screenshot(browser, "consent-accepted");
  });

  test("Export for Synapse… writes the template_dir and shows the homeserver.yaml section", async () => {
    await browser.$('[data-testid="export-synapse"]').click();
    const dialog = await browser.$('[data-testid="synapse-export-dialog"]');
    await dialog.waitForExist({ timeout: 15000 });
    const folder = await browser.$('[data-testid="synapse-export-folder"]').getText();
    assert.ok(folder.includes(exportDir), folder);
    for (const f of ["en/1.0.html", "en/success.html", "user_consent.yaml"]) {
      assert.ok(existsSync(path.join(exportDir, f)), `${f} written`);
    }
    const yaml = readFileSync(path.join(exportDir, "user_consent.yaml"), "utf8");
    assert.match(yaml, /version: "1\.0"/);
    assert.ok(yaml.includes(`template_dir: ${JSON.stringify(exportDir)}`), yaml);
    const shown = await browser.execute(
      () => document.querySelector('[data-testid="synapse-yaml"]').value,
    );
    assert.equal(shown, yaml);
    assert.ok(await browser.$('[data-testid="synapse-yaml-copy"]').isExisting());
    await screenshot(browser, "consent-exported");
    await browser.$('[data-testid="synapse-export-done"]').click();
  });
});
