#!/usr/bin/env bash
# Koers benchmark: pages against nginx serving the same bytes, API writes, memory, and scale.
# Usage: bash bench/run.sh   (see bench/README.md for what it measures and the variables)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/target/release/koers"
DURATION=${BENCH_DURATION:-8s}
WARMUP=${BENCH_WARMUP:-2s}
ROUNDS=${BENCH_ROUNDS:-4}
ROUND=${BENCH_ROUND:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WRITERS=${BENCH_WRITERS:-16}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_DB=${BENCH_PG_DB:-koers_bench}
SCALE=${BENCH_SCALE:-1}
SCALE_ORGS=${BENCH_SCALE_ORGS:-400}
SCALE_YEARS=${BENCH_SCALE_YEARS:-10}
SCALE_ACTIONS=${BENCH_SCALE_ACTIONS:-45}
YEAR=2024
KOERS_PORT=${BENCH_KOERS_PORT:-18080}
SCALE_PORT=${BENCH_SCALE_PORT:-18082}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}

WORK=$(mktemp -d /tmp/koers-bench.XXXXXX)
# mktemp makes the directory for its owner alone, and nginx's worker runs as another user: it
# must be able to pass through to the page files (up to 2026-11-28 it could not, and every
# figure "nginx" answered 403 Forbidden, see bench/README.md).
chmod 0711 "$WORK"
PIDS=()
# kind page db A-req/s A-p50 A-p99 B-req/s ratio bytes ratio-min ratio-max B-p99, where A/B is
# Koers/nginx for kind "page" and the 1-organisation/401-organisation server for "scale"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

log() { printf '\n== %s\n' "$*" >&2; }
fail() { printf 'bench: %s\n' "$*" >&2; exit 1; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ " $DATABASES " == *" postgres "* ]] && command -v psql >/dev/null; then
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${PG_DB}_scale" >/dev/null 2>&1 || true
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${PG_DB}_one" >/dev/null 2>&1 || true
    fi
    if [[ -z "${BENCH_KEEP:-}" ]]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT

# --- what the benchmark needs -------------------------------------------------------------
install_missing() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    if [[ " $DATABASES " == *" postgres "* ]]; then command -v psql >/dev/null || missing+=(postgresql-client); fi
    if ((${#missing[@]})); then
        log "installing ${missing[*]} (apt-get)"
        [[ $(id -u) == 0 ]] || fail "need root to install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        # Keep the package from starting a system nginx on port 80: the benchmark runs its own.
        local policy=""
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            policy=/usr/sbin/policy-rc.d
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
        fi
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        [[ -z "$policy" ]] || rm -f "$policy"
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# --- helpers -----------------------------------------------------------------------------
to_ms() { # "1.23ms" | "512.00us" | "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else { sub(/s$/, "", v); printf "%.3f", v * 1000 } }'
}

# wrk_once DURATION URL [extra wrk args...] -> prints "req/s p50 p99 errors"
wrk_once() {
    local duration=$1 url=$2; shift 2
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$@" "$url")
    echo "$out" >>"$WORK/wrk.log"
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
    echo "$rps $p50 $p99 ${errors:-0}"
}

# compare URL-A COOKIE-A URL-B COOKIE-B (an empty cookie sends none)
#   -> prints "A-req/s A-p50 A-p99 A-errors B-req/s B-p50 B-p99 B-errors ratio min max"
# The two servers take turns: first an unrecorded warm-up of each (threads, buffers and caches
# as in steady use), then ROUNDS rounds of ROUND seconds each, A then B. On a shared virtual
# machine the speed of the whole machine drifts by 10-20 % over tens of seconds; in turns,
# both servers meet the same drift. req/s is the mean over the rounds, p50 the median of the
# rounds' p50, p99 the highest round's p99, the ratio A/B the median of the rounds' ratios
# (with the lowest and highest).
compare() {
    local a=$1 b=$3
    local -a ha=() hb=()
    [[ -z "$2" ]] || ha=(-H "Cookie: koers_sessie=$2")
    [[ -z "$4" ]] || hb=(-H "Cookie: koers_sessie=$4")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${ha[@]}" "$a" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${hb[@]}" "$b" >/dev/null
    local round
    for round in $(seq "$ROUNDS"); do
        echo "$(wrk_once "$ROUND" "$a" "${ha[@]}") $(wrk_once "$ROUND" "$b" "${hb[@]}")"
    done | python3 -c '
import statistics, sys
rounds = [[float(x) for x in line.split()] for line in sys.stdin if line.strip()]
def side(i):
    return (f"{statistics.mean(r[i] for r in rounds):.2f} {statistics.median(r[i + 1] for r in rounds):.3f}"
            f" {max(r[i + 2] for r in rounds):.3f} {sum(int(r[i + 3]) for r in rounds)}")
ratios = [r[0] / r[4] for r in rounds]
print(side(0), side(4), f"{statistics.median(ratios):.3f} {min(ratios):.3f} {max(ratios):.3f}")'
}

start_nginx() {
    mkdir -p -m 0755 "$WORK/www"
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
    }
}
EOF
    "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    PIDS+=($!)
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return; sleep 0.1; done
    fail "nginx did not start (see $WORK/nginx/error.log)"
}

# start_koers URL -> sets KOERS_PID
start_koers() {
    local url=$1
    "$BIN" serve --bind "127.0.0.1:$KOERS_PORT" --database-url "$url" >"$WORK/serve-$KOERS_PORT.out" 2>"$WORK/serve-$KOERS_PORT.err" &
    KOERS_PID=$!
    PIDS+=("$KOERS_PID")
    for _ in $(seq 100); do
        grep -q "Koers draait op" "$WORK/serve-$KOERS_PORT.out" 2>/dev/null && return
        kill -0 "$KOERS_PID" 2>/dev/null || { cat "$WORK/serve-$KOERS_PORT.err" >&2; fail "koers serve stopped"; }
        sleep 0.1
    done
    fail "koers serve did not start"
}

stop_koers() {
    kill "$KOERS_PID" 2>/dev/null || true
    wait "$KOERS_PID" 2>/dev/null || true
}

# password_of ROLE-LABEL FILE: the demo prints "  Lezer  email  wachtwoord: …"
account_of() { awk -v r="$1" '$1 == r {print $2; exit}' "$2"; }
password_of() { awk -v r="$1" '$1 == r {print $NF; exit}' "$2"; }

# login EMAIL PASSWORD -> prints the koers_sessie cookie value
login() {
    local jar="$WORK/jar.$RANDOM"
    curl -s -o /dev/null -c "$jar" --data-urlencode "email=$1" --data-urlencode "wachtwoord=$2" \
        "http://127.0.0.1:$KOERS_PORT/inloggen"
    local cookie
    cookie=$(awk '$6 == "koers_sessie" {print $7}' "$jar")
    [[ -n "$cookie" ]] || fail "login as $1 failed"
    echo "$cookie"
}

# save PATH NAME COOKIE: saves the page's bytes as NAME.html for nginx
save_page() {
    local status
    status=$(curl -s -o "$WORK/www/$2.html" -w '%{http_code}' -H "Cookie: koers_sessie=$3" \
        "http://127.0.0.1:$KOERS_PORT$1")
    [[ "$status" == 200 ]] || fail "GET $1 answered $status"
}

rss() { # VmHWM and VmRSS of a pid in MiB
    awk '/^VmHWM:/ {h = $2} /^VmRSS:/ {r = $2} END {printf "%.1f %.1f", h / 1024, r / 1024}' "/proc/$1/status"
}

sample_rss() { # prints VmRSS (MiB) of a pid every 0.2 s, from one process: a shell loop would
    # start two processes per sample, and that load alone took about a tenth off the figure of
    # the server it samples (and nginx is not sampled).
    python3 - "$1" <<'PY'
import sys, time
path = f"/proc/{sys.argv[1]}/status"
while True:
    try:
        with open(path) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    print(f"{int(line.split()[1]) / 1024:.1f}", flush=True)
    except OSError:
        break
    time.sleep(0.2)
PY
}

db_url() { # db-kind name
    case $1 in
        sqlite) echo "sqlite:$WORK/$2.db" ;;
        postgres) echo "$PG/$2" ;;
    esac
}

fresh_db() { # db-kind name
    if [[ $1 == postgres ]]; then
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $2" >/dev/null
        psql "$PG/postgres" -qc "CREATE DATABASE $2" >/dev/null
    else
        rm -f "$WORK/$2.db"*
    fi
}

count_progress() { # db-kind name
    local sql="SELECT COUNT(*) FROM progress_entries"
    if [[ $1 == postgres ]]; then
        psql "$PG/$2" -tAc "$sql"
    else
        python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" \
            "$WORK/$2.db" "$sql"
    fi
}

# record KIND PAGE DB BYTES COMPARE-FIELDS... : one row of the results
record() {
    local kind=$1 page=$2 db=$3 bytes=$4; shift 4
    local m=("$@")
    # A ratio against error answers means nothing: stop.
    ((m[3] + m[7] == 0)) || fail "$page on $db: $((m[3] + m[7])) answers were not 2xx/3xx (see $WORK/wrk.log)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$page" "$db" "${m[0]}" "${m[1]}" "${m[2]}" \
        "${m[4]}" "${m[8]}" "$bytes" "${m[9]}" "${m[10]}" "${m[6]}" >>"$RESULTS"
}

# measure_pages DB KIND COOKIE PAGES... : each page against Koers and nginx with its bytes, in turns
measure_pages() {
    local db=$1 kind=$2 cookie=$3; shift 3
    local page name m bytes
    for page in "$@"; do
        name="${kind}_${db}_$(echo "$page" | tr '/' '_')"
        save_page "$page" "$name" "$cookie"
        bytes=$(stat -c %s "$WORK/www/$name.html")
        curl -sf "http://127.0.0.1:$NGINX_PORT/$name.html" | cmp -s - "$WORK/www/$name.html" ||
            fail "nginx does not serve the bytes of $page (see $WORK/nginx/error.log)"
        echo "  $page ($bytes bytes) on $db: koers and nginx, $ROUNDS rounds of $ROUND each…" >&2
        read -r -a m < <(compare "http://127.0.0.1:$KOERS_PORT$page" "$cookie" "http://127.0.0.1:$NGINX_PORT/$name.html" "")
        record "$kind" "$page" "$db" "$bytes" "${m[@]}"
    done
}

# --- the run -----------------------------------------------------------------------------
install_missing
log "building koers (release)"
(cd "$ROOT" && cargo build --release -p koers --quiet)
start_nginx

declare -A WRITES RSS_PAGE SCALE_TIME
CODE=""
for db in $DATABASES; do
    log "$db: demo database"
    name=$PG_DB
    [[ $db == sqlite ]] && name=bench
    fresh_db "$db" "$name"
    url=$(db_url "$db" "$name")
    "$BIN" demo --database-url "$url" >"$WORK/demo-$db.out"
    lezer=$(account_of Lezer "$WORK/demo-$db.out")
    lezer_pw=$(password_of Lezer "$WORK/demo-$db.out")
    adviseur=$(account_of Beleidsadviseur "$WORK/demo-$db.out")
    adviseur_pw=$(password_of Beleidsadviseur "$WORK/demo-$db.out")
    start_koers "$url"
    cookie=$(login "$lezer" "$lezer_pw")
    if [[ -z "$CODE" ]]; then
        CODE=$(curl -s -H "Cookie: koers_sessie=$cookie" "http://127.0.0.1:$KOERS_PORT/programma/$YEAR" |
            grep -o "/programma/$YEAR/acties/[A-Z0-9.-]*" | head -1 | sed 's|.*/||')
        [[ -n "$CODE" ]] || fail "no action found on /programma/$YEAR"
    fi
    log "$db: pages ($ROUNDS rounds of $ROUND, $CONNECTIONS connections, $THREADS threads)"
    sample_rss "$KOERS_PID" >"$WORK/rss-$db" &
    sampler=$!
    measure_pages "$db" page "$cookie" "/programma/$YEAR" /overzicht /beleidsplan "/programma/$YEAR/acties/$CODE"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    RSS_PAGE[$db]="$(sort -n "$WORK/rss-$db" | tail -1) $(rss "$KOERS_PID")"

    log "$db: writes ($WRITERS writers)"
    adviseur_cookie=$(login "$adviseur" "$adviseur_pw")
    key_page=$(curl -s -H "Cookie: koers_sessie=$adviseur_cookie" --data-urlencode "name=benchmark" \
        "http://127.0.0.1:$KOERS_PORT/account/api-sleutels")
    key=$(grep -o 'koers_[A-Za-z0-9_]*' <<<"$key_page" | grep -v '^koers_sessie' | head -1)
    [[ -n "$key" ]] || fail "could not make an API key"
    codes=$(curl -s -H "Authorization: Bearer $key" -H "Accept: application/json" \
        "http://127.0.0.1:$KOERS_PORT/api/v1/programmas/$YEAR/acties" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); items=d if isinstance(d,list) else next(v for v in d.values() if isinstance(v,list)); print(",".join(a["code"] for a in items))')
    before=$(count_progress "$db" "$name")
    seconds=$(awk -v d="$DURATION" 'BEGIN {sub(/s$/, "", d); print (d > 4 ? d - 2 : d / 2)}')
    # A report is dated today, unless today lies after the window of the programme year (which
    # ends on 31 December of the year after); then the year's last day.
    report_date=$(date -u +%F)
    if (( $(date -u +%Y) > YEAR + 1 )); then report_date="$YEAR-12-31"; fi
    out=$(BENCH_API_KEY=$key BENCH_CODES=$codes BENCH_DATE=$report_date BENCH_YEAR=$YEAR \
        BENCH_WRITE_SECONDS=$seconds \
        wrk -t"$THREADS" -c"$WRITERS" -d"$DURATION" --latency -s "$ROOT/bench/progress.lua" \
        "http://127.0.0.1:$KOERS_PORT")
    echo "$out" >>"$WORK/wrk.log"
    created=$(awk '$1 == "CREATED" {print $2}' <<<"$out")
    other=$(awk '$1 == "OTHER" {print $2}' <<<"$out")
    after=$(count_progress "$db" "$name")
    grown=$((after - before))
    verdict="ok: the table grew by exactly the $created acknowledged writes"
    if ((grown < created)); then
        verdict="LOST WRITES: $created acknowledged, $grown stored"
    elif ((grown > created)); then
        verdict="$created acknowledged, $grown stored (a write was still in flight when wrk stopped)"
    fi
    WRITES[$db]=$(awk -v c="$created" -v s="$seconds" -v o="$other" -v v="$verdict" \
        'BEGIN {printf "%.0f entries/s (%d created in %s s, %d failed); %s", c / s, c, s, o, v}')
    stop_koers

    if [[ "$SCALE" != 0 ]]; then
        log "$db: scale database ($SCALE_ORGS organisations x $SCALE_YEARS years x $SCALE_ACTIONS actions)"
        sname="${name}_scale"
        fresh_db "$db" "$sname"
        surl=$(db_url "$db" "$sname")
        jobs=1
        [[ $db == postgres ]] && jobs=${BENCH_GENERATE_JOBS:-4}
        start=$(date +%s.%N)
        "$BIN" generate --organisations "$SCALE_ORGS" --years "$SCALE_YEARS" \
            --actions-per-year "$SCALE_ACTIONS" --jobs "$jobs" --database-url "$surl" | tee "$WORK/generate-$db.out" >&2
        SCALE_TIME[$db]=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
        [[ $db == sqlite ]] && SCALE_TIME[$db]="${SCALE_TIME[$db]} s, file $(du -m "$WORK/$sname.db" | cut -f1) MiB" ||
            SCALE_TIME[$db]="${SCALE_TIME[$db]} s (--jobs $jobs)"
        "$BIN" demo --database-url "$surl" >"$WORK/demo-scale-$db.out"
        # The same demo alone in a database of its own, served at the same time: the two
        # servers are measured in turns, so that both meet the same moments of the machine.
        oname="${name}_one"
        fresh_db "$db" "$oname"
        ourl=$(db_url "$db" "$oname")
        "$BIN" demo --database-url "$ourl" >"$WORK/demo-one-$db.out"
        start_koers "$ourl"
        one_pid=$KOERS_PID
        one_cookie=$(login "$(account_of Lezer "$WORK/demo-one-$db.out")" "$(password_of Lezer "$WORK/demo-one-$db.out")")
        main_port=$KOERS_PORT
        KOERS_PORT=$SCALE_PORT
        start_koers "$surl"
        scale_cookie=$(login "$(account_of Lezer "$WORK/demo-scale-$db.out")" "$(password_of Lezer "$WORK/demo-scale-$db.out")")
        KOERS_PORT=$main_port
        for page in "/programma/$YEAR" /overzicht; do
            echo "  $page on $db: 1 organisation and $SCALE_ORGS + 1, $ROUNDS rounds of $ROUND each…" >&2
            read -r -a m < <(compare "http://127.0.0.1:$KOERS_PORT$page" "$one_cookie" \
                "http://127.0.0.1:$SCALE_PORT$page" "$scale_cookie")
            record scale "$page" "$db" "" "${m[@]}"
        done
        stop_koers
        KOERS_PID=$one_pid
        stop_koers
    fi
done

# --- report ------------------------------------------------------------------------------
echo
echo "Koers benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "wrk -t$THREADS -c$CONNECTIONS; Koers and nginx in turns, $ROUNDS rounds of $ROUND each after a $WARMUP warm-up;"
echo "nginx 1 worker, access log off, same bytes as a static file; ratio = median of the rounds (lowest-highest)"
echo
echo "| page | db | req/s | p50 | p99 | nginx req/s | ratio (rounds) |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F'\t' '$1 == "page" {printf "| %s (%.0f KB) | %s | %.0f | %.2f ms | %.2f ms | %.0f | %.3f (%.3f-%.3f) |\n", $2, $9 / 1024, $3, $4, $5, $6, $7, $8, $10, $11}' "$RESULTS"
echo
echo "Writes (POST …/voortgang through the API, $WRITERS concurrent writers, one API key):"
for db in $DATABASES; do echo "  $db: ${WRITES[$db]}"; done
echo
echo "Server memory under the page load (VmRSS sampled every 0.2 s; VmHWM = peak since start, logins included):"
for db in $DATABASES; do
    read -r peak hwm now <<<"${RSS_PAGE[$db]}"
    echo "  $db: VmRSS max $peak MiB under load, VmHWM $hwm MiB, VmRSS after $now MiB"
done
if [[ "$SCALE" != 0 ]]; then
    echo
    echo "Scale: the demo organisation in a database with $SCALE_ORGS more organisations ($SCALE_YEARS years x $SCALE_ACTIONS actions each)"
    echo
    echo "Both servers run at once (the demo alone, and the demo next to the $SCALE_ORGS) and take turns, as above."
    echo
    echo "| page | db | req/s 1 org | req/s $((SCALE_ORGS + 1)) orgs | p99 1 org | p99 $((SCALE_ORGS + 1)) orgs | slowdown (rounds) |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    awk -F'\t' '$1 == "scale" {printf "| %s | %s | %.0f | %.0f | %.2f ms | %.2f ms | %.2f (%.2f-%.2f) |\n", $2, $3, $4, $7, $6, $12, $8, $10, $11}' \
        "$RESULTS"
    echo
    echo "Generating took:"
    for db in $DATABASES; do echo "  $db: ${SCALE_TIME[$db]}"; done
fi
