// The account manager's path through the real app: open the seed, fill it in, see problems come
// and go, save, export, and get exactly what the engine exports. Plus injection, the
// unsaved-changes prompt and restore after the app is killed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  app as appPath,
  cli,
  example,
  killApp,
  launch,
  percentile,
  previewSettled,
  screenshot,
  seed,
  tempDir,
  typeInto,
} from "./harness.mjs";

/** A bound for memory growth over 1,000 re-renders: a leak of 50 KB per render would pass 48 MB. */
const MEMORY_BOUND_MB = 40;

/**
 * Memory (KB) of one process from /proc/<pid>/smaps_rollup: resident (RSS, which counts every
 * shared library page in each process that maps it), proportional (PSS, shared pages divided among
 * the processes sharing them, so PSS sums to what the processes really hold) and private.
 */
function processMemoryKb(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? 0);
    return { rss: kb("Rss"), pss: kb("Pss"), private: kb("Private_Clean") + kb("Private_Dirty") };
  } catch {
    return { rss: 0, pss: 0, private: 0 };
  }
}

/** Memory (KB) of the app process and of its web view processes (RSS; PSS and private beside). */
function appMemoryKb() {
  const rss = (pid) => processMemoryKb(pid).rss;
  const pids = (args) => {
    try {
      return execFileSync("pgrep", args, { encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const app = pids(["-f", `^${appPath}`]);
  // The web view's processes (and any sandbox between them): every descendant.
  const web = [];
  for (let todo = [...app]; todo.length; ) {
    const kids = pids(["-P", todo.pop()]);
    web.push(...kids);
    todo.push(...kids);
  }
  const appKb = app.reduce((a, p) => a + rss(p), 0);
  const webKb = web.reduce((a, p) => a + rss(p), 0);
  assert.ok(app.length === 1 && appKb > 0, `found the app process: ${app}`);
  const sum = (ps, key) => ps.reduce((a, p) => a + processMemoryKb(p)[key], 0);
  const processes = [...app, ...web].map((p) => {
    let name = "?";
    try {
      name = readFileSync(`/proc/${p}/comm`, "utf8").trim();
    } catch {
      // gone
    }
    return { name, ...processMemoryKb(p) };
  });
  return {
    app: appKb,
    web: webKb,
    total: appKb + webKb,
    pss: { app: sum(app, "pss"), web: sum(web, "pss") },
    processes,
  };
}

/** One line per process: RSS, PSS and private memory in MB. */
const memoryLines = (m) =>
  m.processes
    .map(
      (p) =>
        `  ${p.name}: RSS ${(p.rss / 1024).toFixed(0)} MB, PSS ${(p.pss / 1024).toFixed(0)} MB, private ${(p.private / 1024).toFixed(0)} MB`,
    )
    .join("\n");

const EPOCH = "1700000000";
// poppler (22.x) complains on stderr about the /Suspects entry Typst writes; the output is fine.
const quiet = { stdio: ["ignore", "pipe", "ignore"] };

describe("filling in the seed privacy notice", () => {
  const dir = tempDir("main");
  const tenantPath = path.join(dir, "acme.json");
  const savePath = path.join(dir, "saved.json");
  const exportDir = path.join(dir, "exports");
  let session;
  let browser;

  before(async () => {
    const t = JSON.parse(readFileSync(example, "utf8"));
    delete t.values.our_server_fqdn;
    writeFileSync(tenantPath, JSON.stringify(t, null, 2));
    execFileSync("mkdir", ["-p", exportDir]);
    session = await launch({
      NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"),
      NOTICE_STUDIO_TENANT: tenantPath,
      NOTICE_STUDIO_SAVE_PATH: savePath,
      NOTICE_STUDIO_EXPORT_DIR: exportDir,
      SOURCE_DATE_EPOCH: EPOCH,
    });
    browser = session.browser;
    const fromProcess = Number.isFinite(session.coldStartMs)
      ? `${session.coldStartMs.toFixed(0)} ms from the app's process start`
      : "the app's process start not found";
    console.log(
      `cold start to interactive window: ${fromProcess} ` +
        `(${session.sessionMs.toFixed(0)} ms from the WebDriver session request, which adds WebKitWebDriver ` +
        `starting the app; the polling noticed it at ${session.noticedMs.toFixed(0)} ms)`,
    );
    console.log(`page load to interactive: ${session.pageMs.toFixed(0)} ms`);
  });

  after(async () => {
    await session?.stop();
  });

  test("the seed opens with its fields in the form", async () => {
    const names = await browser.execute(() =>
      [...document.querySelectorAll("input[data-field], textarea[data-field], select[data-field]")].map((e) =>
        e.getAttribute("data-field"),
      ),
    );
    for (const f of ["hhs_entity_name", "hhs_admin_email", "hhs_name", "hhs_server_domain", "our_server_fqdn", "their_server_name"]) {
      assert.ok(names.includes(f), `${f} in the form (${names})`);
    }
    await screenshot(browser, "01-seed-opened");
  });

  test("an empty FQDN is a problem and a highlighted place in the preview", async () => {
    const rows = await browser.$$('[data-testid="problem"][data-code="unfilled-placeholder"][data-field="our_server_fqdn"]');
    assert.ok(rows.length >= 1, "unfilled-placeholder problem for our_server_fqdn");
    const marks = await browser.$$('[data-testid="preview"] mark[data-field="our_server_fqdn"]');
    assert.equal(marks.length, 2, "both uses highlighted");
    const paired = await browser.$$('[data-testid="problem"][data-code="unpaired-emphasis"]');
    assert.ok(paired.length >= 1, "the stray ** of line 18 is reported");
  });

  test("clicking the problem focuses the field", async () => {
    const row = await browser.$('[data-testid="problem"][data-code="unfilled-placeholder"][data-field="our_server_fqdn"]');
    await row.click();
    await browser.waitUntil(
      () => browser.execute(() => document.activeElement?.getAttribute("data-field") === "our_server_fqdn"),
      { timeout: 5000, timeoutMsg: "the field was not focused" },
    );
  });

  test("typing the entity name updates the preview heading", async () => {
    await typeInto(browser, "hhs_entity_name", "Globex Corporation");
    await previewSettled(browser);
    const h1 = await browser.$('[data-testid="preview"] h1').getText();
    assert.match(h1, /^Globex Corporation \(acme\.example\.org\) Homeserver Privacy Notice$/);
    const title = await browser.getTitle();
    assert.match(title, /•/, "unsaved changes are marked in the title");
  });

  test("filling every field clears the unfilled problems", async () => {
    await typeInto(browser, "our_server_fqdn", "globex.ems.host");
    await previewSettled(browser);
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="problem"][data-code="unfilled-placeholder"]')).length === 0,
      { timeout: 5000, timeoutMsg: "unfilled problems remain" },
    );
    const errors = await browser.$$('[data-testid="problem"][data-severity="error"]');
    assert.equal(errors.length, 0);
    assert.equal((await browser.$$('[data-testid="preview"] mark.unfilled')).length, 0);
    await screenshot(browser, "02-all-filled");
  });

  test("export writes exactly what the engine exports for the same values", async () => {
    // The tenant was opened from a file, so Ctrl+S saves over it (atomically).
    await browser.keys(["Control", "s"]);
    await browser.waitUntil(() => readFileSync(tenantPath, "utf8").includes("Globex Corporation"), {
      timeout: 10000,
      timeoutMsg: "Ctrl+S did not save the tenant",
    });
    await browser.waitUntil(async () => !/•/.test(await browser.getTitle()), { timeout: 5000 });
    await browser.$('[data-testid="export-html"]').click();
    const exported = path.join(exportDir, "acme-corporation-privacy_notice-1.0.0.html");
    await browser.waitUntil(() => existsSync(exported), { timeout: 10000, timeoutMsg: `no ${exported}` });
    const engine = execFileSync(cli, ["render", seed, "--tenant", tenantPath, "--to", "html"], {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    });
    assert.equal(readFileSync(exported, "utf8"), engine.toString("utf8"));
    assert.match(readFileSync(exported, "utf8"), /Globex Corporation/);
  });

  test("PDF export writes exactly the engine's PDF, and it reads right", async () => {
    await browser.$('[data-testid="export-pdf"]').click();
    const exported = path.join(exportDir, "acme-corporation-privacy_notice-1.0.0.pdf");
    await browser.waitUntil(() => existsSync(exported), { timeout: 20000, timeoutMsg: `no ${exported}` });
    await browser.waitUntil(() => statSync(exported).size > 0, { timeout: 5000 });
    const engine = execFileSync(cli, ["render", seed, "--tenant", tenantPath, "--to", "pdf", "--pdf-standard", "ua-1"], {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.ok(readFileSync(exported).equals(engine), "the app's PDF differs from the engine's");
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", exported, "-"], quiet).toString("utf8");
    assert.match(text, /Globex Corporation/);
    assert.match(text, /globex\.ems\.host/);
    assert.doesNotMatch(text, /\{\{|\}\}|\*\*/);
    execFileSync("qpdf", ["--check", exported], { stdio: "ignore" });
    assert.match(execFileSync("pdfinfo", [exported], quiet).toString("utf8"), /Tagged:\s+yes/);
  });

  test("the Pages view shows the typeset pages", async () => {
    await browser.$('[data-testid="tab-pages"]').click();
    const pages = await browser.$('[data-testid="pages"]');
    await browser.waitUntil(async () => Number(await pages.getAttribute("data-page-count")) > 1, {
      timeout: 20000,
      timeoutMsg: "no pages",
    });
    const count = Number(await pages.getAttribute("data-page-count"));
    assert.equal((await browser.$$('[data-testid="page"]')).length, count);
    assert.equal(await pages.getAttribute("data-draft"), "false");
    const engine = execFileSync(cli, ["render", seed, "--tenant", tenantPath, "--to", "pdf"], {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
      maxBuffer: 64 * 1024 * 1024,
    });
    const enginePdf = path.join(dir, "engine.pdf");
    writeFileSync(enginePdf, engine);
    const pdfPages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [enginePdf], quiet).toString("utf8"))?.[1]);
    assert.equal(count, pdfPages, "the Pages view and the PDF have the same number of pages");
    await screenshot(browser, "04-pages");
    await browser.$('[data-testid="tab-document"]').click();
  });

  test("an injection value shows as literal text", async () => {
    const evil = '<script>alert(1)</script> **bold** [x](javascript:alert(1))';
    await typeInto(browser, "hhs_entity_name", evil);
    await previewSettled(browser);
    const h1 = await browser.$('[data-testid="preview"] h1').getText();
    assert.ok(h1.startsWith(evil), h1);
    const found = await browser.execute(() => ({
      scripts: document.querySelectorAll('[data-testid="preview"] script').length,
      strong: document.querySelectorAll('[data-testid="preview"] h1 strong').length,
      js: document.querySelectorAll('[data-testid="preview"] a[href^="javascript:"]').length,
    }));
    assert.deepEqual(found, { scripts: 0, strong: 0, js: 0 });
    await screenshot(browser, "03-injection-literal");
  });

  test("keystroke to painted preview (seed)", async () => {
    await typeInto(browser, "hhs_entity_name", "");
    await browser.execute(() => {
      window.__noticeMetrics.keystrokes.length = 0;
    });
    const el = await browser.$('[data-field="hhs_entity_name"]');
    for (const ch of "Initech Incorporated Holdings") {
      await el.addValue(ch);
    }
    await previewSettled(browser);
    const { times, mismatches } = await browser.execute(() => ({
      times: window.__noticeMetrics.keystrokes.slice(),
      mismatches: window.__noticeMetrics.mismatches,
    }));
    assert.ok(times.length >= 10, `measured ${times.length} keystrokes`);
    console.log(
      `keystroke → painted preview over ${times.length} keystrokes: median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
    );
    // Each keystroke was previewed by the web view's engine and rendered again by the app; the
    // app compared the two (a difference would have switched the web view's engine off).
    assert.equal(mismatches, 0, "the web view's preview and the app's render differed");
  });
  test("memory after 1,000 re-renders stays within a small bound", async () => {
    // Renders driven from inside the page (an input event, then wait for its painted preview),
    // so 1,000 of them take seconds, not a WebDriver round trip each.
    const rerender = (n) =>
      browser.execute(async (count) => {
        const el = document.querySelector('[data-field="hhs_entity_name"]');
        const m = window.__noticeMetrics;
        for (let i = 0; i < count; i++) {
          const before = m.keystrokes.length;
          el.value = `Acme Corporation ${i % 7 === 0 ? "" : i}`;
          el.dispatchEvent(new Event("input", { bubbles: true }));
          const t0 = performance.now();
          while (m.keystrokes.length === before) {
            if (performance.now() - t0 > 10000) throw new Error(`render ${i} was never painted`);
            await new Promise((r) => setTimeout(r, 1));
          }
          // The harness's own marks must not count as the app's growth.
          if (i % 100 === 99) {
            performance.clearMarks();
            performance.clearMeasures();
            m.keystrokes.length = 0;
          }
        }
        return count;
      }, n);
    await browser.setTimeout({ script: 300000 });
    const opened = appMemoryKb();
    await rerender(200); // warm-up: JIT, caches, the preview's recent blocks
    await new Promise((r) => setTimeout(r, 1500));
    const before = appMemoryKb();
    for (let i = 0; i < 4; i++) await rerender(250);
    await new Promise((r) => setTimeout(r, 1500));
    const after = appMemoryKb();
    const growthMb = (after.total - before.total) / 1024;
    console.log(
      `memory after 1,000 re-renders: app ${(before.app / 1024).toFixed(0)} → ${(after.app / 1024).toFixed(0)} MB, web view ${(before.web / 1024).toFixed(0)} → ${(after.web / 1024).toFixed(0)} MB, growth ${growthMb.toFixed(1)} MB`,
    );
    const pssMb = (m) => ((m.pss.app + m.pss.web) / 1024).toFixed(0);
    console.log(
      `memory (PSS, shared pages counted once): seed open ${pssMb(opened)} MB (RSS ${((opened.app + opened.web) / 1024).toFixed(0)}), after 1,000 re-renders ${pssMb(after)} MB (app ${(after.pss.app / 1024).toFixed(0)}, web view ${(after.pss.web / 1024).toFixed(0)})\n${memoryLines(after)}`,
    );
    assert.ok(growthMb < MEMORY_BOUND_MB, `grew ${growthMb.toFixed(1)} MB over 1,000 re-renders`);
  });
});

describe("unsaved changes", () => {
  let session;
  let browser;

  before(async () => {
    const dir = tempDir("unsaved");
    session = await launch({ NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"), NOTICE_STUDIO_TENANT: example });
    browser = session.browser;
  });

  after(async () => {
    await session?.stop();
  });

  test("a new tenant asks first, and Cancel keeps the work", async () => {
    await typeInto(browser, "hhs_entity_name", "Unsaved Ltd");
    await previewSettled(browser);
    await browser.$('[data-testid="new-tenant"]').click();
    const dialog = await browser.$('[data-testid="confirm-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5000 });
    await screenshot(browser, "04-unsaved-prompt");
    await browser.$('[data-testid="confirm-cancel"]').click();
    await dialog.waitForDisplayed({ reverse: true, timeout: 5000 });
    assert.equal(await browser.$('[data-field="hhs_entity_name"]').getValue(), "Unsaved Ltd");
  });

  test("Don't save replaces the tenant", async () => {
    await browser.$('[data-testid="new-tenant"]').click();
    await browser.$('[data-testid="confirm-dialog"]').waitForDisplayed({ timeout: 5000 });
    await browser.$('[data-testid="confirm-discard"]').click();
    await browser.waitUntil(async () => (await browser.$('[data-field="hhs_entity_name"]').getValue()) === "", {
      timeout: 5000,
      timeoutMsg: "the new tenant did not replace the old one",
    });
  });
});

describe("restore after the app is killed", () => {
  const dir = tempDir("restore");
  const env = { NOTICE_STUDIO_DATA_DIR: path.join(dir, "data"), NOTICE_STUDIO_TENANT: example };

  test("work typed before a kill is offered back and restored", async () => {
    let s = await launch(env);
    await typeInto(s.browser, "hhs_entity_name", "Survivor Holdings");
    await previewSettled(s.browser);
    const autosave = path.join(dir, "data", "autosave.json");
    await s.browser.waitUntil(() => existsSync(autosave) && readFileSync(autosave, "utf8").includes("Survivor Holdings"), {
      timeout: 15000,
      timeoutMsg: "no autosave written",
    });
    killApp();
    await s.stop();

    s = await launch(env);
    try {
      const banner = await s.browser.$('[data-testid="restore-banner"]');
      await banner.waitForDisplayed({ timeout: 10000 });
      await screenshot(s.browser, "05-restore-offer");
      await s.browser.$('[data-testid="restore-accept"]').click();
      await s.browser.waitUntil(
        async () => (await s.browser.$('[data-field="hhs_entity_name"]').getValue()) === "Survivor Holdings",
        { timeout: 5000, timeoutMsg: "the typed value was not restored" },
      );
      assert.match(await s.browser.getTitle(), /•/, "restored work is unsaved work");
    } finally {
      await s.stop();
    }
  });
});
