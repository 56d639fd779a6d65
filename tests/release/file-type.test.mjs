// The installed package's file type, as a file manager uses it: GIO (what GNOME Files and most
// desktops ask) must see a tenant file as the package's MIME type, find Notice Studio's desktop
// entry as the application for it, and `gio open` must open the file in the running window
// (through the desktop entry's Exec line and the single-instance hand-over). Plain JSON must stay
// plain JSON. Runs from tests/release/run.sh, with NOTICE_INSTALL_ROOT the unpacked .deb.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { example, launch, screenshot, tempDir } from "../e2e/harness.mjs";

const root = process.env.NOTICE_INSTALL_ROOT;
const MIME = "application/x-notice-studio-tenant";

/** The environment of a desktop session that has the package installed under `root`. */
const desktopEnv = () => ({
  ...process.env,
  XDG_DATA_DIRS: `${path.join(root, "usr/share")}:/usr/share`,
  PATH: `${path.join(root, "usr/bin")}:${process.env.PATH}`,
});

function gio(...args) {
  const r = spawnSync("gio", args, { env: desktopEnv(), encoding: "utf8", timeout: 20000 });
  assert.equal(r.status, 0, `gio ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const contentType = (file) => gio("info", "-a", "standard::content-type", file).match(/content-type: (\S+)/)?.[1];

describe("the tenant file type of the installed package", { skip: !root && "NOTICE_INSTALL_ROOT is not set" }, () => {
  let dir;
  let tenant;
  let session;

  before(() => {
    dir = tempDir("file-type");
    tenant = path.join(dir, "initech.json");
    const file = JSON.parse(readFileSync(example, "utf8"));
    file.tenant = "Initech Hosting";
    writeFileSync(tenant, JSON.stringify(file, null, 2));
    // dpkg runs these as triggers (shared-mime-info, desktop-file-utils) on a real install; the
    // unpacked root needs them by hand.
    for (const [tool, dir] of [
      ["update-mime-database", "usr/share/mime"],
      ["update-desktop-database", "usr/share/applications"],
    ]) {
      const r = spawnSync(tool, [path.join(root, dir)], { encoding: "utf8" });
      assert.equal(r.status, 0, `${tool}: ${r.stderr}`);
    }
  });

  after(async () => {
    await session?.stop();
  });

  test("a tenant file is the package's type, and other JSON stays JSON", () => {
    assert.equal(contentType(tenant), MIME);
    const plain = path.join(dir, "package.json");
    writeFileSync(plain, JSON.stringify({ name: "x", version: "1.0.0", tenant: "not a tenant file" }));
    assert.equal(contentType(plain), "application/json");
  });

  test("Notice Studio's desktop entry is the application for it", () => {
    const out = gio("mime", MIME);
    assert.match(out, /Notice Studio\.desktop|notice-studio\.desktop/i, out);
  });

  test("gio open hands the tenant file to the running window", async () => {
    session = await launch({ NOTICE_STUDIO_DATA_DIR: path.join(dir, "data") });
    const browser = session.browser;
    const opened = spawnSync("gio", ["open", tenant], { env: desktopEnv(), encoding: "utf8", timeout: 20000 });
    assert.equal(opened.status, 0, `gio open: ${opened.stderr}`);
    const name = await browser.$('[data-testid="tenant-name"]');
    await browser.waitUntil(async () => (await name.getValue()) === "Initech Hosting", {
      timeout: 15000,
      timeoutMsg: "opening the tenant file from its file type did not open it in Notice Studio",
    });
    await screenshot(browser, "release-file-type");
  });
});
