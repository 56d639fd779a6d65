"""PDF export of the seed, in one run, printed as ratios:

1. this engine in process (criterion, release build; Typst's caches emptied each time),
2. the `notice` CLI as one process per document (`--to pdf`),
3. headless Chromium `--print-to-pdf` of our exported HTML, one process per document (Debian's
   chromium), which is how a team without this engine would make the PDF,

and the page-preview refresh after a keystroke (target under 100 ms).
"""

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

repo = Path(__file__).resolve().parents[2]
seed = repo / "templates/hosted-homeserver/privacy_notice.md"
tenant = repo / "templates/hosted-homeserver/example-tenant.json"
notice = repo / "src-tauri/target/release/notice"
CHROMIUM = "/usr/bin/chromium"


def median_ms(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def criterion() -> dict[str, float]:
    out = subprocess.run(
        ["cargo", "bench", "--quiet", "-p", "notice-engine", "--bench", "render", "--", "pdf/", "--output-format", "bencher"],
        cwd=repo / "src-tauri",
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {name.split("/")[-1]: int(ns.replace(",", "")) / 1e6 for name, ns in re.findall(r"test (\S+) \.\.\. bench:\s+([\d,]+) ns/iter", out)}


def main() -> None:
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "notice-cli"], cwd=repo / "src-tauri", check=True)
    engine = criterion()
    with tempfile.TemporaryDirectory() as d:
        html = Path(d) / "seed.html"
        subprocess.run([str(notice), "render", str(seed), "--tenant", str(tenant), "-o", str(html)], check=True, stderr=subprocess.DEVNULL)
        cli = median_ms([str(notice), "render", str(seed), "--tenant", str(tenant), "--to", "pdf", "-o", str(Path(d) / "ours.pdf")], 20)
        chromium = median_ms(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={d}/profile", "--no-pdf-header-footer", f"--print-to-pdf={d}/chromium.pdf", html.as_uri(),
            ],
            8,
        )
    ours = engine["seed_pdf_export_cold"]
    preview = engine["seed_page_preview_keystroke"]
    print()
    print("Seed privacy notice as PDF (median)")
    print(f"  engine in process, PDF export (cold caches)          {ours:8.1f} ms")
    print(f"  notice CLI --to pdf, one process per document         {cli:8.1f} ms")
    print(f"  headless Chromium --print-to-pdf of our HTML          {chromium:8.1f} ms")
    print(f"  page preview refresh after a keystroke (in process)   {preview:8.1f} ms")
    print()
    print(f"  Chromium per process / notice CLI per process:   {chromium / cli:6.1f}×  (target ≥ 5×: {'met' if chromium >= 5 * cli else 'MISSED'})")
    print(f"  Chromium per process / engine in process:        {chromium / ours:6.1f}×")
    print(f"  page preview under 100 ms:                       {'met' if preview < 100 else 'MISSED'} ({preview:.1f} ms)")


if __name__ == "__main__":
    sys.exit(main())
