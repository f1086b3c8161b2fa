#!/usr/bin/env bash
# makegood against the tools a user would reach for instead, on the same machine in one run.
#
#   bench/run.sh           1,000,000 incidents (about 10-20 minutes)
#   bench/run.sh --quick   100,000 incidents (a couple of minutes)
#
# Needs hyperfine, sqlite3, taskwarrior and GNU time from Debian's packages; installs them when
# missing (as root). Prints a table of medians and makegood/peer ratios, and writes it to
# bench/last-run.md. Nothing here is a test: it measures.
set -euo pipefail
cd "$(dirname "$0")/.."

N=1000000
TASKS=(10000 100000)
if [[ "${1:-}" == "--quick" ]]; then N=100000; TASKS=(10000); fi

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

# One line of the table: a label, then makegood's command and the peer's, timed together.
compare() {
  local label=$1 ours=$2 peer=$3 prepare=${4:-true}
  # Without a shell in between unless a command needs one (redirections): a shell adds about a
  # millisecond to both sides, which hides the difference in the short commands.
  local shell=(-N)
  if [[ "$ours$peer" == *[\<\>]* ]]; then shell=(); fi
  hyperfine "${shell[@]}" --warmup 2 --runs "${RUNS:-10}" --prepare "$prepare" --export-json "$WORK/h.json" \
    -n makegood "$ours" -n peer "$peer" >/dev/null 2>"$WORK/hyperfine.err" ||
    { cat "$WORK/hyperfine.err" >&2; echo "bench: failed on: $label" >&2; return 1; }
  python3 - "$WORK/h.json" "$label" >>"$RESULTS" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]}\t{r['makegood']*1000:.1f}\t{r['peer']*1000:.1f}\t{r['makegood']/r['peer']:.2f}")
PY
}

echo "generating $N incidents..." >&2
DB=$WORK/big.db
"$GEN" "$DB" "$N" 2>/dev/null
ROWS=$(sqlite3 "$DB" 'select count(*) from incidents')

# 1. Start-up floor: an empty Rust program.
printf 'fn main() {}\n' >"$WORK/empty.rs"
rustc -O -o "$WORK/empty" "$WORK/empty.rs"
compare "startup: --version vs empty Rust binary" "$MG --version" "$WORK/empty"

# 2. Logging one incident (with its evaluation) vs one INSERT.
compare "log one incident with eval, ${ROWS} incidents" \
  "$MG --db $DB --no-input -q log --customer 'Bench Customer' --email bench@example.com --category delivery --summary 'Bench' --severity 4 --order-value 65.00 --asked refund --eval --format json" \
  "sqlite3 $DB \"INSERT INTO incidents (customer_id, opened_at, category, currency, severity, summary) VALUES (1, '2026-11-20T10:00:00Z', 'delivery', 'EUR', 4, 'Bench')\""

# 3. Weekly report vs the same metrics in plain SQL.
if "$MG" report --help >/dev/null 2>&1; then
  cat >"$WORK/report.sql" <<'SQL'
SELECT category, count(*) FROM incidents WHERE opened_at >= '2026-11-09T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY category;
SELECT severity, count(*) FROM incidents WHERE opened_at >= '2026-11-09T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY severity;
SELECT category, count(*) FROM incidents WHERE closed_at >= '2026-11-09T00:00:00Z' AND closed_at < '2026-11-16T00:00:00Z' GROUP BY category;
SELECT tier, sum(value) FROM remedies WHERE given_at >= '2026-11-09T00:00:00Z' AND given_at < '2026-11-16T00:00:00Z' GROUP BY tier;
SELECT outcome, count(*) FROM incidents WHERE closed_at >= '2026-11-09T00:00:00Z' AND closed_at < '2026-11-16T00:00:00Z' GROUP BY outcome;
SELECT count(*), sum(done_at IS NOT NULL), avg(csat) FROM follow_ups WHERE due >= '2026-11-09' AND due < '2026-11-16';
SELECT (julianday(first_response_at) - julianday(opened_at)) * 24 FROM incidents WHERE opened_at >= '2026-11-09T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' AND first_response_at IS NOT NULL ORDER BY 1;
SELECT product, count(*) FROM incidents WHERE opened_at >= '2026-08-17T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' AND product IS NOT NULL GROUP BY product HAVING count(*) >= 3;
SQL
  compare "weekly report (csv), ${ROWS} incidents" "$MG --db $DB report --week 2026-W46 --format csv" "sqlite3 $DB < $WORK/report.sql"
fi

# 4. CSV export of every incident vs sqlite3 -csv, and peak memory of both.
RUNS=3 compare "export all incidents to CSV, ${ROWS} rows" \
  "$MG --db $DB export incidents --format csv > $WORK/mg.csv" \
  "sqlite3 -csv -header $DB 'SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, i.category, i.severity, i.status, i.outcome, i.order_value, i.currency, i.product, i.order_ref, i.channel, i.asked, i.summary, i.first_response_at, i.remedied_at, i.closed_at FROM incidents i JOIN customers c ON c.id = i.customer_id ORDER BY i.opened_at, i.id' > $WORK/sq.csv"
peak() { /usr/bin/time -v sh -c "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.1f", $2/1024}'; }
MEM_MG=$(peak "$MG --db $DB export incidents --format csv > /dev/null")
MEM_SQ=$(peak "sqlite3 -csv -header $DB 'SELECT * FROM incidents' > /dev/null")

# 5. Everyday listings on the big database.
compare "list --open --limit 10, ${ROWS} incidents" "$MG --db $DB list --open --limit 10" "sqlite3 $DB \"SELECT * FROM incidents WHERE status <> 'closed' ORDER BY opened_at DESC LIMIT 10\""
if "$MG" due --help >/dev/null 2>&1; then
  cat >"$WORK/due.sql" <<'SQL'
SELECT f.id, f.due, f.action, i.id, c.name, i.category FROM follow_ups f JOIN incidents i ON i.id = f.incident_id JOIN customers c ON c.id = i.customer_id WHERE f.done_at IS NULL AND f.skipped_at IS NULL AND f.due <= '2026-11-20' AND i.status <> 'closed' ORDER BY f.due, f.id;
SELECT i.id, i.opened_at, c.name, i.category FROM incidents i JOIN customers c ON c.id = i.customer_id WHERE i.status <> 'closed' AND i.first_response_at IS NULL AND i.opened_at < '2026-11-19T10:00:00Z' ORDER BY i.opened_at;
SQL
  compare "due, ${ROWS} incidents" "$MG --db $DB due --format csv" "sqlite3 -csv $DB < $WORK/due.sql"
fi

# 6. Importing every exported row into an empty database vs sqlite3 .import plus the indexes.
"$MG" --db "$DB" export incidents --raw --format csv >"$WORK/all.csv"
SCHEMA=$(sqlite3 "$DB" .schema | grep -v sqlite_sequence)
RUNS=3 compare "import ${ROWS} incidents from CSV" \
  "$MG --db $WORK/imp.db -q import incidents --raw $WORK/all.csv" \
  "sqlite3 $WORK/imp2.db -cmd '.mode csv' '.import $WORK/all.csv staging' 'CREATE INDEX s1 ON staging(opened_at)' 'CREATE INDEX s2 ON staging(customer_id, opened_at)' 'CREATE INDEX s3 ON staging(product, opened_at)'" \
  "sh -c 'rm -f $WORK/imp.db* $WORK/imp2.db*'"

# 7. Growth against Taskwarrior: add and list with as many pending tasks as incidents.
for size in "${TASKS[@]}"; do
  SMALL=$WORK/small-$size.db
  "$GEN" "$SMALL" "$size" 2>/dev/null
  export TASKDATA=$WORK/task-$size TASKRC=$WORK/taskrc
  mkdir -p "$TASKDATA"; printf 'data.location=%s\nconfirmation=off\nverbose=nothing\n' "$TASKDATA" >"$TASKRC"
  python3 -c "
import json
for i in range($size):
    print(json.dumps({'description': f'Generated complaint {i}', 'status': 'pending', 'entry': '20250101T000000Z', 'uuid': f'00000000-0000-4000-8000-{i:012d}'}))
" >"$WORK/tasks.json"
  task import "$WORK/tasks.json" >/dev/null 2>&1
  RUNS=5 compare "log vs task add, $size incidents/tasks" \
    "$MG --db $SMALL --no-input -q log --customer 'Bench' --category late --summary 'Bench'" \
    "task add Bench"
  RUNS=5 compare "list --limit 10 vs task list limit:10, $size" \
    "$MG --db $SMALL list --limit 10" "task list limit:10"
done

{
  echo "| work | makegood ms | peer ms | makegood/peer |"
  echo "|---|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$RESULTS"
  echo
  echo "Peak memory of the full CSV export: makegood ${MEM_MG} MiB, sqlite3 ${MEM_SQ} MiB."
  echo
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine adds noise to every line)."
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(sqlite3 --version | cut -d' ' -f1) (sqlite3), $(task --version) (task), $(hyperfine --version)."
} | tee bench/last-run.md
