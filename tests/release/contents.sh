#!/usr/bin/env bash
# What a Notice Studio package installs, checked file by file: contents.sh ROOT DEB RPM, where
# ROOT is the .deb unpacked. The .rpm must install the same files. Prints the sizes.
set -euo pipefail
root=$1 deb=$2 rpm=$3
fail() { echo "package contents: $*" >&2; exit 1; }

for bin in usr/bin/notice-studio usr/bin/notice; do
  [[ -x "$root/$bin" ]] || fail "/$bin is missing or not executable"
done
desktop=$(ls "$root"/usr/share/applications/*.desktop 2>/dev/null | head -1)
[[ -n "$desktop" ]] || fail "no desktop entry in /usr/share/applications"
desktop-file-validate "$desktop" || fail "$(basename "$desktop") does not validate"
grep -qx 'MimeType=application/x-notice-studio-tenant;\?' "$desktop" \
  || fail "the desktop entry does not declare the tenant file type: $(grep MimeType "$desktop" || echo none)"
grep -q '^Exec=notice-studio .*%[fFuU]' "$desktop" \
  || fail "the desktop entry's Exec line does not take the file: $(grep '^Exec' "$desktop")"
for size in 16 24 32 48 64 128 256 512; do
  [[ -f "$root/usr/share/icons/hicolor/${size}x${size}/apps/notice-studio.png" ]] \
    || fail "no ${size}x${size} icon in hicolor"
done
[[ -f "$root/usr/share/mime/packages/notice-studio-tenant.xml" ]] || fail "no shared-mime-info definition"
templates="$root/usr/lib/Notice Studio/templates/hosted-homeserver"
[[ -f "$templates/privacy_notice.md" ]] || fail "the bundled templates are missing"

# The installed CLI runs, and finds the installed templates clean.
"$root/usr/bin/notice" --version
"$root/usr/bin/notice" check "$templates/privacy_notice.md" --tenant "$templates/example-tenant.json" >/dev/null 2>&1 \
  || fail "notice check of the bundled seed with its example tenant failed"

# The package asks for the C library the binaries were linked against (what dpkg-shlibdeps
# would compute; tauri.conf.json states it).
needed=$(objdump -T "$root/usr/bin/notice-studio" "$root/usr/bin/notice" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
stated=$(dpkg-deb -f "$deb" Depends | sed -n 's/.*libc6 (>= \([0-9.]*\)).*/\1/p')
[[ "$(printf '%s\n%s\n' "$needed" "$stated" | sort -V | tail -1)" == "$stated" ]] \
  || fail "the binaries need glibc $needed, the package depends on libc6 >= $stated: raise it in tauri.conf.json"

# The .rpm installs the same files as the .deb (its own packaging files aside).
deb_files=$(cd "$root" && find . -type f -o -type l | sed 's|^\.||' | grep -v '^/usr/share/doc/\|^/usr/share/lintian/' | sort)
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null | grep -v '^/usr/share/doc/' | while read -r f; do
  [[ -d "$root$f" ]] || echo "$f"; done | sort)
if [[ "$deb_files" != "$rpm_files" ]]; then
  diff <(echo "$deb_files") <(echo "$rpm_files") || true
  fail "the .rpm and the .deb install different files"
fi

printf 'package sizes: .deb %s KB, .rpm %s KB; installed %s KB (%s files)\n' \
  "$(( $(stat -c %s "$deb") / 1024 ))" "$(( $(stat -c %s "$rpm") / 1024 ))" \
  "$(du -sk "$root/usr" | cut -f1)" "$(echo "$deb_files" | wc -l)"
