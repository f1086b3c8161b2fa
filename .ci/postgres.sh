# Sourced by .ci/run: a throwaway PostgreSQL cluster for the tests, on a Unix socket in a temp
# folder, run by a non-root user, gone when the run ends. Sets MAKEGOOD_TEST_PG to its URI.
# Debian's postgresql is installed when missing; no Docker, no TCP port.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

start_postgres() {
  if ! pg_bin >/dev/null; then
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
  local bin owner
  bin=$(pg_bin)
  PG_WORK=$(mktemp -d /tmp/makegood-pg.XXXXXX)
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    # The server refuses to run as root: the package's own user runs it.
    owner=postgres
    chown postgres "$PG_WORK"
  fi
  local as=(env)
  [ "$owner" != "$(id -un)" ] && as=(runuser -u "$owner" --)
  "${as[@]}" "$bin/initdb" --no-sync -A trust -U postgres -D "$PG_WORK/data" >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/log" -w start \
    -o "-k $PG_WORK -c listen_addresses='' -c fsync=off -c max_connections=60" >/dev/null
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_WORK/data" -m immediate stop)
  export MAKEGOOD_TEST_PG="postgresql:///postgres?host=$PG_WORK&user=postgres"
  echo "postgres: throwaway cluster on $PG_WORK (as $owner)"
}

stop_postgres() {
  if [ -n "${PG_WORK:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_WORK"
  fi
}
