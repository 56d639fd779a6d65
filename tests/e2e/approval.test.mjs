// End-to-end: legal sign-off in the real app, with a real Secret Service (gnome-keyring in the
// test run's own D-Bus session, see run.sh). A reviewer sets up a key, approves the tenant in
// review mode, the approval lands beside the tenant file and verifies with the CLI; editing one
// field turns the status to "Changed since approval" at once, naming the field.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { cli, example, launch, screenshot, seed, tempDir, typeInto } from "./harness.mjs";

describe("legal sign-off", () => {
  const dir = tempDir("approval");
  const tenant = path.join(dir, "acme.json");
  let session;
  let browser;

  const status = () => browser.$('[data-testid="approval-status"]');
  const waitStatus = async (state) => {
    await browser.waitUntil(
      async () => {
        const el = await status();
        return (await el.isExisting()) && (await el.getAttribute("data-state")) === state;
      },
      { timeout: 20000, timeoutMsg: `the approval status never became ${state}` },
    );
  };

  before(async () => {
    copyFileSync(example, tenant);
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TEMPLATE: seed,
      NOTICE_STUDIO_TENANT: tenant,
      NOTICE_STUDIO_EXPORT_DIR: dir,
      SOURCE_DATE_EPOCH: "1795000000",
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  test("a reviewer approves in review mode; the approval is signed, stored and verifiable", async () => {
    await browser.$('[data-testid="review-toggle"]').click();
    await waitStatus("not-approved");
    await browser.$('[data-testid="approve"]').click();
    const dialog = await browser.$('[data-testid="reviewer-dialog"]');
    await dialog.waitForDisplayed({ timeout: 10000 });
    await browser.$('[data-testid="reviewer-name"]').setValue("Jane Q. Reviewer");
    await browser.$('[data-testid="reviewer-email"]').setValue("jane@example.org");
    await browser.$('[data-testid="reviewer-submit"]').click();
    const line = await browser.$('[data-testid="reviewer-public-line"]');
    await line.waitForDisplayed({ timeout: 20000 });
    const publicLine = (await line.getValue()).trim();
    assert.match(publicLine, /^ed25519:\S+ Jane Q\. Reviewer <jane@example\.org>$/);
    // Trusted by this workspace (a folder with the tenant): what legal's list would hold.
    writeFileSync(path.join(dir, "trusted-reviewers.txt"), `${publicLine}\n`);
    await screenshot(browser, "08-reviewer-key");
    await browser.$('[data-testid="reviewer-done"]').click();

    await waitStatus("approved");
    assert.match(await (await status()).getText(), /Approved by Jane Q\. Reviewer on \d+ \w+ \d{4}/);
    const approvals = path.join(dir, "acme.approvals.json");
    assert.ok(existsSync(approvals), "the approval is kept beside the tenant");
    const stored = JSON.parse(readFileSync(approvals, "utf8"));
    assert.equal(stored.approvals[0].tenant, "acme");
    assert.equal(stored.approvals[0].reviewer.name, "Jane Q. Reviewer");
    assert.doesNotMatch(readFileSync(approvals, "utf8"), /secret/i, "no key material beside the tenant");
    await screenshot(browser, "09-approved");

    // The export carries the approval; the CLI verifies it.
    await browser.keys(["Control", "e"]);
    const exported = path.join(dir, "acme-corporation-privacy_notice-1.0.0.html");
    await browser.waitUntil(() => existsSync(exported), { timeout: 20000, timeoutMsg: `no ${exported}` });
    assert.match(readFileSync(exported, "utf8"), /approved by Jane Q\. Reviewer on /);
    const out = execFileSync(cli, ["verify", exported], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.match(out, /verified/);
  });

  test("editing one field shows the change since approval at once, naming the field", async () => {
    await browser.$('[data-testid="review-toggle"]').click(); // back to the form
    await typeInto(browser, "hhs_entity_name", "Acme Holdings Ltd");
    await waitStatus("changed");
    const chip = await browser.$('[data-testid="approval-changed-field"]');
    assert.equal(await chip.getText(), "hhs_entity_name");
    await screenshot(browser, "10-changed-since-approval");
  });
});
