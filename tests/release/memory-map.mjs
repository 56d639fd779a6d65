// Where the installed app's memory goes, by kind of mapping: launches the app (NOTICE_STUDIO_APP)
// on the seed, re-renders it 1,000 times, and prints each process's proportional memory (PSS)
// grouped by mapping: shared libraries, the heap, anonymous memory (JavaScriptCore's heap and
// JIT, WebAssembly memory, GTK buffers), the embedded UI. Run through tests/e2e/run.sh; prints,
// asserts nothing beyond finding the processes.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { app, launch, tempDir } from "../e2e/harness.mjs";

function descendants(pid) {
  const out = [];
  for (let todo = [String(pid)]; todo.length; ) {
    let kids = [];
    try {
      kids = execFileSync("pgrep", ["-P", todo.pop()], { encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
      // none
    }
    out.push(...kids);
    todo.push(...kids);
  }
  return out;
}

/** PSS (KB) of a process by mapping group, from /proc/<pid>/smaps. */
function byMapping(pid) {
  const groups = {};
  let name = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const file = head[1];
      name = !file
        ? "anonymous"
        : file.startsWith("[")
          ? file
          : /\.so(\.|$)/.test(file)
            ? `lib ${path.basename(file).replace(/\.so.*/, "")}`
            : file.includes("memfd") || file.includes("/dev/shm")
              ? "shared memory"
              : `file ${path.basename(file)}`;
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss && name) groups[name] = (groups[name] ?? 0) + Number(pss[1]);
  }
  return groups;
}

function report(label, pids) {
  for (const pid of pids) {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const g = byMapping(pid);
    const total = Object.values(g).reduce((a, b) => a + b, 0);
    const libs = Object.entries(g)
      .filter(([k]) => k.startsWith("lib "))
      .reduce((a, [, v]) => a + v, 0);
    const top = Object.entries(g)
      .filter(([k]) => !k.startsWith("lib "))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`)
      .join(", ");
    const bigLibs = Object.entries(g)
      .filter(([k]) => k.startsWith("lib "))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `${k.slice(4)} ${(v / 1024).toFixed(0)}`)
      .join(", ");
    console.log(
      `${label} ${comm}: PSS ${(total / 1024).toFixed(0)} MB = shared libraries ${(libs / 1024).toFixed(0)} MB (${bigLibs}) + ${top} (MB)`,
    );
  }
}

test("memory by mapping, installed app", async () => {
  const dir = tempDir("memory-map");
  const session = await launch({ NOTICE_STUDIO_DATA_DIR: path.join(dir, "data") });
  const { browser } = session;
  try {
    const appPid = execFileSync("pgrep", ["-f", `^${app}`], { encoding: "utf8" }).split("\n")[0];
    await new Promise((r) => setTimeout(r, 1500));
    report("seed open:", [appPid, ...descendants(appPid)]);
    await browser.setTimeout({ script: 300000 });
    await browser.execute(async () => {
      const el = document.querySelector('[data-field="hhs_entity_name"]');
      const m = window.__noticeMetrics;
      for (let i = 0; i < 1000; i++) {
        const before = m.keystrokes.length;
        el.value = `Acme Corporation ${i}`;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        while (m.keystrokes.length === before) await new Promise((r) => setTimeout(r, 1));
        if (i % 100 === 99) {
          performance.clearMarks();
          m.keystrokes.length = 0;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    report("after 1,000 re-renders:", [appPid, ...descendants(appPid)]);
  } finally {
    await session.stop();
  }
});
