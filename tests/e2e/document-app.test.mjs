// End-to-end: Notice Studio behaves like a document app. `notice-studio FILE` opens that file; a
// second `notice-studio FILE` (the file manager opening another file) hands it to the running
// window and exits; About shows the version.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { app, example, launch, repo, screenshot, tempDir } from "./harness.mjs";

const consent = path.join(repo, "templates/hosted-homeserver/consent.md");

describe("a document app", () => {
  let session;
  let browser;
  let dir;

  before(async () => {
    dir = tempDir("document-app");
    session = await launch({ NOTICE_STUDIO_DATA_DIR: path.join(dir, "data") }, [consent]);
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  const title = () => browser.execute(() => document.title);

  test("the file named on the command line opens", async () => {
    await browser.waitUntil(async () => (await title()).includes("consent.md"), {
      timeout: 10000,
      timeoutMsg: "notice-studio consent.md did not open consent.md",
    });
  });

  test("a second instance hands its file to the running window and exits", async () => {
    const tenant = path.join(dir, "globex.json");
    const file = JSON.parse(readFileSync(example, "utf8"));
    file.tenant = "Globex Hosting";
    writeFileSync(tenant, JSON.stringify(file, null, 2));
    const second = spawnSync(app, [tenant], { timeout: 20000, env: process.env });
    assert.equal(second.status, 0, `the second instance exits at once: ${second.stderr}`);
    const name = await browser.$('[data-testid="tenant-name"]');
    await browser.waitUntil(async () => (await name.getValue()) === "Globex Hosting", {
      timeout: 10000,
      timeoutMsg: "the running window did not open the handed-over tenant",
    });
    assert.match(await title(), /Globex Hosting/);
  });

  test("About shows the version", async () => {
    // The one version: Cargo.toml's (tauri.conf.json has none, so the bundle uses it too).
    const manifest = readFileSync(path.join(repo, "src-tauri/Cargo.toml"), "utf8");
    const version = manifest.match(/^version = "([^"]+)"/m)[1];
    await browser.$('[data-testid="about"]').click();
    const shown = await browser.$('[data-testid="about-version"]');
    await shown.waitForDisplayed({ timeout: 5000 });
    assert.equal(await shown.getText(), version);
    await screenshot(browser, "42-about");
    await browser.keys("Escape");
  });
});
