"""Batch export of a fleet: N tenants × 5 templates to HTML with `notice publish` (render, check,
atomic write, manifest, history record per document), against the status-quo pipeline run the way
the policies repository documents it (jinja2 + a Markdown converter, one process per document) on
a sample. Prints documents per second, peak memory at two fleet sizes (flat memory means the peak
does not grow with the fleet), and the ratio. Target: 50× the status quo's throughput.

The workspace is generated in a temporary folder from the corpus templates (read from
../shared/corpus, never copied into the project) and the seed.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

repo = Path(__file__).resolve().parents[2]
corpus = repo.parent / "shared/corpus/element-policies/hosted-homeserver"
notice = repo / "src-tauri/target/release/notice"
python = repo / "tests/.venv/bin/python"
status_quo = Path(__file__).parent / "status_quo.py"
DOCUMENTS = ["code_of_conduct", "copyright_notice", "exceptional_erasure_policy", "synapse_privacy_policy"]
SAMPLE = 40


def value(field: dict, i: int):
    kind = field["type"]
    return {
        "email": f"dpo@tenant{i}.example.org",
        "hostname": f"t{i}.ems.host",
        "matrix_server_name": f"t{i}.example.org",
        "url": f"https://t{i}.example.org/legal",
        "bool": True,
        "date": "2026-01-01",
        "choice": (field.get("options") or ["x"])[0],
    }.get(kind, f"Tenant {i} Ltd")


def make_workspace(root: Path, tenants: int) -> list[Path]:
    family = root / "templates/hosted-homeserver"
    family.mkdir(parents=True)
    shutil.copy(repo / "templates/hosted-homeserver/privacy_notice.md", family)
    shutil.copy(repo / "templates/hosted-homeserver/privacy_notice.fields.yaml", family)
    for d in DOCUMENTS:
        shutil.copy(corpus / f"{d}.md", family)
    templates = sorted(family.glob("*.md"))
    fields = {}
    for t in templates:
        schema = json.loads(subprocess.run([str(notice), "fields", str(t), "--format", "json"], check=True, capture_output=True, text=True).stdout)
        for f in schema["fields"]:
            fields.setdefault(f["name"], f)
    (root / "tenants").mkdir()
    for i in range(tenants):
        values = {name: value(f, i) for name, f in fields.items()}
        (root / "tenants" / f"t{i:04}.json").write_text(json.dumps({"format": 1, "tenant": f"Tenant {i}", "values": values}))
    return templates


def publish(root: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `notice publish` run, measured in a fresh wrapper process
    so nothing else this script ran (cargo, earlier runs) counts towards the peak."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "s = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "t = time.perf_counter() - s\n"
        "if r.returncode: sys.exit(r.stdout[-2000:] + r.stderr[-2000:])\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, str(notice), "publish", str(root)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"notice publish failed:\n{out.stderr}")
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024


def main() -> None:
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "notice-cli"], cwd=repo / "src-tauri", check=True)
    with tempfile.TemporaryDirectory() as d:
        small, big = Path(d) / "small", Path(d) / "big"
        make_workspace(small, 100)
        templates = make_workspace(big, 1000)
        small_s, small_mb = publish(small)
        big_s, big_mb = publish(big)
        docs = 1000 * len(templates)
        written = len(list((big / "exports").glob("*/privacy_policy/*/*.html")))
        ours = docs / big_s

        # The status quo: one process per document, output to a file, on a sample.
        tenants = sorted((big / "tenants").glob("*.json"))[: SAMPLE // len(templates)]
        start = time.perf_counter()
        n = 0
        for t in tenants:
            for tpl in templates:
                with open(Path(d) / "sq.html", "w") as f:
                    subprocess.run([str(python), str(status_quo), str(tpl), str(t)], check=True, stdout=f)
                n += 1
        theirs = n / (time.perf_counter() - start)

    print()
    print(f"Batch export to HTML: 1,000 tenants × {len(templates)} templates = {docs} documents ({written} written)")
    print(f"  notice publish (render, check, atomic write, manifest, history)   {ours:9.1f} documents/s  ({big_s:.1f} s)")
    print(f"  jinja2 + markdown-it-py, one process per document (sample of {n})  {theirs:9.1f} documents/s")
    print(f"  peak memory: {small_mb:.0f} MB for 100 tenants, {big_mb:.0f} MB for 1,000 tenants ({'flat' if big_mb < small_mb * 1.5 else 'GROWS'})")
    print(f"  throughput ratio: {ours / theirs:.1f}×  (target ≥ 50×: {'met' if ours >= 50 * theirs else 'MISSED'})")


if __name__ == "__main__":
    sys.exit(main())
