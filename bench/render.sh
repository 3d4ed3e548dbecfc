#!/usr/bin/env bash
# Council package render benchmark: Koers renders the demo's 2024 package to PDF/A, and in the
# same run LibreOffice converts the same package's DOCX to PDF. Prints both times (median of
# RUNS), both peak memories (max RSS), and the ratios Koers/LibreOffice. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
BIN="$ROOT/target/dist/koers"
WORK="$(mktemp -d /tmp/koers-render-bench.XXXXXX)"
trap '[[ -n "${BENCH_KEEP:-}" ]] || rm -rf "$WORK"' EXIT

log() { printf '[render-bench] %s\n' "$*" >&2; }

install_missing() {
    local missing=()
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
    [[ -x /usr/bin/time ]] || missing+=(time)
    command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# timed OUT_PREFIX CMD... : runs CMD under GNU time; appends "seconds max_rss_kib cpu_seconds"
# (cpu = user + system, all threads) to OUT_PREFIX.tsv
timed() {
    local prefix=$1; shift
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/cmd.err" \
        || { cat "$WORK/cmd.err" >&2; exit 1; }
    awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$WORK/time.out" >>"$prefix.tsv"
}

# median FILE COLUMN
median() {
    sort -n -k"$2","$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

install_missing
log "building koers (profile dist: release with LTO, as shipped)"
(cd "$ROOT" && cargo build --profile dist -p koers --quiet)

DB="sqlite:$WORK/demo.db"
"$BIN" demo --database-url "$DB" >/dev/null
"$BIN" render --database-url "$DB" --org GM0400 --year 2024 --format docx --out "$WORK/pakket.docx" >/dev/null
# A LibreOffice profile of its own, made once, so the timed runs do not include first start.
export HOME="$WORK/home"
mkdir -p "$HOME" "$WORK/lo"
soffice --headless --convert-to pdf --outdir "$WORK/lo" "$WORK/pakket.docx" >/dev/null 2>&1

for i in $(seq 1 "$RUNS"); do
    log "run $i of $RUNS"
    timed "$WORK/koers" "$BIN" render --database-url "$DB" --org GM0400 --year 2024 \
        --format pdf --out "$WORK/pakket.pdf"
    timed "$WORK/soffice" soffice --headless --convert-to pdf --outdir "$WORK/lo" "$WORK/pakket.docx"
done

k_s=$(median "$WORK/koers.tsv" 1)
k_m=$(sort -n "$WORK/koers.tsv" | awk '{ if ($2 > m) m = $2 } END {print m}')
k_c=$(median "$WORK/koers.tsv" 3)
l_s=$(median "$WORK/soffice.tsv" 1)
l_m=$(sort -n "$WORK/soffice.tsv" | awk '{ if ($2 > m) m = $2 } END {print m}')
l_c=$(median "$WORK/soffice.tsv" 3)
pages=$(pdfinfo "$WORK/pakket.pdf" | awk '/^Pages:/ {print $2}')
lo_pages=$(pdfinfo "$WORK/lo/pakket.pdf" | awk '/^Pages:/ {print $2}')

printf '\nCouncil package GM0400 2024, median of %s runs (%s, %s)\n\n' "$RUNS" "$(date -u +%F)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
printf '| | time | peak memory (max RSS) | CPU time (user + system) | pages |\n|---|---|---|---|---|\n'
printf '| Koers `koers render --format pdf` (PDF/A-2a + PDF/UA-1) | %s s | %s MiB | %s s | %s |\n' \
    "$k_s" "$((k_m / 1024))" "$k_c" "$pages"
printf '| LibreOffice `soffice --headless --convert-to pdf` of the DOCX | %s s | %s MiB | %s s | %s |\n' \
    "$l_s" "$((l_m / 1024))" "$l_c" "$lo_pages"
printf '| ratio Koers / LibreOffice | %s × (target ≤ 0.1) | %s × (target ≤ 0.25) | %s × | |\n' \
    "$(awk -v a="$k_s" -v b="$l_s" 'BEGIN {printf "%.3f", a / b}')" \
    "$(awk -v a="$k_m" -v b="$l_m" 'BEGIN {printf "%.3f", a / b}')" \
    "$(awk -v a="$k_c" -v b="$l_c" 'BEGIN {printf "%.3f", a / b}')"

# The code order the linker was given (crates/koers/build.rs): names it no longer finds in the
# binary are laid out anywhere, which costs resident memory. bench/link-order.sh renews the list.
order="$ROOT/crates/koers/link/symbol-order.txt"
listed=$(wc -l <"$order")
found=$(nm --defined-only "$BIN" | awk 'NR == FNR {want[$1] = 1; next} ($3 in want)' "$order" - | wc -l)
printf '\nCode order: %s of the %s functions in crates/koers/link/symbol-order.txt are in the binary.\n' \
    "$found" "$listed"
