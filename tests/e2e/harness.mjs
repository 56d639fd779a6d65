// Starts the real app through tauri-driver and WebKitWebDriver, one app per scenario, each with
// its own data folder and environment. Nothing here fakes the app: it is the built binary.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The debug build by default; the release tests (tests/release) point these at the installed
// package's binaries, and `npm run bench` at the release build.
export const app = process.env.NOTICE_STUDIO_APP ?? path.join(repo, "src-tauri/target/debug/notice-studio");
export const cli = process.env.NOTICE_CLI ?? path.join(repo, "src-tauri/target/debug/notice");
export const seed = path.join(repo, "templates/hosted-homeserver/privacy_notice.md");
export const example = path.join(repo, "templates/hosted-homeserver/example-tenant.json");
export const artifacts = path.join(repo, "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const driverBin = (() => {
  const home = path.join(os.homedir(), ".cargo/bin/tauri-driver");
  return existsSync(home) ? home : "tauri-driver";
})();

let nextPort = 4444;

function waitForPort(port, timeoutMs) {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.end();
        resolve();
      });
      s.once("error", () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function childPids(pid) {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // none
  }
}

/** The app's process: tauri-driver starts WebKitWebDriver, which starts the app. */
function appPid(driverPid) {
  for (const webDriver of childPids(driverPid)) {
    for (const child of childPids(webDriver)) {
      try {
        if (readlinkSync(`/proc/${child}/exe`) === app) return child;
      } catch {
        // gone already
      }
    }
  }
  return null;
}

/**
 * When the kernel started process `pid`, in wall-clock milliseconds (10 ms resolution): its start
 * in clock ticks since boot (`/proc/<pid>/stat`, field 22; 100 ticks a second on Linux), placed
 * on the wall clock through the uptime.
 */
function processStartedAt(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const uptimeS = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    const bootedAt = Date.now() - uptimeS * 1000;
    return Number.isFinite(ticks) ? bootedAt + ticks * 10 : null;
  } catch {
    return null;
  }
}

export function tempDir(name) {
  return mkdtempSync(path.join(os.tmpdir(), `notice-e2e-${name}-`));
}

/**
 * Starts the app with `env` (and command-line `args`); resolves once the first preview is on
 * screen. Each launch has its own config folder, so no window size or position remembered by one
 * scenario leaks into the next.
 */
export async function launch(env = {}, args = []) {
  const port = nextPort;
  nextPort += 2;
  const driver = spawn(driverBin, ["--port", String(port), "--native-port", String(port + 1)], {
    env: { ...process.env, XDG_CONFIG_HOME: tempDir("config"), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let driverLog = "";
  driver.stderr.on("data", (d) => {
    driverLog += d;
  });
  await waitForPort(port, 15000);
  const started = performance.now();
  const startedAt = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryTimeout: 60000,
    capabilities: {
      "tauri:options": { application: app, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  await browser.waitUntil(() => browser.execute(() => window.__noticeReady === true), {
    timeout: 30000,
    timeoutMsg: "the window never became interactive",
  });
  const noticedMs = performance.now() - started;
  // The page's own clock says when it became interactive (its time origin is wall-clock time, as
  // is `startedAt`), without the up to 100 ms the polling above adds before noticing.
  const mark = await browser.execute(() => {
    const m = performance.getEntriesByName("notice:interactive")[0];
    return m ? { origin: performance.timeOrigin, at: m.startTime } : null;
  });
  const interactiveAt = mark ? mark.origin + mark.at : null;
  const measured = typeof interactiveAt === "number" ? interactiveAt - startedAt : Number.NaN;
  const sessionMs = measured > 0 && measured <= noticedMs + 50 ? measured : noticedMs;
  // The app's own start: from the kernel starting its process. The session figure adds what
  // WebKitWebDriver does before it (starting itself and the app).
  const pid = appPid(driver.pid);
  const processAt = pid ? processStartedAt(pid) : null;
  const processMs =
    processAt && typeof interactiveAt === "number" ? interactiveAt - processAt : Number.NaN;
  return {
    browser,
    /** App process start → interactive window (NaN if the process could not be found). */
    coldStartMs: processMs > 0 && processMs <= sessionMs + 20 ? processMs : Number.NaN,
    /** WebDriver session request → interactive window. */
    sessionMs,
    /** When the polling noticed (up to 100 ms late). */
    noticedMs,
    /** Page load (navigation start) → interactive window. */
    pageMs: mark ? mark.at : Number.NaN,
    driverLog: () => driverLog,
    async stop() {
      try {
        await browser.deleteSession();
      } catch {
        // The app may already be gone (killed on purpose).
      }
      driver.kill();
      await new Promise((r) => setTimeout(r, 300));
      // The app runs once per user: one left behind (or still dying, its D-Bus name not yet
      // released) would take the next scenario's launch and hand it over.
      killApp();
      await appGone();
    },
  };
}

/** Waits (up to 10 s) until no app process is left. */
export async function appGone() {
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync("pgrep", ["-f", app]);
    } catch {
      return; // none left
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILLs the running app (as a crash would end it). */
export function killApp() {
  try {
    execFileSync("pkill", ["-KILL", "-f", app]);
  } catch {
    // Not running.
  }
}

export async function field(browser, name) {
  const el = await browser.$(`[data-field="${name}"]`);
  await el.waitForExist({ timeout: 10000 });
  return el;
}

/** Replaces a field's text as a user would: select all, type. */
export async function typeInto(browser, name, text) {
  const el = await field(browser, name);
  await el.click();
  await browser.execute((n) => {
    const i = document.querySelector(`[data-field="${n}"]`);
    i.select?.();
  }, name);
  await browser.keys(["Control", "a"]);
  await browser.keys(["Delete"]);
  if (text.length) await el.addValue(text);
}

export async function previewSettled(browser) {
  // A render is in flight until the last keystroke's paint mark exists.
  await browser.waitUntil(
    () =>
      browser.execute(() => {
        const keys = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("notice:key:"));
        if (!keys.length) return true;
        const last = keys[keys.length - 1].name.split(":")[2];
        return performance.getEntriesByName(`notice:paint:${last}`).length > 0;
      }),
    { timeout: 10000, timeoutMsg: "the preview did not catch up with typing" },
  );
}

export async function screenshot(browser, name) {
  try {
    await browser.saveScreenshot(path.join(artifacts, `${name}.png`));
  } catch {
    // Fall back to the whole virtual screen.
    try {
      execFileSync("import", ["-window", "root", path.join(artifacts, `${name}.png`)]);
    } catch {
      // Screenshots are evidence, not assertions.
    }
  }
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
