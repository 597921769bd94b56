#!/usr/bin/env bash
# Two SRO Field Log nodes on ONE PostgreSQL and ONE Redis, behind a round-robin proxy, all on
# 127.0.0.1 with free ports: the multi-node set-up of docs/deployment.md, throwaway, on one machine.
#
#   scripts/cluster.sh [run] [proxy options]  start everything, print the URLs, wait; Ctrl+C stops it all
#   scripts/cluster.sh start [proxy options]  start everything in the background and return
#   scripts/cluster.sh stop                   stop everything `start` started and delete its data
#   scripts/cluster.sh status                 what runs, with URLs and PIDs
#   scripts/cluster.sh kill-node N            SIGKILL node N (gunicorn master and workers): a crash
#   scripts/cluster.sh start-node N           start node N again, on its port, with its settings
#
# Proxy options (lossy mode, for tests; see scripts/rr_proxy.py):
#   --drop-requests R  --drop-responses R  --seed S
# Environment:
#   CLUSTER_DIR   the cluster's state (settings, PIDs, logs); default ${TMPDIR:-/tmp}/sro-cluster-<uid>
#   NODE_WORKERS  gunicorn workers per node (default 2)
#   Anything else the app reads (LOGIN_LIMIT_PER_ADDRESS, SESSION_IDLE_MINUTES, ...) passes through
#   to the nodes; the script itself sets SRO_ENV=production, SECRET_KEY, DATABASE_URL,
#   RATELIMIT_STORAGE_URI, PROXY_HOPS=1 and SESSION_COOKIE_SECURE=false (plain http on loopback).
# Needs `make install` (the .venv), PostgreSQL's server binaries and redis-server (`make system-deps`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/sro-cluster-$(id -u)}"
STATE="$CLUSTER_DIR/cluster.env"
NODE_WORKERS="${NODE_WORKERS:-2}"
NODES=(1 2)
START_SECONDS=60
STOP_SECONDS=15

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "cluster.sh: $*"; }

# --- processes ---------------------------------------------------------------------------

# Alive and not a zombie: `run` reaps its own children only when it exits.
alive() {
  local pid="$1" stat
  [[ -n "$pid" ]] && stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

pid_of() { cat "$CLUSTER_DIR/$1.pid" 2>/dev/null || true; }

# Every long-running piece runs in a session of its own (setsid without a fork keeps the PID), so
# a signal to -PID reaches a gunicorn master and its workers together, and Ctrl+C on `run` reaches
# only this script, which then stops everything in order. Output goes to $CLUSTER_DIR/NAME.log.
launch() {
  local name="$1"; shift
  setsid "$@" >"$CLUSTER_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/$name.pid"
}

# SIGTERM to the process group, SIGKILL to what is left after STOP_SECONDS.
stop_process() {
  local name="$1" pid waited=0
  pid="$(pid_of "$name")"
  if alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && (( waited < STOP_SECONDS * 10 )); do sleep 0.1; waited=$((waited + 1)); done
    if alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  fi
  rm -f "$CLUSTER_DIR/$name.pid"
}

wait_for_port() {
  local name="$1" port="$2" waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    alive "$(pid_of "$name")" || die "$name stopped while starting; the end of its log:
$(tail -n 30 "$CLUSTER_DIR/$name.log" 2>/dev/null)"
    (( waited < START_SECONDS * 10 )) || die "$name did not listen on port $port within ${START_SECONDS}s"
    sleep 0.1; waited=$((waited + 1))
  done
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- PostgreSQL (like tests/db_support.py's PostgresServer) --------------------------------

find_pg_bin() {
  local found
  found="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"  # the newest version
  if [[ -z "$found" || ! -x "$found/initdb" ]]; then
    found="$(dirname "$(command -v initdb || echo /usr/local/bin/initdb)")"
  fi
  [[ -x "$found/initdb" ]] || die "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin, \
on PATH or in /usr/local/bin); \`make system-deps\` installs it."
  echo "$found"
}

# PostgreSQL refuses to run as root: as root, its files belong to user postgres and it runs as them.
as_pg_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgresql() {
  local bin options
  bin="$(find_pg_bin)"
  # A folder of its own in /tmp: user postgres cannot reach one inside a private folder (pytest's tmp).
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sro-cluster-pg.XXXXXX")"
  PG_PORT="$(free_port)"
  PG_BIN="$bin"
  mkdir "$PG_DIR/sockets"
  echo "$DB_PASSWORD" >"$PG_DIR/pwfile"
  if [[ "$(id -u)" == 0 ]]; then chown -R postgres "$PG_DIR"; fi
  as_pg_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$PG_DIR/pwfile" --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 \
    || die "initdb failed: $(tail -n 20 "$CLUSTER_DIR/initdb.log")"
  rm -f "$PG_DIR/pwfile"
  # Throwaway data: durability costs time and buys nothing here.
  options="-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR/sockets"
  options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_pg_owner "$bin/pg_ctl" start -w -t "$START_SECONDS" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
    -o "$options" >/dev/null || die "PostgreSQL did not start: $(tail -n 20 "$PG_DIR/server.log" 2>/dev/null)"
  # The app connects as an ordinary owner of its database, as in docs/deployment.md, not as a superuser.
  as_pg_owner "$bin/psql" -h "$PG_DIR/sockets" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE sro LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE sro_field_log OWNER sro" >/dev/null
}

stop_postgresql() {
  [[ -n "${PG_DIR:-}" && -d "$PG_DIR" ]] || return 0
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    as_pg_owner "$PG_BIN/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t "$STOP_SECONDS" >/dev/null 2>&1 \
      || as_pg_owner "$PG_BIN/pg_ctl" stop -D "$PG_DIR/data" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}

# --- Redis: the sign-in limiter's shared counters -------------------------------------------

start_redis() {
  [[ -x /usr/bin/redis-server ]] || command -v redis-server >/dev/null \
    || die "redis-server is not installed; \`make system-deps\` installs it."
  REDIS_PORT="$(free_port)"
  launch redis "$(command -v redis-server || echo /usr/bin/redis-server)" --port "$REDIS_PORT" \
    --bind 127.0.0.1 --save "" --appendonly no --dir "$CLUSTER_DIR"
  wait_for_port redis "$REDIS_PORT"
}

# --- the app nodes --------------------------------------------------------------------------

node_environment() {
  echo SRO_ENV=production SECRET_KEY="$SECRET_KEY" \
    DATABASE_URL="postgresql://sro:$DB_PASSWORD@127.0.0.1:$PG_PORT/sro_field_log" \
    RATELIMIT_STORAGE_URI="redis://127.0.0.1:$REDIS_PORT/0" PROXY_HOPS=1 SESSION_COOKIE_SECURE=false
}

migrate() {
  # shellcheck disable=SC2046  # node_environment prints NAME=value words without spaces
  (cd "$ROOT" && env -u SRO_FROZEN_NOW $(node_environment) "$ROOT/.venv/bin/flask" --app wsgi db upgrade) \
    >"$CLUSTER_DIR/migrate.log" 2>&1 || die "migrations failed: $(tail -n 20 "$CLUSTER_DIR/migrate.log")"
}

node_port() { local name="NODE$1_PORT"; echo "${!name}"; }

start_node() {
  local n="$1" port
  port="$(node_port "$n")"
  alive "$(pid_of "node$n")" && die "node $n is already running (pid $(pid_of "node$n"))"
  # shellcheck disable=SC2046
  launch "node$n" env -u SRO_FROZEN_NOW $(node_environment) "$ROOT/.venv/bin/gunicorn" --chdir "$ROOT" \
    --no-control-socket --workers "$NODE_WORKERS" --bind "127.0.0.1:$port" --graceful-timeout 5 wsgi:app
  wait_for_port "node$n" "$port"
}

kill_node() {
  local n="$1" pid waited=0
  pid="$(pid_of "node$n")"
  alive "$pid" || die "node $n is not running"
  kill -KILL -- "-$pid"
  while alive "$pid" && (( waited < STOP_SECONDS * 10 )); do sleep 0.1; waited=$((waited + 1)); done
  rm -f "$CLUSTER_DIR/node$n.pid"
  say "node $n (pid $pid and its workers) killed with SIGKILL"
}

# --- the proxy --------------------------------------------------------------------------------

start_proxy() {
  local arguments=(--listen "127.0.0.1:$PROXY_PORT") n
  for n in "${NODES[@]}"; do arguments+=(--node "127.0.0.1:$(node_port "$n")"); done
  launch proxy "$PYTHON" "$ROOT/scripts/rr_proxy.py" "${arguments[@]}" "$@"
  wait_for_port proxy "$PROXY_PORT"
}

# --- the whole cluster ------------------------------------------------------------------------

save_state() {
  local n
  {
    echo "PROXY_URL=http://127.0.0.1:$PROXY_PORT"
    for n in "${NODES[@]}"; do echo "NODE${n}_URL=http://127.0.0.1:$(node_port "$n")"; done
    echo "DATABASE_URL=postgresql://sro:$DB_PASSWORD@127.0.0.1:$PG_PORT/sro_field_log"
    echo "RATELIMIT_STORAGE_URI=redis://127.0.0.1:$REDIS_PORT/0"
    echo "SECRET_KEY=$SECRET_KEY"
    echo "DB_PASSWORD=$DB_PASSWORD"
    echo "PG_DIR=$PG_DIR"
    echo "PG_BIN=$PG_BIN"
    echo "PG_PORT=$PG_PORT"
    echo "REDIS_PORT=$REDIS_PORT"
    echo "PROXY_PORT=$PROXY_PORT"
    for n in "${NODES[@]}"; do echo "NODE${n}_PORT=$(node_port "$n")"; done
  } >"$STATE"
}

load_state() {
  [[ -f "$STATE" ]] || die "no cluster in $CLUSTER_DIR (start one with: scripts/cluster.sh start)"
  local name value
  while IFS='=' read -r name value; do printf -v "$name" '%s' "$value"; done <"$STATE"
}

start_all() {
  [[ -x "$PYTHON" ]] || die "$PYTHON is missing; run \`make install\` first."
  [[ ! -f "$STATE" ]] || die "a cluster already runs from $CLUSTER_DIR (scripts/cluster.sh stop ends it)"
  mkdir -p "$CLUSTER_DIR"
  chmod 700 "$CLUSTER_DIR"  # it holds the secret key and the database password
  umask 077
  SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
  DB_PASSWORD="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(16))')"
  # shellcheck disable=SC2034  # NODEn_PORT are read through node_port
  PROXY_PORT="$(free_port)" NODE1_PORT="$(free_port)" NODE2_PORT="$(free_port)"
  PG_DIR="" PG_BIN="" PG_PORT="" REDIS_PORT=""
  # From here on a failure stops whatever did start.
  trap 'stop_all >/dev/null 2>&1' EXIT
  start_postgresql
  start_redis
  save_state
  migrate
  local n
  for n in "${NODES[@]}"; do start_node "$n"; done
  start_proxy "$@"
  trap - EXIT
  status
}

stop_all() {
  [[ -f "$STATE" ]] && load_state
  local n
  stop_process proxy
  for n in "${NODES[@]}"; do stop_process "node$n"; done
  stop_process redis
  stop_postgresql
  # Only what this script wrote: CLUSTER_DIR may be a folder the caller keeps other things in.
  rm -f "$STATE" "$CLUSTER_DIR"/{proxy,node1,node2,redis}.{pid,log} "$CLUSTER_DIR"/{initdb,migrate}.log
  rmdir --ignore-fail-on-non-empty "$CLUSTER_DIR" 2>/dev/null || true
  say "stopped; the database is deleted"
}

status() {
  load_state
  local n pid
  describe() { if alive "$1"; then echo "pid $1"; else echo "NOT RUNNING"; fi; }
  echo "proxy      $PROXY_URL  ($(describe "$(pid_of proxy)"); round robin over the nodes)"
  for n in "${NODES[@]}"; do
    pid="$(pid_of "node$n")"
    local url="NODE${n}_URL"
    echo "node $n     ${!url}  ($(describe "$pid"), gunicorn master of $NODE_WORKERS workers)"
  done
  echo "PostgreSQL $DATABASE_URL  (data in $PG_DIR)"
  echo "Redis      $RATELIMIT_STORAGE_URI  ($(describe "$(pid_of redis)"))"
  echo "state      $CLUSTER_DIR  (logs: *.log; scripts/cluster.sh stop ends it all)"
}

run_in_foreground() {
  start_all "$@"
  trap 'exit 0' INT TERM
  trap 'echo; stop_all' EXIT
  say "Ctrl+C stops everything"
  # Returns when a signal arrives (the trap then stops everything) or when every piece has ended.
  wait || true
}

# Proxy options alone mean `run` with them.
if [[ $# -eq 0 || "$1" == --* ]]; then command=run; else command="$1"; shift; fi
case "$command" in
  run) run_in_foreground "$@" ;;
  start) start_all "$@" ;;
  stop) stop_all ;;
  status) status ;;
  kill-node) load_state; [[ " ${NODES[*]} " == *" ${1:-} "* ]] || die "kill-node takes 1 or 2"; kill_node "$1" ;;
  start-node) load_state; [[ " ${NODES[*]} " == *" ${1:-} "* ]] || die "start-node takes 1 or 2"; start_node "$1"
              say "node $1 running again (pid $(pid_of "node$1"))" ;;
  *) die "unknown command $command (run, start, stop, status, kill-node N, start-node N)" ;;
esac
