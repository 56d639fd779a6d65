// A list of records in the real app: the sub-processors template, three rows added, reordered by
// keyboard and by button, one removed; the preview, the exported HTML and PDF show them in that
// order, a number field shows its range message, and the saved tenant file (format 2) reads back
// the same, in the app and in the engine.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { cli, launch, previewSettled, repo, screenshot, tempDir, typeInto } from "./harness.mjs";

const template = path.join(repo, "templates/hosted-homeserver/subprocessors.md");
const EPOCH = "1700000000";
// poppler complains on stderr about the /Suspects entry Typst writes; the output is fine.
const quiet = { stdio: ["ignore", "pipe", "ignore"] };

const AWS = { name: "Amazon Web Services EMEA SARL", purpose: "Hosting and storage", location: "Ireland (EU)" };
const CLOUDFLARE = { name: "Cloudflare, Inc.", purpose: "Content delivery", location: "United States" };
const MAILGUN = { name: "Mailgun Technologies GmbH", purpose: "Notification emails", location: "Germany (EU)" };
/** After adding AWS, Cloudflare, Mailgun; Mailgun up (keyboard); row 1 down (button); row 2 removed. */
const FINAL = [MAILGUN, CLOUDFLARE];
const COLUMNS = ["name", "purpose", "location"];

/** The form's input for column `col` of row `i` (0-based), as the preview marks it too. */
const dir = tempDir("lists");
/** Where the first scenario saves the tenant; the second opens it again. */
const savePath = path.join(dir, "saved.json");

const cellSelector = (i, col) => `input[data-path="subprocessors[${i}].${col}"]`;

/** The rows as the form shows them, in order. */
function formRows(browser) {
  return browser.execute((cols) => {
    const rows = [...document.querySelectorAll('[data-list="subprocessors"] li.row')];
    return rows.map((li) =>
      Object.fromEntries(
        cols.map((c) => [c, li.querySelector(`input[data-path$=".${c}"]`)?.value ?? null]),
      ),
    );
  }, COLUMNS);
}

/** The sub-processor names in the preview's table, in order. */
function previewNames(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="preview"] [data-field="subprocessors"][data-path$=".name"]')].map(
      (e) => e.textContent.trim(),
    ),
  );
}

/** Asserts that `names` occur in `text` in this order, and `absent` not at all. */
function assertInOrder(text, names, absent, what) {
  let at = -1;
  for (const n of names) {
    const i = text.indexOf(n, at + 1);
    assert.ok(i > at, `${what}: "${n}" after the rows before it (${names.join(" → ")})`);
    at = i;
  }
  for (const n of absent) assert.ok(!text.includes(n), `${what}: "${n}" was removed`);
}

describe("a list of sub-processors", () => {
  const tenantPath = path.join(dir, "globex.json");
  const exportDir = path.join(dir, "exports");
  let session;
  let browser;

  before(async () => {
    writeFileSync(
      tenantPath,
      JSON.stringify(
        {
          format: 2,
          tenant: "Globex",
          values: {
            hhs_entity_name: "Globex Corporation Ltd",
            hhs_admin_email: "dpo@globex.example.org",
            notice_days: 30,
            subprocessors: [],
          },
        },
        null,
        2,
      ),
    );
    mkdirSync(exportDir, { recursive: true });
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TEMPLATE: template,
      NOTICE_STUDIO_TENANT: tenantPath,
      NOTICE_STUDIO_SAVE_PATH: savePath,
      NOTICE_STUDIO_EXPORT_DIR: exportDir,
      SOURCE_DATE_EPOCH: EPOCH,
    });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  test("an empty list says what to add, and is a problem", async () => {
    const empty = await browser.$('[data-testid="list-empty"]');
    await empty.waitForDisplayed({ timeout: 10000 });
    assert.match(await empty.getText(), /Amazon Web Services EMEA SARL/);
    const problems = await browser.$$('[data-testid="problem"][data-severity="error"][data-field="subprocessors"]');
    assert.ok(problems.length >= 1, "an empty required list is an error");
    await screenshot(browser, "lists-01-empty");
  });

  test("three rows added, each focused as it comes", async () => {
    for (const [i, row] of [AWS, CLOUDFLARE, MAILGUN].entries()) {
      await browser.$('[data-testid="list-add"]').click();
      const first = await browser.$(cellSelector(i, "name"));
      await first.waitForExist({ timeout: 5000 });
      await browser.waitUntil(
        () => browser.execute((s) => document.activeElement === document.querySelector(s), cellSelector(i, "name")),
        { timeout: 5000, timeoutMsg: `the new row ${i + 1} was not focused` },
      );
      for (const c of COLUMNS) {
        const el = await browser.$(cellSelector(i, c));
        await el.click();
        await el.addValue(row[c]);
      }
      await previewSettled(browser);
    }
    assert.deepEqual(await formRows(browser), [AWS, CLOUDFLARE, MAILGUN]);
    await browser.waitUntil(
      async () => (await previewNames(browser)).join("|") === [AWS, CLOUDFLARE, MAILGUN].map((r) => r.name).join("|"),
      { timeout: 10000, timeoutMsg: "the preview does not list the three rows in order" },
    );
    const errors = await browser.$$('[data-testid="problem"][data-severity="error"]');
    assert.equal(errors.length, 0, "no errors once the rows are filled in");
  });

  test("Alt+ArrowUp moves a row up, focus follows it and the move is announced", async () => {
    await browser.$(cellSelector(2, "name")).click();
    await browser.keys(["Alt", "ArrowUp"]);
    await browser.waitUntil(
      async () => (await formRows(browser)).map((r) => r.name).join("|") === [AWS, MAILGUN, CLOUDFLARE].map((r) => r.name).join("|"),
      { timeout: 5000, timeoutMsg: "Alt+ArrowUp did not move the row" },
    );
    const focused = await browser.execute(() => document.activeElement?.getAttribute("data-path"));
    assert.equal(focused, "subprocessors[1].name");
    // Read as text: the live region is visually hidden, and WebDriver's getText skips hidden text.
    const said = await browser.execute(
      () => document.querySelector('[data-list="subprocessors"] [data-testid="list-announcement"]')?.textContent ?? "",
    );
    assert.match(said, /Moved row 3 \(Mailgun Technologies GmbH.*\) to row 2 of 3/);
  });

  test("the Move down button moves a row down", async () => {
    await browser.$('[data-list="subprocessors"] button[aria-label="Move row 1 down"]').click();
    await browser.waitUntil(
      async () => (await formRows(browser)).map((r) => r.name).join("|") === [MAILGUN, AWS, CLOUDFLARE].map((r) => r.name).join("|"),
      { timeout: 5000, timeoutMsg: "Move down did not move the row" },
    );
  });

  test("Remove takes a row out and offers it back", async () => {
    await browser.$('[data-list="subprocessors"] button[aria-label="Remove row 2"]').click();
    await browser.waitUntil(async () => (await formRows(browser)).length === 2, {
      timeout: 5000,
      timeoutMsg: "the row was not removed",
    });
    assert.deepEqual(await formRows(browser), FINAL);
    const undo = await browser.$('[data-testid="list-undo"]');
    assert.match(await undo.getText(), /Removed row 2 \(Amazon Web Services EMEA SARL/);
    await previewSettled(browser);
    await screenshot(browser, "lists-02-reordered");
  });

  test("the preview shows the rows in order; clicking a value focuses its row's input", async () => {
    await browser.waitUntil(
      async () => (await previewNames(browser)).join("|") === FINAL.map((r) => r.name).join("|"),
      { timeout: 10000, timeoutMsg: "the preview does not show the final order" },
    );
    const text = await browser.$('[data-testid="preview"]').getText();
    assertInOrder(text, FINAL.flatMap((r) => [r.name, r.purpose, r.location]), [AWS.name], "preview");
    assert.match(text, /We list 2 sub-processors\./);

    await browser.$('[data-testid="preview"] [data-path="subprocessors[1].purpose"]').click();
    await browser.waitUntil(
      () => browser.execute(() => document.activeElement?.getAttribute("data-path") === "subprocessors[1].purpose"),
      { timeout: 5000, timeoutMsg: "clicking the value did not focus its input" },
    );
    // The focused row's places are highlighted, and only they.
    const lit = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="preview"] .uses-highlight')].map((e) => e.getAttribute("data-path")),
    );
    assert.ok(lit.length >= 3, `the row's three values are highlighted (${lit})`);
    assert.ok(lit.every((p) => p?.startsWith("subprocessors[1].")), `only row 2 is highlighted (${lit})`);
  });

  test("a number out of range shows its range message; a number in range clears it", async () => {
    await typeInto(browser, "notice_days", "400");
    await previewSettled(browser);
    const messages = await browser.$('[data-field-row="notice_days"] [data-testid="field-messages"]');
    await messages.waitForDisplayed({ timeout: 5000 });
    assert.match(await messages.getText(), /at most 365/);
    await typeInto(browser, "notice_days", "14");
    await previewSettled(browser);
    await browser.waitUntil(
      async () => (await browser.$('[data-testid="preview"]').getText()).includes("shorter than the"),
      { timeout: 5000, timeoutMsg: "14 days did not print the short-notice sentence" },
    );
    await typeInto(browser, "notice_days", "30");
    await previewSettled(browser);
    await browser.waitUntil(
      async () => (await browser.$$('[data-field-row="notice_days"] [data-testid="field-messages"]')).length === 0,
      { timeout: 5000, timeoutMsg: "the range message stayed" },
    );
  });

  test("Save As writes format 2 with the rows in order and numbers as numbers", async () => {
    await browser.$('[data-testid="save-as"]').click();
    await browser.waitUntil(() => existsSync(savePath), { timeout: 10000, timeoutMsg: `no ${savePath}` });
    const saved = JSON.parse(readFileSync(savePath, "utf8"));
    assert.equal(saved.format, 2);
    assert.equal(saved.tenant, "Globex");
    assert.deepEqual(saved.values.subprocessors, FINAL);
    assert.strictEqual(saved.values.notice_days, 30);
  });

  test("the exported HTML lists the rows in order, exactly as the engine exports them", async () => {
    await browser.$('[data-testid="export-html"]').click();
    const exported = path.join(exportDir, "globex-subprocessors-1.0.0.html");
    await browser.waitUntil(() => existsSync(exported), { timeout: 10000, timeoutMsg: `no ${exported}` });
    const html = readFileSync(exported, "utf8");
    assertInOrder(html, FINAL.map((r) => r.name), [AWS.name], "exported HTML");
    const engine = execFileSync(cli, ["render", template, "--tenant", savePath, "--to", "html"], {
      ...quiet,
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    });
    assert.equal(html, engine.toString("utf8"), "the app's HTML differs from the engine's for the saved tenant");
  });

  test("the exported PDF lists the rows in order", async () => {
    await browser.$('[data-testid="export-pdf"]').click();
    const exported = path.join(exportDir, "globex-subprocessors-1.0.0.pdf");
    await browser.waitUntil(() => existsSync(exported) && statSync(exported).size > 0, {
      timeout: 20000,
      timeoutMsg: `no ${exported}`,
    });
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", exported, "-"], quiet)
      .toString("utf8")
      .replace(/-\s+/g, "") // a word hyphenated at a line end
      .replace(/\s+/g, " ");
    assertInOrder(text, FINAL.map((r) => r.name), [AWS.name], "PDF text");
    assert.match(text, /Globex Corporation Ltd/);
    assert.doesNotMatch(text, /\{\{|\}\}/);
  });
});

describe("the saved list reads back", () => {
  let session;

  before(async () => {
    assert.ok(existsSync(savePath), `the first scenario saved ${savePath}`);
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data-reopen"),
      NOTICE_STUDIO_TEMPLATE: template,
      NOTICE_STUDIO_TENANT: savePath,
    });
  });

  after(async () => {
    await session?.stop();
  });

  test("the form shows the rows in order, unchanged and clean", async () => {
    const { browser } = session;
    await browser.$(cellSelector(1, "name")).waitForExist({ timeout: 10000 });
    assert.deepEqual(await formRows(browser), FINAL);
    assert.equal(await browser.$('[data-field="notice_days"]').getValue(), "30");
    assert.doesNotMatch(await browser.getTitle(), /•/, "opening the file changed nothing");
    // The engine reads it as cleanly (exit 0: no errors).
    execFileSync(cli, ["check", template, "--tenant", savePath], quiet);
  });
});
