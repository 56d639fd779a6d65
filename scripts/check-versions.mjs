// Tauri's crate and its npm packages must stay on the same minor version (`tauri build` refuses
// a mismatch) and be pinned exactly, so a fresh install resolves what was tested. Run by npm test.
import { readFileSync } from "node:fs";
import path from "node:path";

const repo = path.resolve(import.meta.dirname, "..");
const read = (p) => readFileSync(path.join(repo, p), "utf8");

const lock = read("src-tauri/Cargo.lock");
const crate = lock.match(/\[\[package\]\]\nname = "tauri"\nversion = "([^"]+)"/)?.[1];
const manifest = read("src-tauri/Cargo.toml").match(/^tauri = \{ version = "([^"]+)"/m)?.[1];
const pkg = JSON.parse(read("package.json"));
const npm = { ...pkg.dependencies, ...pkg.devDependencies };
const problems = [];
if (!crate) problems.push("no tauri crate in src-tauri/Cargo.lock");
if (!manifest?.startsWith("=")) {
  problems.push(`src-tauri/Cargo.toml: tauri = "${manifest}" is not pinned (write "=${crate}")`);
}
const minor = (v) => v?.replace(/^[=^~]/, "").split(".").slice(0, 2).join(".");
for (const name of ["@tauri-apps/api", "@tauri-apps/cli"]) {
  const v = npm[name];
  if (!v) problems.push(`package.json has no ${name}`);
  else if (!/^\d+\.\d+\.\d+$/.test(v)) problems.push(`package.json: ${name} "${v}" is not pinned`);
  else if (minor(v) !== minor(crate)) {
    problems.push(`${name} ${v} and the tauri crate ${crate} are on different minor versions`);
  }
  const installed = JSON.parse(read(`node_modules/${name}/package.json`)).version;
  if (installed !== v) problems.push(`${name}: package.json says ${v}, node_modules has ${installed}`);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`version mismatch: ${p}`);
  process.exit(1);
}
console.log(`tauri ${crate}, @tauri-apps/api ${npm["@tauri-apps/api"]}, @tauri-apps/cli ${npm["@tauri-apps/cli"]}: aligned`);
