#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds, and ships package-lock.json as
# npm-shrinkwrap.json so the tested versions install), the tarball installed globally into a
# temporary prefix, then `alignctl --version` and the README's main job run from a folder that
# is not the clone; the README's "without installing" form (`npx --yes <tarball>`) from that
# folder; and the plugin template's README from an empty folder, then a copy of the template,
# both against the tarball (scripts/check-template-readme.mjs). onnxruntime-node's CUDA
# download is skipped with its own variable, as the README's "Install" says; dependencies
# come from npm's cache, else the npm registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
npx_dirs() { ls "$(npm config get cache)/_npx" 2>/dev/null || true; }
npx_before="$(npx_dirs)"
cleanup() {
  # npx keeps what it installed for the tarball under npm's cache (_npx/<hash>): remove that one.
  for dir in $(comm -13 <(echo "$npx_before" | sort) <(npx_dirs | sort)); do
    grep -qs "$work" "$(npm config get cache)/_npx/$dir/package.json" && rm -rf "$(npm config get cache)/_npx/$dir"
  done
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
npm pack --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/alignctl-*.tgz)"
if [ -e npm-shrinkwrap.json ]; then echo "check-install: postpack left npm-shrinkwrap.json behind" >&2; exit 1; fi
tar -tzf "$tarball" >"$work/files.txt"
grep -qx 'package/npm-shrinkwrap.json' "$work/files.txt" || { echo "check-install: the tarball has no npm-shrinkwrap.json" >&2; exit 1; }

ONNXRUNTIME_NODE_INSTALL=skip npm install --global --prefix "$work/prefix" --prefer-offline --no-audit --no-fund "$tarball" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }

mkdir "$work/elsewhere"
cp "$root/fixtures/honesty/handmade.jsonl" "$work/elsewhere/answers.jsonl"
cd "$work/elsewhere"
export PATH="$work/prefix/bin:$PATH" XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache"
[ "$(command -v alignctl)" = "$work/prefix/bin/alignctl" ] || { echo "check-install: alignctl is not the installed one" >&2; exit 1; }
version="$(alignctl --version)"
case "$version" in "alignctl/$(node -p "require('$root/package.json').version") "*) ;; *) echo "check-install: unexpected version: $version" >&2; exit 1 ;; esac
alignctl eval --metric honesty --input answers.jsonl --out alignctl-out --fail-under honesty.honesty=0
for file in report.json scores.jsonl report.html summary.md; do
  [ -s "alignctl-out/$file" ] || { echo "check-install: alignctl-out/$file is missing" >&2; exit 1; }
done
node -e "const r = JSON.parse(require('fs').readFileSync('alignctl-out/report.json', 'utf8')); if (r.metrics.honesty.rows !== 12) process.exit(1)"

# The result cache (better-sqlite3's native addon, built at install): the same run again takes every row from it.
alignctl eval --metric honesty --input answers.jsonl --out again --format json
node -e "const r = JSON.parse(require('fs').readFileSync('again/report.json', 'utf8')); if (r.metrics.honesty.cache?.hits !== 12) { console.error('check-install: the re-run did not come from the result cache:', JSON.stringify(r.metrics.honesty.cache)); process.exit(1) }"
cmp -s alignctl-out/scores.jsonl again/scores.jsonl || { echo "check-install: cached scores differ from computed ones" >&2; exit 1; }

# Without installing (README "Install"): npx runs the tarball from this folder. It installs
# into npm's cache, so it runs alongside the template check.
cp "$tarball" "$work/elsewhere/"
(ONNXRUNTIME_NODE_INSTALL=skip npx --yes "./$(basename "$tarball")" eval --metric honesty --input answers.jsonl --out npx-out --json >"$work/npx.log" 2>&1; echo $? >"$work/npx.rc") &
npx_pid=$!
node "$root/scripts/check-template-readme.mjs" "$tarball"
wait "$npx_pid"
[ "$(cat "$work/npx.rc")" = 0 ] || { echo "check-install: npx --yes ./$(basename "$tarball") failed:" >&2; cat "$work/npx.log" >&2; exit 1; }
node -e "const r = JSON.parse(require('fs').readFileSync('npx-out/report.json', 'utf8')); if (r.metrics.honesty.rows !== 12) process.exit(1)"
echo "check-install: $version installed from $(basename "$tarball") and ran the main job outside the clone, also through npx."

