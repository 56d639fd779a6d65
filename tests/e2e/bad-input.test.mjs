// End-to-end: bad files through the app's own commands. Each gives a message in the window that
// names the file and the line, and the app keeps working with what was open: nothing is lost,
// the window never goes blank.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { example, launch, repo, screenshot, tempDir, typeInto } from "./harness.mjs";

const bad = (name) => path.join(repo, "tests/bad-input", name);

describe("bad input in the app", () => {
  let session;
  let browser;

  before(async () => {
    const dir = tempDir("bad-input");
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TENANT: example,
      NOTICE_STUDIO_OPEN_TEMPLATE: bad("not-utf8.md"),
      NOTICE_STUDIO_OPEN_TENANT: bad("truncated-tenant.json"),
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  const banner = async () => {
    const b = await browser.$('[data-testid="error-banner"]');
    await b.waitForDisplayed({ timeout: 10000 });
    return b.getText();
  };
  const dismiss = async () => {
    await browser.$('[data-testid="error-banner"] button').click();
  };
  const heading = async () => (await browser.$('[data-testid="preview"] h1')).getText();

  test("a template that is not UTF-8: the file and line named, the open one kept", async () => {
    const before = await heading();
    await browser.$('[data-testid="open-template"]').click();
    const text = await banner();
    assert.match(text, /not-utf8\.md/);
    assert.match(text, /line 1/);
    assert.match(text, /UTF-8/);
    await screenshot(browser, "11-bad-template");
    await dismiss();
    assert.equal(await heading(), before, "the open template is still shown");
  });

  test("a truncated tenant file: file, line and column named, the typed answers kept", async () => {
    await typeInto(browser, "hhs_entity_name", "Typed Before Opening Ltd");
    await browser.waitUntil(async () => (await heading()).includes("Typed Before Opening Ltd"), {
      timeout: 10000,
    });
    await browser.$('[data-testid="open-tenant"]').click();
    // Unsaved edits: the app asks first; discarding them lets the bad file be tried.
    const dontSave = await browser.$('[data-testid="confirm-discard"]');
    if (await dontSave.isExisting()) await dontSave.click();
    const text = await banner();
    assert.match(text, /truncated-tenant\.json/);
    assert.match(text, /line \d+, column \d+/);
    assert.match(text, /invalid JSON/);
    await dismiss();
    // The failed open replaced nothing: what was typed is still there.
    assert.match(await heading(), /Typed Before Opening Ltd/);
    // Still alive: typing renders.
    await typeInto(browser, "hhs_entity_name", "Still Working Ltd");
    await browser.waitUntil(async () => (await heading()).includes("Still Working Ltd"), {
      timeout: 10000,
      timeoutMsg: "the app stopped rendering after a bad file",
    });
  });
});
