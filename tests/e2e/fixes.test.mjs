// End-to-end: a problem with a mechanical fix (here a likely typo in a placeholder name) shows its
// hint and a "Fix…" button; the change is written to the template file only after the user
// confirms it, the template is read again, and the problem is gone.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, screenshot, tempDir } from "./harness.mjs";

const TEMPLATE = `---
title: Service notice
version: 1.0.0
---

# Service notice

Your homeserver is {{ hhs_server_domain }}. Clients connect to {{ hhs_server_domain }},
and federation reaches {{ hhs_server_domain }} on port 8448.

Report abuse to the operator of {{ hhs_serve_domain }}.
`;

describe("mechanical fixes in the app", () => {
  let session;
  let browser;
  let template;

  before(async () => {
    const dir = tempDir("fixes");
    template = path.join(dir, "service_notice.md");
    writeFileSync(template, TEMPLATE);
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TEMPLATE: template,
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  const typoRow = () => browser.$('[data-testid="problem"][data-code="likely-typo"]');

  test("the typo shows its hint and a fix; cancelling changes nothing", async () => {
    const row = await typoRow();
    await row.waitForDisplayed({ timeout: 10000 });
    assert.match(await row.getText(), /hhs_serve_domain/);
    const item = await row.parentElement();
    assert.match(await item.$('[data-testid="problem-hint"]').getText(), /hhs_server_domain/);
    await item.$('[data-testid="problem-fix"]').click();
    const dialog = await browser.$('[data-testid="confirm-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5000 });
    assert.match(await dialog.getText(), /“hhs_serve_domain” becomes “hhs_server_domain”/);
    await screenshot(browser, "40-fix-confirm");
    await browser.$('[data-testid="confirm-cancel"]').click();
    assert.equal(readFileSync(template, "utf8"), TEMPLATE, "nothing written without consent");
  });

  test("confirming writes only that change; the problem goes and the preview follows", async () => {
    const item = await (await typoRow()).parentElement();
    await item.$('[data-testid="problem-fix"]').click();
    await browser.$('[data-testid="confirm-save"]').click();
    await browser.waitUntil(async () => !(await (await typoRow()).isExisting()), {
      timeout: 10000,
      timeoutMsg: "the typo is still listed after the fix",
    });
    assert.equal(
      readFileSync(template, "utf8"),
      TEMPLATE.replace("{{ hhs_serve_domain }}", "{{ hhs_server_domain }}"),
    );
    const toast = await browser.$('[data-testid="toast"]');
    await toast.waitForDisplayed({ timeout: 5000 });
    assert.match(await toast.getText(), /Fixed service_notice\.md, line 11/);
    await screenshot(browser, "41-fix-applied");
  });
});
