#!/usr/bin/env bash
# Writes crates/koers/link/symbol-order.txt: the functions of the `dist` binary that one render
# of the demo's 2024 council package to PDF runs (start, database, gathering, typst, export), in
# the order callgrind first reports them. crates/koers/build.rs hands the list to the linker so
# that this code sits together; see bench/README.md, render section. Run it after upgrading
# Rust or typst, or when `bench/render.sh` reports that many listed functions are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/dist/koers"
OUT="$ROOT/crates/koers/link/symbol-order.txt"
WORK="$(mktemp -d /tmp/koers-link-order.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[link-order] %s\n' "$*" >&2; }

if ! command -v valgrind >/dev/null 2>&1; then
    log "installing valgrind"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi

log "building koers (profile dist)"
(cd "$ROOT" && cargo build --profile dist -p koers --quiet)

DB="sqlite:$WORK/demo.db"
"$BIN" demo --database-url "$DB" >/dev/null
log "rendering the demo package under callgrind (about ten seconds)"
valgrind --tool=callgrind --demangle=no --dump-instr=no --compress-strings=no \
    --callgrind-out-file="$WORK/callgrind.out" \
    "$BIN" render --database-url "$DB" --org GM0400 --year 2024 --format pdf \
    --out "$WORK/pakket.pdf" >/dev/null 2>"$WORK/valgrind.log" \
    || { cat "$WORK/valgrind.log" >&2; exit 1; }

# Every function that ran, once, kept only when the binary defines it (callgrind also reports
# the C library's and the loader's).
nm --defined-only "$BIN" | awk '{print $3}' | sort -u >"$WORK/defined.txt"
sed -n 's/^fn=//p' "$WORK/callgrind.out" | awk '!seen[$0]++' >"$WORK/ran.txt"
awk 'NR == FNR {defined[$1] = 1; next} ($1 in defined)' "$WORK/defined.txt" "$WORK/ran.txt" >"$OUT"
log "wrote $(wc -l <"$OUT") functions to ${OUT#"$ROOT"/}"
