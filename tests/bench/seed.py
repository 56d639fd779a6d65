"""Seed render + check, three ways, in one run, printed as ratios:

1. this engine in process (criterion, release build),
2. the `notice` CLI as one process per document,
3. the status-quo pipeline (Python jinja2 + markdown-it-py), in process and one process per document.
"""

import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

repo = Path(__file__).resolve().parents[2]
seed = repo / "templates/hosted-homeserver/privacy_notice.md"
tenant = repo / "templates/hosted-homeserver/example-tenant.json"
python = repo / "tests/.venv/bin/python"
notice = repo / "src-tauri/target/release/notice"
RUNS = 40


def per_process(cmd: list[str]) -> float:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def engine_in_process() -> dict[str, float]:
    out = subprocess.run(
        ["cargo", "bench", "--quiet", "-p", "notice-engine", "--bench", "render", "--", "--output-format", "bencher"],
        cwd=repo / "src-tauri",
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for name, ns in re.findall(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", out):
        found[name] = int(ns.replace(",", "")) / 1000
    return found


def main() -> None:
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "notice-cli"], cwd=repo / "src-tauri", check=True)
    engine = engine_in_process()
    ours = engine["seed_render_check_export"]
    cli = per_process([str(notice), "render", str(seed), "--tenant", str(tenant)])
    py_in = float(subprocess.run([str(python), str(Path(__file__).parent / "status_quo.py"), str(seed), str(tenant), "--loop", "200"], check=True, capture_output=True, text=True).stdout)
    py_proc = per_process([str(python), str(Path(__file__).parent / "status_quo.py"), str(seed), str(tenant)])
    rows = [
        ("engine in process: preview render + check", engine["seed_render_check_preview"]),
        ("engine in process: HTML export (render + check)", ours),
        ("engine in process: preview with unfilled fields", engine["seed_render_check_with_unfilled"]),
        ("notice CLI, one process per document", cli),
        ("jinja2 + markdown-it-py, in process", py_in),
        ("jinja2 + markdown-it-py, one process per document", py_proc),
    ]
    print()
    print("Seed privacy notice (median; ours renders and checks, the status quo only renders)")
    for label, us in rows:
        print(f"  {label:<52} {us:10.1f} µs")
    print()
    print(f"  engine under 1 ms per render + check:            {'met' if ours < 1000 else 'MISSED'} ({ours / 1000:.2f} ms)")
    print(f"  status quo in process / engine in process:       {py_in / ours:6.1f}×")
    print(f"  status quo per process / notice CLI per process: {py_proc / cli:6.1f}×  (target > 1×: {'met' if py_proc > cli else 'MISSED'})")


if __name__ == "__main__":
    sys.exit(main())
