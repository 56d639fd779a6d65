// End-to-end: a workspace of 2,000 tenants × the seed family in the real app. It opens to a table
// that renders only the rows in view (scrolling reaches the last tenant), filters as you type,
// sorts by name (naturally: Tenant 2 before Tenant 10) and by status (problems first), a cell's
// "Open" loads that tenant in the editor, and a second launch opens it again from the status
// cache. Times are printed, never asserted. `NOTICE_FLEET_TENANTS` sets another size (the
// benchmark runs 10,000 against the installed release app).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { field, launch, percentile, repo, tempDir } from "./harness.mjs";

const TENANTS = Number(process.env.NOTICE_FLEET_TENANTS ?? 2000);
const COUNT = TENANTS.toLocaleString("en-US");
const BUILD = process.env.NOTICE_STUDIO_APP ? "release build" : "debug build";
const family = path.join(repo, "templates/hosted-homeserver");

/** The seed family's templates and `TENANTS` tenants with their own names; tenant 1500 lacks answers. */
function generate(ws) {
  const dest = path.join(ws, "templates/hosted-homeserver");
  mkdirSync(dest, { recursive: true });
  mkdirSync(path.join(ws, "tenants"), { recursive: true });
  for (const f of readdirSync(family)) {
    if (f.endsWith(".md") || f.endsWith(".fields.yaml")) copyFileSync(path.join(family, f), path.join(dest, f));
  }
  const read = (f) => JSON.parse(readFileSync(path.join(family, f), "utf8")).values;
  const base = { ...read("example-tenant.json"), ...read("subprocessors.example-tenant.json") };
  for (let i = 1; i <= TENANTS; i++) {
    const values =
      i === 1500
        ? { hhs_entity_name: `Tenant ${i} Ltd` }
        : {
            ...base,
            hhs_entity_name: `Tenant ${i} Ltd`,
            hhs_name: `tenant${i}`,
            our_server_fqdn: `tenant${i}.ems.host`,
            their_server_name: `tenant${i}.example.org`,
          };
    writeFileSync(
      path.join(ws, `tenants/tenant-${i}.json`),
      JSON.stringify({ format: 1, tenant: `Tenant ${i}`, values }, null, 2),
    );
  }
}

describe(`a workspace of ${COUNT} tenants`, () => {
  const dir = tempDir("fleet");
  const ws = path.join(dir, "ws");
  let session;
  let browser;

  const rowIds = () =>
    browser.execute(() =>
      [...document.querySelectorAll('[data-testid="workspace-row"]')].map((r) => r.getAttribute("data-tenant")),
    );
  const firstRowIs = async (id, what) => {
    await browser.waitUntil(async () => (await rowIds())[0] === id, {
      timeout: 20000,
      timeoutMsg: `${what}: the first row is not ${id}`,
    });
  };

  const launchApp = async () => {
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_OPEN_WORKSPACE: ws,
    });
    browser = session.browser;
  };

  before(async () => {
    generate(ws);
    await launchApp();
  });

  after(async () => {
    await session?.stop();
  });

  test("opens to a table of the rows in view, in natural order", async () => {
    const start = Date.now();
    await browser.$('[data-testid="open-workspace"]').click();
    // A cold open takes seconds: it says how far it is, and the editor stays usable meanwhile.
    const progress = await browser.$('[data-testid="status-progress"]');
    await progress.waitForDisplayed({ timeout: 20000 });
    assert.match(await progress.getText(), new RegExp(`Reading statuses: [\\d,]+ of ${COUNT} tenants`));
    assert.equal(await (await field(browser, "hhs_entity_name")).isEnabled(), true);
    await browser.$('[data-testid="workspace-row"]').waitForExist({ timeout: 90000 });
    assert.equal(await progress.isExisting(), false, "the progress goes once the table is shown");
    console.log(`open to table, ${COUNT} tenants (cold, ${BUILD}): ${Date.now() - start} ms`);
    const ids = await rowIds();
    assert.deepEqual(ids.slice(0, 3), ["tenant-1", "tenant-2", "tenant-3"]);
    assert.ok(ids.length < 200, `${ids.length} rows rendered`);
    assert.match(await browser.$('[data-testid="workspace-summary"]').getText(), new RegExp(`${TENANTS} tenants`));
    // Scrolling to the end renders the last tenants.
    await browser.execute(() => {
      const s = document.querySelector(".table-scroller");
      s.scrollTop = s.scrollHeight;
    });
    await browser.waitUntil(async () => (await rowIds()).includes(`tenant-${TENANTS}`), {
      timeout: 10000,
      timeoutMsg: `tenant-${TENANTS} never rendered at the end of the table`,
    });
    await browser.execute(() => {
      document.querySelector(".table-scroller").scrollTop = 0;
    });
    await firstRowIs("tenant-1", "scrolled back");
  });

  test("filters as you type", async () => {
    const query = "Tenant 99";
    const times = [];
    for (let n = 1; n <= query.length; n++) {
      times.push(
        await browser.execute(async (q) => {
          const input = document.querySelector('[data-testid="workspace-search"]');
          const t0 = performance.now();
          input.value = q;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t0;
        }, query.slice(0, n)),
      );
    }
    console.log(
      `filter per keystroke at ${COUNT} tenants (${BUILD}): median ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    );
    // Every tenant whose name holds "Tenant 99", in natural order; the rows in view are its first.
    const expected = Array.from({ length: TENANTS }, (_, i) => i + 1)
      .filter((i) => String(i).startsWith("99"))
      .map((i) => `tenant-${i}`);
    const shown = async () => {
      const ids = await rowIds();
      return ids.length > 0 && JSON.stringify(ids) === JSON.stringify(expected.slice(0, ids.length));
    };
    await browser.waitUntil(shown, {
      timeout: 10000,
      timeoutMsg: `filtering for "${query}" did not show ${expected.slice(0, 12).join(", ")}…`,
    });
    assert.match(
      await browser.$('[data-testid="workspace-summary"]').getText(),
      new RegExp(`${expected.length} of ${TENANTS} shown`),
    );
    await browser.$('[data-testid="workspace-search"]').click();
    await browser.keys(["Escape"]);
    await firstRowIs("tenant-1", "after Escape");
  });

  test("sorts by status, problems first, and back by name", async () => {
    const sort = browser.$('[data-testid="workspace-sort"]');
    await sort.selectByAttribute("value", "status");
    await firstRowIs("tenant-1500", "by status");
    const cell = await browser.$(
      '[data-testid="workspace-row"][data-tenant="tenant-1500"] [data-testid="workspace-cell"]',
    );
    assert.equal(await cell.getAttribute("data-state"), "problems");
    await sort.selectByAttribute("value", "name");
    await firstRowIs("tenant-1", "by name");
    assert.deepEqual((await rowIds()).slice(8, 11), ["tenant-9", "tenant-10", "tenant-11"]);
  });

  test("a cell's Open loads that tenant in the editor", async () => {
    await browser.$('[data-testid="workspace-row"][data-tenant="tenant-2"] [data-testid="open-cell"]').click();
    await browser.waitUntil(
      async () => (await (await field(browser, "hhs_entity_name")).getValue()) === "Tenant 2 Ltd",
      { timeout: 20000, timeoutMsg: "the editor did not load tenant 2" },
    );
  });

  test("a second launch opens it again from the status cache", async () => {
    // Closed first, so the next launch does not reopen it by itself: the open is timed here.
    await browser.$('[data-testid="close-workspace"]').click();
    await session.stop();
    await launchApp();
    const clicked = Date.now();
    await browser.$('[data-testid="open-workspace"]').click();
    await browser.$('[data-testid="workspace-row"]').waitForExist({ timeout: 60000 });
    console.log(`open to table, ${COUNT} tenants (warm: status cache, ${BUILD}): ${Date.now() - clicked} ms`);
    assert.deepEqual((await rowIds()).slice(0, 3), ["tenant-1", "tenant-2", "tenant-3"]);
  });
});
