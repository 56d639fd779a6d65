#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer): template parse + render + checks, tenant files,
# front matter, and the Markdown → Typst conversion. Seeds come from ../shared/corpus
# (read there, never copied into the project), the shipped templates and tests/bad-input.
#
#   tests/fuzz/run.sh               every target for FUZZ_SECONDS (default 45) each: the smoke run
#   tests/fuzz/run.sh render_check  one target; FUZZ_SECONDS=3600 for a long run by hand
#
# Builds without sanitizers (`--sanitizer none`): the engine forbids unsafe code, so
# AddressSanitizer would find nothing the Rust checks do not, and needs a nightly compiler.
# A crash stops the run, leaves the input in src-tauri/engine/fuzz/artifacts/<target>/, and
# prints how to replay it; keep it in src-tauri/engine/fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
repo=$PWD
seconds=${FUZZ_SECONDS:-45}
targets=("${@:-render_check typst_markup front_matter tenant_file}")
read -r -a targets <<<"${targets[*]}"

if ! command -v cargo-fuzz >/dev/null; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

corpus="$repo/../shared/corpus/element-policies"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/templates" "$seeds/front_matter" "$seeds/tenants"
# Templates: the corpus's Markdown and the shipped seed.
find "$corpus" "$repo/templates" -name '*.md' -print0 2>/dev/null |
  while IFS= read -r -d '' f; do cp "$f" "$seeds/templates/$(sha1sum <"$f" | cut -c1-16).md"; done
# Front matter: the YAML between the fences of each template.
for f in "$seeds/templates"/*.md; do
  awk 'NR==1 && /^---/ {inside=1; next} inside && /^(---|\.\.\.)/ {exit} inside {print}' "$f" \
    >"$seeds/front_matter/$(basename "$f" .md).yaml"
done
# Tenant files: the corpus's, the example tenant, the bad ones.
find "$corpus" "$repo/templates" "$repo/tests/bad-input" -name '*.json' -print0 2>/dev/null |
  while IFS= read -r -d '' f; do cp "$f" "$seeds/tenants/$(sha1sum <"$f" | cut -c1-16).json"; done
[[ -d "$corpus" ]] || echo "note: $corpus not found; fuzzing from the project's own seeds only"

cd src-tauri/engine
echo "==> building the fuzz targets (instrumented, no sanitizer)"
cargo fuzz build --sanitizer none --debug-assertions >/dev/null

for target in "${targets[@]}"; do
  case $target in
    render_check | typst_markup) seed_dir=$seeds/templates ;;
    front_matter) seed_dir=$seeds/front_matter ;;
    tenant_file) seed_dir=$seeds/tenants ;;
    *) echo "unknown target $target"; exit 2 ;;
  esac
  mkdir -p "fuzz/corpus/$target"
  echo "==> fuzzing $target for ${seconds}s"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: a leak or a blow-up.
  if ! cargo fuzz run --sanitizer none --debug-assertions "$target" "fuzz/corpus/$target" "$seed_dir" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>"$seeds/$target.log"; then
    tail -40 "$seeds/$target.log"
    echo "FUZZ FAILURE in $target: the input is in src-tauri/engine/fuzz/artifacts/$target/"
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$seeds/$target.log" | tr '\n' ' '
  echo
done
