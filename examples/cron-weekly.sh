#!/usr/bin/env bash
# Every Monday morning: last week's report as CSV (for a spreadsheet) and Markdown (to read or
# mail), plus the overdue follow-ups. A crontab line:
#
#   0 7 * * 1  /path/to/examples/cron-weekly.sh "$HOME/reports"
#
# MAKEGOOD_DB and MAKEGOOD_POLICY are honoured; MAKEGOOD_NOW reproduces a past week exactly.
set -euo pipefail
out=${1:-.}
makegood=${MAKEGOOD_BIN:-makegood}
week=$(date -d "${MAKEGOOD_NOW:-now} - 7 days" +%G-W%V)
mkdir -p "$out"
"$makegood" --no-input report --week "$week" --format csv >"$out/week-$week.csv"
"$makegood" --no-input report --week "$week" --format markdown >"$out/week-$week.md"
# Exit 1 from `due --check` means something is overdue: keep the list, don't fail the job.
"$makegood" --no-input due --check --format csv >"$out/overdue-$week.csv" || [ $? -eq 1 ]
echo "wrote $out/week-$week.csv, $out/week-$week.md and $out/overdue-$week.csv" >&2
