#!/usr/bin/env bash
# makegood against the tools a user would reach for instead, on the same machine in one run.
#
#   bench/run.sh           1,000,000 incidents (about 6 minutes here)
#   bench/run.sh --quick   100,000 incidents (about a minute)
#   bench/run.sh --postgres [--quick]   the chain's lines on a throwaway PostgreSQL cluster
#                          (.ci/postgres.sh) instead of SQLite's
#
# Needs hyperfine, sqlite3, taskwarrior and GNU time from Debian's packages; installs them when
# missing (as root). Prints a table of medians, makegood/peer ratios and the issue's targets,
# and writes it to bench/last-run.md. Nothing here is a test: it measures.
set -euo pipefail
cd "$(dirname "$0")/.."

N=1000000
TASKS=(10000 100000)
POSTGRES=
for arg in "$@"; do
  case "$arg" in
    --quick) N=100000; TASKS=(10000) ;;
    --postgres) POSTGRES=1 ;;
    *) echo "usage: bench/run.sh [--quick] [--postgres]" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need sqlite3 || ! need task || ! [ -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq hyperfine sqlite3 taskwarrior time >/dev/null
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release --quiet --bin makegood --example generate
MG=$PWD/target/release/makegood
GEN=$PWD/target/release/examples/generate
export MAKEGOOD_NOW=2026-11-20T10:00:00Z TZ=UTC NO_COLOR=1
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# One line of the table: a label, the target, then makegood's command and the peer's, timed
# together. A target is `ratio<=X` or `ratio<X` (makegood/peer), `ms<X` (makegood alone), or
# `-` (none: the line is there to compare with another).
compare() {
  local label=$1 target=$2 ours=$3 peer=$4 prepare=${5:-true}
  # Without a shell in between unless a command needs one (redirections): a shell adds about a
  # millisecond to both sides, which hides the difference in the short commands.
  local shell=(-N)
  if [[ "$ours$peer" == *[\<\>]* ]]; then shell=(); fi
  # Thirty runs by default: the short lines (a few milliseconds) are the noisiest.
  hyperfine "${shell[@]}" --warmup 3 --runs "${RUNS:-30}" --prepare "$prepare" --export-json "$WORK/h.json" \
    -n makegood "$ours" -n peer "$peer" >/dev/null 2>"$WORK/hyperfine.err" ||
    { cat "$WORK/hyperfine.err" >&2; echo "bench: failed on: $label" >&2; return 1; }
  python3 - "$WORK/h.json" "$label" "$target" >>"$RESULTS" <<'PY'
import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
label, target = sys.argv[2], sys.argv[3]
ours, peer = r["makegood"], r["peer"]
ratio = ours / peer
shown, met = "", ""
for op in ("<=", "<"):
    kind, found, bound = target.partition(op)
    if found:
        value, bound = (ratio if kind == "ratio" else ours), float(bound)
        met = "yes" if (value <= bound if op == "<=" else value < bound) else "no"
        unit = "×" if kind == "ratio" else " ms"
        shown = f"{'≤' if op == '<=' else '<'} {bound:g}{unit}"
        break
print(f"{label}\t{ours:.1f}\t{peer:.1f}\t{ratio:.3g}\t{shown}\t{met}")
PY
}

echo "generating $N incidents..." >&2
DB=$WORK/big.db
"$GEN" "$DB" "$N" 2>/dev/null
ROWS=$(sqlite3 "$DB" 'select count(*) from incidents')
# The generator leaves a gigabyte of dirty pages; writing them back meanwhile slowed whatever
# ran first by a third.
sync

# Logging one complaint with its evaluation, as a counter terminal does.
LOG=(--no-input -q log --customer 'Bench Customer' --email bench@example.com --category delivery
  --summary Bench --severity 4 --order-value 65.00 --asked refund --eval --format json)

if [[ -n $POSTGRES ]]; then
  # The chain's lines, on a throwaway cluster on a Unix socket (stopped when the run ends).
  source .ci/postgres.sh
  start_postgres >&2
  trap 'stop_postgres; rm -rf "$WORK"' EXIT
  ADMIN=$MAKEGOOD_TEST_PG
  on_db() { printf '%s' "${ADMIN/\/postgres\?//$1?}"; }
  # Every timed run starts from a copy of a migrated database holding the empty shop Big.
  psql "$ADMIN" -qc "CREATE DATABASE bench_template"
  "$MG" -q --db "$(on_db bench_template)" db migrate
  "$MG" -q --db "$(on_db bench_template)" shop add Big --timezone UTC --currency EUR
  FRESH="sh -c 'psql \"$ADMIN\" -qc \"DROP DATABASE IF EXISTS bench\" -c \"CREATE DATABASE bench TEMPLATE bench_template\"'"
  # The peer's rows: what the transfer writes, as CSV files COPY reads (shop id included).
  psql "$ADMIN" -qc "CREATE DATABASE bench_rows TEMPLATE bench_template"
  "$MG" -q --shop Big transfer "$DB" "$(on_db bench_rows)"
  COPY_IN=(-q -v ON_ERROR_STOP=1 -c BEGIN)
  for table in customers incidents remedies follow_ups events coupons orders; do
    psql "$(on_db bench_rows)" -qc "\\copy $table TO $WORK/$table.csv CSV"
    COPY_IN+=(-c "\\copy $table FROM $WORK/$table.csv CSV")
  done
  COPY_IN+=(-c COMMIT)
  RUNS=3 compare "transfer a shop of ${ROWS} incidents from SQLite vs psql COPY of the same rows" \
    "ratio<=1.5" "$MG -q --shop Big transfer $DB $(on_db bench)" \
    "psql $(on_db bench) ${COPY_IN[*]@Q}" "$FRESH"

  # The other lines run on the moved shop, over the same socket as psql.
  eval "$FRESH"
  PG=$(on_db bench)
  "$MG" -q --shop Big transfer "$DB" "$PG"
  psql "$PG" -qc "VACUUM ANALYZE"
  compare "log one incident with eval vs one psql INSERT, ${ROWS} incidents" "ratio<=1.5" \
    "$MG --db $PG ${LOG[*]@Q}" \
    "psql $PG -qc \"INSERT INTO events (shop_id, incident_id, at, actor, kind) VALUES (1, 1, now(), 'bench', 'note')\""
  RUNS=10 compare "weekly report (csv) vs the same metrics in SQL by psql, ${ROWS} incidents" \
    "ratio<=1.0" "$MG --db $PG report --week 2026-W46 --format csv" \
    "psql $PG -q -f bench/report-pg.sql"
  # Through a shell (the redirection): the URI is quoted, its `&` would start a background job.
  PG_EXPORT="SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, i.category, i.severity, i.status, i.outcome, i.order_value, i.currency, i.product, i.order_ref, i.channel, i.asked, i.summary, i.first_response_at, i.remedied_at, i.closed_at FROM incidents i JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id WHERE i.shop_id = 1 ORDER BY i.opened_at, i.id"
  RUNS=3 compare "export all incidents to CSV vs psql \\copy, ${ROWS} rows" "ratio<=1.2" \
    "$MG --db '$PG' export incidents --format csv > $WORK/pg-mg.csv" \
    "psql '$PG' -qc \"\\copy ($PG_EXPORT) TO '$WORK/pg-peer.csv' CSV HEADER\""

  # Eight terminals logging 200 complaints each at once: errors, and numbers unique per shop.
  before=$(psql "$PG" -tAqc "SELECT count(*) FROM incidents")
  started=$(date +%s%N)
  for terminal in 1 2 3 4 5 6 7 8; do
    (for n in $(seq 200); do
       "$MG" --db "$PG" --no-input -q log --customer "Terminal $terminal" --category delivery \
         --summary "Rush $n" >/dev/null 2>>"$WORK/rush.err" || echo x >>"$WORK/rush-errors"
     done) &
  done
  wait
  took=$(( ($(date +%s%N) - started) / 1000000 ))
  errors=0; [ -f "$WORK/rush-errors" ] && errors=$(wc -l <"$WORK/rush-errors")
  added=$(psql "$PG" -tAqc "SELECT count(*) - $before FROM incidents")
  dupes=$(psql "$PG" -tAqc "SELECT count(*) - count(DISTINCT (shop_id, id)) FROM incidents")
  RUSH="8 terminals × 200 logs at once: ${took} ms, ${errors} errors, ${added} incidents added, ${dupes} numbers given twice (target: 0 errors, 1600 added, 0 twice)."
  {
    echo "| work | makegood ms | peer ms | makegood/peer | target | met? |"
    echo "|---|---:|---:|---:|---|---|"
    awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$RESULTS"
    echo
    echo "$RUSH"
    echo
    echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "Machine: $(nproc) cores, $(uname -sr); $(psql --version); makegood $("$MG" --version | cut -d' ' -f2-)."
  } | tee bench/last-run-postgres.md
  exit 0
fi

# 1. Start-up floor: an empty Rust program.
printf 'fn main() {}\n' >"$WORK/empty.rs"
rustc -O -o "$WORK/empty" "$WORK/empty.rs"
compare "startup: --version vs an empty Rust binary" "ratio<=1.5" "$MG --version" "$WORK/empty"

# 2. Logging one incident with its evaluation vs one INSERT, here and (step 7) at 10,000.
INSERT="INSERT INTO incidents (customer_id, opened_at, category, currency, severity, summary) VALUES (1, '2026-11-20T10:00:00Z', 'delivery', 'EUR', 4, 'Bench')"
compare "log one incident with eval vs one INSERT, ${ROWS} incidents" "ratio<=1.3" \
  "$MG --db $DB ${LOG[*]@Q}" "sqlite3 $DB \"$INSERT\""

# 3. The weekly report vs the same metrics in plain SQL (bench/report.sql).
RUNS=10 compare "weekly report (csv) vs the same metrics in SQL, ${ROWS} incidents" "ratio<=1.0" \
  "$MG --db $DB report --week 2026-W46 --format csv" "sqlite3 $DB < bench/report.sql"

# 4. CSV export of every incident vs sqlite3 -csv over the same columns, and peak memory.
EXPORT_SQL="SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, i.category, i.severity, i.status, i.outcome, i.order_value, i.currency, i.product, i.order_ref, i.channel, i.asked, i.summary, i.first_response_at, i.remedied_at, i.closed_at FROM incidents i JOIN customers c ON c.id = i.customer_id ORDER BY i.opened_at, i.id"
RUNS=3 compare "export all incidents to CSV, ${ROWS} rows" "ratio<1.0" \
  "$MG --db $DB export incidents --format csv > $WORK/mg.csv" \
  "sqlite3 -csv -header $DB '$EXPORT_SQL' > $WORK/sq.csv"
peak() { /usr/bin/time -v sh -c "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.1f", $2/1024}'; }
MEM_MG=$(peak "$MG --db $DB export incidents --format csv > /dev/null")
MEM_SQ=$(peak "sqlite3 -csv -header $DB '$EXPORT_SQL' > /dev/null")

# 5. Everyday listings on the big database.
compare "list --open --limit 10, ${ROWS} incidents" "ms<20" "$MG --db $DB list --open --limit 10" \
  "sqlite3 $DB \"SELECT * FROM incidents WHERE status <> 'closed' ORDER BY opened_at DESC LIMIT 10\""
compare "due (csv) vs the same lookups in SQL, ${ROWS} incidents" "ms<20" \
  "$MG --db $DB due --format csv" "sqlite3 -csv $DB < bench/due.sql"

# 6. Importing every exported row into an empty database vs sqlite3 .import into one table,
# followed by the same indexes makegood's incidents table has (read from its schema).
"$MG" --db "$DB" export incidents --raw --format csv >"$WORK/all.csv"
sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL" |
  sed 's/ ON incidents *(/ ON staging(/' >"$WORK/indexes.sql"
RUNS=3 compare "import ${ROWS} incidents from CSV vs .import + the same indexes" "ratio<=1.0" \
  "$MG --db $WORK/imp.db -q import incidents --raw $WORK/all.csv" \
  "sqlite3 $WORK/imp2.db -cmd '.mode csv' '.import $WORK/all.csv staging' '.read $WORK/indexes.sql'" \
  "sh -c 'rm -f $WORK/imp.db* $WORK/imp2.db*'"

# 7. Growth against Taskwarrior: add and list with as many pending tasks as incidents; and
# log with its evaluation at this size, to set beside line 2.
for size in "${TASKS[@]}"; do
  SMALL=$WORK/small-$size.db
  "$GEN" "$SMALL" "$size" 2>/dev/null
  sync
  export TASKDATA=$WORK/task-$size TASKRC=$WORK/taskrc
  mkdir -p "$TASKDATA"; printf 'data.location=%s\nconfirmation=off\nverbose=nothing\n' "$TASKDATA" >"$TASKRC"
  python3 -c "
import json
for i in range($size):
    print(json.dumps({'description': f'Generated complaint {i}', 'status': 'pending', 'entry': '20250101T000000Z', 'uuid': f'00000000-0000-4000-8000-{i:012d}'}))
" >"$WORK/tasks.json"
  task import "$WORK/tasks.json" >/dev/null 2>&1
  # The issue's target against Taskwarrior is at 100,000: at least 50 times faster.
  fifty=-; [[ $size == 100000 ]] && fifty="ratio<=0.02"
  compare "log one incident with eval vs one INSERT, $size incidents" "ratio<=1.3" \
    "$MG --db $SMALL ${LOG[*]@Q}" "sqlite3 $SMALL \"$INSERT\""
  RUNS=5 compare "log vs task add, $size incidents/tasks" "$fifty" \
    "$MG --db $SMALL --no-input -q log --customer Bench --category late --summary Bench" \
    "task add Bench"
  RUNS=5 compare "list --limit 10 vs task list limit:10, $size" "$fifty" \
    "$MG --db $SMALL list --limit 10" "task list limit:10"
done

{
  echo "| work | makegood ms | peer ms | makegood/peer | target | met? |"
  echo "|---|---:|---:|---:|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$RESULTS"
  echo
  echo "Peak memory of the full CSV export: makegood ${MEM_MG} MiB, sqlite3 ${MEM_SQ} MiB (target: makegood under 16 MiB)."
  echo
  awk -F'\t' '/^log one incident with eval/ { n = $1; sub(/.*, /, "", n); sub(/ .*/, "", n); ms[n + 0] = $2 }
    END { for (n in ms) if (n + 0 > big) big = n + 0
          printf "Growth of log with eval: %s ms at 10000 incidents, %s ms at %d: %.2f× (target: no growth).\n", ms[10000], ms[big], big, ms[big] / ms[10000] }' "$RESULTS"
  echo
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine adds noise to every line)."
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(sqlite3 --version | cut -d' ' -f1) (sqlite3), $(task --version) (task), $(hyperfine --version); makegood $("$MG" --version | cut -d' ' -f2-)."
} | tee bench/last-run.md
