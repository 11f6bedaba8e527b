#!/usr/bin/env bash
# Fault injection against the real gateway binary (release build); everything on 127.0.0.1, each part on its own
# temporary store. Three parts:
#
#   kill   signed WhatsApp deliveries (gateway-bench chaos-load) while the gateway is killed with SIGKILL at random
#          moments and restarted on the same store; then every delivery answered 200 must be in the inbox, none
#          stored twice, and its effects (customer, ticket, ticket message) there exactly once.
#   sinks  test events to five outbound endpoints whose sink is down, answers 500, answers 410, hangs, or is fine
#          (scripts/chaos_sink.py): each event must end delivered or dead-lettered, never dropped, each attempt the
#          gateway records must have reached a sink that listens, and the dead-letter API, the table and /metrics
#          must agree.
#   disk   the store on a 256 MiB tmpfs that is then filled: deliveries must be refused with 503 problem+json and
#          Retry-After (nothing acknowledged that is not stored) and /readyz must say not ready; once space is
#          freed the same process must take deliveries again and be ready, with everything acknowledged still there.
#          Needs root (mount).
#
# Prints one row per check (check, expected, got, PASS/FAIL) and exits 1 when any fails. Options, or the same as
# environment variables: --only all|kill|sinks|disk (CHAOS_ONLY), --kills N (CHAOS_KILLS), --seconds S
# (CHAOS_SECONDS), --events N (CHAOS_EVENTS), --connections C (CHAOS_CONNECTIONS), --no-build (CHAOS_BUILD=0),
# --keep (CHAOS_KEEP=1). All parts with the defaults take about a minute after the build.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

ONLY=${CHAOS_ONLY:-all}
KILLS=${CHAOS_KILLS:-5}
LOAD_SECONDS=${CHAOS_SECONDS:-30}
EVENTS=${CHAOS_EVENTS:-20}
CONNECTIONS=${CHAOS_CONNECTIONS:-8}
BUILD=${CHAOS_BUILD:-1}
KEEP=${CHAOS_KEEP:-0}
PER_SENDER=3   # consecutive messages per sender in chaos-load
APP_SECRET="chaos-app-secret"
ADMIN_TOKEN="chaos-admin-token"

usage() {
  cat <<'EOF'
usage: scripts/chaos.sh [--only all|kill|sinks|disk] [--kills N] [--seconds S] [--events N] [--connections C]
                        [--no-build] [--keep]
  --only         which part to run (default all)
  --kills        SIGKILLs of the gateway during the kill part (default 5)
  --seconds      how long the kill part sends deliveries (default 30)
  --events       test events per outbound endpoint in the sinks part (default 20, at most 500)
  --connections  deliveries in flight at once (default 8)
  --no-build     use the release binaries already built
  --keep         keep the temporary directory (stores, logs) and say where it is
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --kills) KILLS=$2; shift 2 ;;
    --seconds) LOAD_SECONDS=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "chaos.sh: unknown option '$1'" >&2; usage >&2; exit 64 ;;
  esac
done
case "$ONLY" in all|kill|sinks|disk) ;; *) echo "chaos.sh: --only takes all, kill, sinks or disk" >&2; exit 64 ;; esac
for n in "$KILLS" "$LOAD_SECONDS" "$EVENTS" "$CONNECTIONS"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "chaos.sh: '$n' is not a whole number" >&2; exit 64; }
done
if ! [[ $KILLS -ge 1 && $LOAD_SECONDS -ge 5 && $EVENTS -ge 1 && $EVENTS -le 500 && $CONNECTIONS -ge 1 ]]; then
  echo "chaos.sh: need --kills >= 1, --seconds >= 5, --events 1-500, --connections >= 1" >&2
  exit 64
fi
for tool in curl sqlite3 python3 swift; do
  command -v "$tool" >/dev/null || { echo "chaos.sh: $tool missing (bash scripts/install-deps.sh)" >&2; exit 1; }
done

log() { printf '[chaos %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
runs() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

if [ "$BUILD" = 1 ]; then
  log "building the release gateway and gateway-bench"
  swift build -c release --product gateway >&2
  swift build -c release --product gateway-bench >&2
fi
BIN=$(swift build -c release --show-bin-path)
GATEWAY=$BIN/gateway
BENCH=$BIN/gateway-bench
[ -x "$GATEWAY" ] && [ -x "$BENCH" ] || { echo "chaos.sh: build the release binaries first" >&2; exit 1; }

# --- the summary table -------------------------------------------------------------------------------------------
R_WHAT=(); R_EXPECTED=(); R_GOT=(); R_RESULT=(); SUMMARY_DONE=""; START=$SECONDS
record() {  # record WHAT EXPECTED GOT PASS|FAIL
  R_WHAT+=("$1"); R_EXPECTED+=("$2"); R_GOT+=("$3"); R_RESULT+=("$4")
  log "$4  $1: $3"
}
check_eq() { record "$1" "$2" "$3" "$([ "$3" = "$2" ] && echo PASS || echo FAIL)"; }
summary() {  # prints the table; fails when a row failed or there is none
  local failed=0 i w1=5 w2=8 w3=3
  SUMMARY_DONE=1
  for i in "${!R_WHAT[@]}"; do
    [ "${#R_WHAT[$i]}" -le "$w1" ] || w1=${#R_WHAT[$i]}
    [ "${#R_EXPECTED[$i]}" -le "$w2" ] || w2=${#R_EXPECTED[$i]}
    [ "${#R_GOT[$i]}" -le "$w3" ] || w3=${#R_GOT[$i]}
  done
  echo
  echo "chaos.sh on $(uname -n), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), $((SECONDS - START)) s:" \
       "--kills $KILLS --seconds $LOAD_SECONDS --connections $CONNECTIONS --events $EVENTS"
  printf "%-${w1}s | %-${w2}s | %-${w3}s | %s\n" check expected got result
  printf "%-${w1}s-+-%-${w2}s-+-%-${w3}s-+-%s\n" "" "" "" "------" | tr ' ' '-'
  for i in "${!R_WHAT[@]}"; do
    printf "%-${w1}s | %-${w2}s | %-${w3}s | %s\n" "${R_WHAT[$i]}" "${R_EXPECTED[$i]}" "${R_GOT[$i]}" "${R_RESULT[$i]}"
    [ "${R_RESULT[$i]}" = PASS ] || failed=$((failed + 1))
  done
  echo "$((${#R_WHAT[@]} - failed)) passed, $failed failed"
  [ "$failed" = 0 ] && [ "${#R_WHAT[@]}" -gt 0 ]
}

# --- processes, temporary files and the mount: all undone on exit -----------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-chaos.XXXXXX")
PIDS=()   # children started here and not reaped yet: the only processes killed on exit
MOUNTED=""
reap() {  # reap PID: wait for a child started here and forget it; REAPED is its exit status
  local kept=() p
  REAPED=0
  wait "$1" 2>/dev/null || REAPED=$?
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
cleanup() {
  local status=$? pid
  if [ "$status" != 0 ] && [ -z "$SUMMARY_DONE" ] && [ "${#R_WHAT[@]}" -gt 0 ]; then
    record "chaos.sh ran to the end" "yes" "stopped with exit $status (see the log above)" FAIL
    summary || true
  fi
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$MOUNTED" ]; then umount "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED" || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'log "failed (line $LINENO, exit $?): $BASH_COMMAND"' ERR

# --- helpers -----------------------------------------------------------------------------------------------------
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
wait_for() {  # wait_for SECONDS COMMAND...: succeeds once the command does, fails when the time is up
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep 0.2; done
}
sql() { sqlite3 -batch -noheader -cmd ".timeout 5000" "$1" "$2"; }
# ids DB TABLE FILE...: a scratch database DB with the ids of the files (one a line) in TABLE
ids() {
  local db=$1 table=$2 file; shift 2
  sql "$db" "DROP TABLE IF EXISTS $table; CREATE TABLE $table (id TEXT)"
  for file in "$@"; do sqlite3 "$db" ".mode csv" ".import $file $table"; done
}
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
readyz_is() { [ "$(http_status "http://127.0.0.1:$1/readyz")" = "$2" ]; }   # readyz_is PORT STATUS
admin_get() { curl -sf --max-time 10 -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$GW_PORT$1"; }
metric() {  # metric 'SERIES{LABELS}': its value on /metrics, 0 when absent
  curl -s --max-time 5 "http://127.0.0.1:$GW_PORT/metrics" \
    | awk -v s="$1" 'index($0, s " ") == 1 { v = $2 } END { printf "%d\n", v + 0 }'
}
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }   # json EXPR-OF-d < document
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pid_alive() { kill -0 "$1" 2>/dev/null; }

GW_PID=""; GW_PORT=""; GW_STARTS=0
# start_gateway LOGDIR DB CONFIG PORT: serves the store DB (PORT 0 = ephemeral) with only the environment given here,
# logging to LOGDIR/gateway-<n>.log; sets GW_PID and GW_PORT. Retries a start that fails (a port still held).
start_gateway() {
  local dir=$1 db=$2 config=$3 port=$4 attempt out
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    GW_STARTS=$((GW_STARTS + 1))
    out="$dir/gateway-$GW_STARTS.log"
    env -i PATH="$PATH" GATEWAY_HOST=127.0.0.1 GATEWAY_PORT="$port" GATEWAY_DB="$db" \
      WHATSAPP_APP_SECRET="$APP_SECRET" ADMIN_TOKEN="$ADMIN_TOKEN" \
      "$GATEWAY" serve --config "$config" >"$out" 2>&1 &
    GW_PID=$!
    PIDS+=("$GW_PID")
    if wait_for 30 started_or_gone "$out" && pid_alive "$GW_PID"; then
      GW_PORT=$(grep -o 'event=gateway_started .*' "$out" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2)
      return 0
    fi
    reap "$GW_PID"
    log "the gateway did not start (attempt $attempt): $(tail -2 "$out" | tr '\n' ' ')"
    sleep 0.3
  done
  return 1
}
started_or_gone() { grep -qs 'event=gateway_started' "$1" || ! pid_alive "$GW_PID"; }
stop_gateway() {  # SIGTERM, the graceful stop; STOP_STATUS is the exit status
  kill -TERM "$GW_PID" 2>/dev/null || true
  reap "$GW_PID"
  STOP_STATUS=$REAPED
}
backlog() {  # backlog DB: deliveries not yet normalized (in the inbox log beside DB, past the cursor) and items not
             # handled yet
  local log="${1%.sqlite}.inbox.sqlite" cursor
  cursor=$(sql "$1" "SELECT coalesce((SELECT value FROM gateway_meta WHERE key = 'inbox_log_cursor'), 0)")
  echo $(( $(sql "$log" "SELECT count(*) FROM deliveries WHERE id > $cursor")
           + $(sql "$1" "SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')
                              + (SELECT count(*) FROM inbox_items WHERE status = 'pending')") ))
}
applied() { [ "$(backlog "$1")" = 0 ]; }

# chaos_load PREFIX SECONDS [OPTION...]: sets LOAD, the gateway-bench chaos-load command for the gateway's port.
chaos_load() {
  local prefix=$1 seconds=$2; shift 2
  LOAD=("$BENCH" chaos-load --url "http://127.0.0.1:$GW_PORT/webhooks/whatsapp" --secret "$APP_SECRET"
        --seconds "$seconds" --connections "$CONNECTIONS" --per-sender "$PER_SENDER" --prefix "$prefix" "$@")
}
answers() { awk -F= -v k="$2" '$1 == k { print $2 }' "$1"; }   # answers REPORT KEY: a count chaos-load printed
answers_line() {
  echo "acked=$(answers "$1" acknowledged) refused=$(answers "$1" refused)" \
       "no_answer=$(answers "$1" transport_errors) unexpected=$(answers "$1" unexpected)"
}
# only_acked REPORT: every delivery answered 200 (none refused, nothing unexpected), and some were
only_acked() {
  [[ $(answers "$1" unexpected) == 0 && $(answers "$1" refused) == 0 && $(answers "$1" acknowledged) -gt 0 ]]
}

# store_checks NAME DB SCRATCHDIR ACKED...: what the store DB must hold once everything is applied, whatever
# happened before: every acknowledged delivery (the ids in the ACKED files), each delivery stored once, every item
# applied, and the effects once each: a customer per sender, a ticket per conversation, a ticket message per message.
store_checks() {
  local name=$1 db=$2 scratch="$3/check.sqlite"; shift 3
  ids "$scratch" acked "$@"
  q() { sqlite3 -batch -noheader -cmd ".timeout 5000" "$scratch" "ATTACH '$db' AS g; $1"; }

  local acked lost stored twice undone
  acked=$(q "SELECT count(DISTINCT id) FROM acked")
  lost=$(q "SELECT count(*) FROM acked a
            WHERE NOT EXISTS (SELECT 1 FROM g.inbox_items t WHERE t.dedupe_key = 'wa:msg:' || a.id)")
  stored=$(q "SELECT count(*) FROM g.inbox")
  twice=$(q "SELECT count(*) FROM g.inbox i WHERE (SELECT count(*) FROM g.inbox_items t
                                                 WHERE t.inbox_id = i.id AND t.kind = 'message') <> 1")
  record "$name: acknowledged deliveries lost" "0 of the acknowledged" "$lost of $acked" \
    "$([[ $lost == 0 && $acked -gt 0 ]] && echo PASS || echo FAIL)"
  record "$name: deliveries stored twice" "0 (one message item each)" "$twice of $stored stored" \
    "$([[ $twice == 0 && $stored -ge $acked ]] && echo PASS || echo FAIL)"
  undone=$(q "SELECT (SELECT count(*) FROM g.inbox WHERE status <> 'processed') || ' deliveries, '
               || (SELECT count(*) FROM g.inbox_items WHERE status NOT IN ('applied', 'ignored')) || ' items'")
  check_eq "$name: not applied (pending/failed)" "0 deliveries, 0 items" "$undone"

  local messages senders customers phones tickets doubled unopened filed unfiled
  messages=$(q "SELECT count(*) FROM g.inbox_items WHERE kind = 'message'")
  senders=$(q "SELECT dedupe_key FROM g.inbox_items WHERE kind = 'message'" \
            | awk -F. -v k="$PER_SENDER" '{ print int($NF / k) }' | sort -u | wc -l)
  customers=$(q "SELECT count(*) FROM g.customers WHERE merged_into IS NULL")
  phones=$(q "SELECT count(*) FROM g.customer_identifiers WHERE kind = 'phone'")
  record "$name: one customer per sender" "$senders customers, $senders phones" \
    "$customers customers, $phones phones" \
    "$([[ $customers == "$senders" && $phones == "$senders" ]] && echo PASS || echo FAIL)"
  tickets=$(q "SELECT count(*) FROM g.tickets WHERE channel = 'whatsapp'")
  doubled=$(q "SELECT count(*) FROM (SELECT conversation_key FROM g.tickets WHERE channel = 'whatsapp'
                                     GROUP BY conversation_key HAVING count(*) > 1)")
  unopened=$(q "SELECT count(*) FROM g.tickets k WHERE channel = 'whatsapp' AND (SELECT count(*)
                FROM g.ticket_history h WHERE h.ticket_id = k.id AND h.action = 'opened') <> 1")
  record "$name: one ticket per conversation" "$senders tickets, 0 doubled, 1 'opened' each" \
    "$tickets tickets, $doubled doubled, $unopened not opened once" \
    "$([[ $tickets == "$senders" && $doubled == 0 && $unopened == 0 ]] && echo PASS || echo FAIL)"
  filed=$(q "SELECT count(*) FROM g.ticket_messages WHERE direction = 'in'")
  unfiled=$(q "SELECT count(*) FROM g.inbox_items t WHERE kind = 'message' AND NOT EXISTS (SELECT 1
               FROM g.ticket_messages m WHERE m.direction = 'in' AND m.wa_message_id = substr(t.dedupe_key, 8))")
  record "$name: each message filed once on its ticket" "$messages ticket messages, 0 missing" \
    "$filed ticket messages, $unfiled missing" \
    "$([[ $filed == "$messages" && $unfiled == 0 ]] && echo PASS || echo FAIL)"
}

# --- 1. kill -9 under load ---------------------------------------------------------------------------------------
kill_part() {
  local dir="$WORK/kill" port load_pid load_start kills=0 restarts=0 exits=0 slot at k
  mkdir -p "$dir"
  echo '{}' >"$dir/config.json"
  log "kill: $LOAD_SECONDS s of deliveries ($CONNECTIONS in flight), $KILLS x kill -9 and restart"
  start_gateway "$dir" "$dir/g.sqlite" "$dir/config.json" 0 \
    || { record "kill: the gateway starts" "started" "did not start" FAIL; return; }
  port=$GW_PORT
  chaos_load chaos "$LOAD_SECONDS" --log "$dir/acked.txt"
  "${LOAD[@]}" >"$dir/load.out" &
  load_pid=$!
  PIDS+=("$load_pid")
  load_start=$(now_ms)
  # Kill k comes at a random moment within half a slot of k slots into the load: all while the load runs.
  slot=$((LOAD_SECONDS * 1000 / (KILLS + 1)))
  for k in $(seq 1 "$KILLS"); do
    at=$((k * slot - slot / 2 + RANDOM * slot / 32768))
    [ $((load_start + at - $(now_ms))) -le 0 ] || sleep_ms $((load_start + at - $(now_ms)))
    if pid_alive "$GW_PID"; then
      kill -9 "$GW_PID"
      reap "$GW_PID"
      kills=$((kills + 1))
    else
      reap "$GW_PID"
      exits=$((exits + 1))
      log "kill: the gateway had exited by itself (status $REAPED): $(tail -3 "$dir/gateway-$GW_STARTS.log")"
    fi
    log "kill: SIGKILL $k, $(($(now_ms) - load_start)) ms into the load, $(wc -l <"$dir/acked.txt") acknowledged"
    if start_gateway "$dir" "$dir/g.sqlite" "$dir/config.json" "$port" && wait_for 20 readyz_is "$port" 200; then
      restarts=$((restarts + 1))
    else
      log "kill: the restart failed"
      break
    fi
  done
  reap "$load_pid"
  pid_alive "$GW_PID" || exits=$((exits + 1))
  record "kill: kill -9 at random moments, restart" "$KILLS kills, $KILLS restarts ready, 0 other exits" \
    "$kills kills, $restarts restarts ready, $exits other exits" \
    "$([[ $kills == "$KILLS" && $restarts == "$KILLS" && $exits == 0 ]] && echo PASS || echo FAIL)"
  record "kill: answers seen by the sender" "200, or none while down; unexpected=0" "$(answers_line "$dir/load.out")" \
    "$([[ $(answers "$dir/load.out" unexpected) == 0 && $(answers "$dir/load.out" acknowledged) -gt 0 ]] \
       && echo PASS || echo FAIL)"
  grep '^unexpected_sample=' "$dir/load.out" >&2 || true

  local started=$SECONDS
  if pid_alive "$GW_PID" && wait_for 120 applied "$dir/g.sqlite"; then
    log "kill: everything applied $((SECONDS - started)) s after the load"
  else
    log "kill: not applied after 120 s, backlog $(backlog "$dir/g.sqlite")"
  fi
  stop_gateway
  check_eq "kill: graceful stop after the kills" "exit 0" "exit $STOP_STATUS"
  store_checks kill "$dir/g.sqlite" "$dir" "$dir/acked.txt"
  # Stored but not acknowledged: committed just before a kill, so its sender got no answer (and would send again).
  local unanswered no_answer duplicates=0
  unanswered=$(($(sql "$dir/g.sqlite" "SELECT count(*) FROM inbox") - $(sort -u "$dir/acked.txt" | wc -l)))
  no_answer=$(answers "$dir/load.out" transport_errors)
  record "kill: stored but not acknowledged" "<= requests left without an answer ($no_answer)" "$unanswered" \
    "$([[ $unanswered -ge 0 && $unanswered -le ${no_answer:-0} ]] && echo PASS || echo FAIL)"
  env -i PATH="$PATH" GATEWAY_DB="$dir/g.sqlite" "$GATEWAY" identity duplicates >"$dir/duplicates.out" 2>&1 \
    || duplicates=$?
  check_eq "kill: gateway identity duplicates" "exit 0" "exit $duplicates"
}

# --- 2. outbound sink faults -------------------------------------------------------------------------------------
# sinks_start enqueues the test events; they settle (the 410 case only at the one-minute retry horizon) while the
# other parts run, and sinks_finish checks them.
SINKS_STARTED=""
sinks_start() {
  local dir="$WORK/sinks" base down_port case
  mkdir -p "$dir"
  python3 scripts/chaos_sink.py "$dir/sink.log" >"$dir/sink.port" 2>"$dir/sink.err" &
  SINK_PID=$!
  PIDS+=("$SINK_PID")
  wait_for 10 [ -s "$dir/sink.port" ] || { record "sinks: the sink starts" "a port" "none" FAIL; return; }
  base="http://127.0.0.1:$(head -1 "$dir/sink.port")"
  down_port=$(free_port)   # nothing listens there: connection refused
  # Short retries so each case settles in seconds; the retry horizon (1 minute, its minimum) ends the 410 case,
  # whose queue waits behind the disabled endpoint, and whatever an open breaker holds back.
  cat >"$dir/config.json" <<EOF
{"outbound": {"connect_timeout": "1s", "total_timeout": "2s", "retry_schedule": ["200ms", "500ms"],
  "max_attempts": 3, "max_retry_age": "1m", "breaker_cool_down": "1s", "poll_interval": "100ms", "lease": "10s",
  "endpoints": {
    "sink-down": {"url": "http://127.0.0.1:$down_port/down"},
    "sink-500": {"url": "$base/500"},
    "sink-410": {"url": "$base/410", "max_concurrency": 1},
    "sink-hang": {"url": "$base/hang", "total_timeout": "1s"},
    "sink-ok": {"url": "$base/ok"}}}}
EOF
  start_gateway "$dir" "$dir/g.sqlite" "$dir/config.json" 0 \
    || { record "sinks: the gateway starts" "started" "did not start" FAIL; return; }
  log "sinks: $EVENTS test events to each of sink-down, sink-500, sink-410, sink-hang, sink-ok"
  declare -gA BATCH
  for case in down 500 410 hang ok; do
    BATCH[$case]=$(curl -sf --max-time 10 -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
      -d "{\"count\": $EVENTS}" "http://127.0.0.1:$GW_PORT/v1/endpoints/sink-$case/test-events" \
      | json 'd["batch_id"]') || BATCH[$case]=""
  done
  SINKS_STARTED=$SECONDS SINKS_GW_PID=$GW_PID SINKS_GW_PORT=$GW_PORT
}

sinks_finish() {
  [ -n "$SINKS_STARTED" ] || return 0
  local dir="$WORK/sinks" db="$WORK/sinks/g.sqlite" case
  GW_PID=$SINKS_GW_PID GW_PORT=$SINKS_GW_PORT
  unsettled() { sql "$db" "SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')"; }
  settled() { [ "$(unsettled)" = 0 ]; }
  if wait_for 150 settled; then
    log "sinks: every event settled $((SECONDS - SINKS_STARTED)) s after it was enqueued"
  else
    log "sinks: $(unsettled) events still queued after $((SECONDS - SINKS_STARTED)) s"
  fi

  local total_dead=0 api_total=0 metrics_agree=yes
  for case in down 500 410 hang ok; do
    local endpoint="sink-$case" b=${BATCH[$case]} delivered dead lost reasons attempts received api counted reason
    delivered=$(sql "$db" "SELECT count(*) FROM outbox WHERE endpoint = '$endpoint' AND status = 'delivered'
                           AND idempotency_key LIKE '$b.%'")
    dead=$(sql "$db" "SELECT count(*) FROM dead_letters WHERE endpoint = '$endpoint' AND idempotency_key LIKE '$b.%'")
    lost=$(sql "$db" "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $EVENTS - 1)
      SELECT count(*) FROM s
      WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = '$b.' || i AND status = 'delivered')
        AND NOT EXISTS (SELECT 1 FROM dead_letters WHERE idempotency_key = '$b.' || i)")
    reasons=$(sql "$db" "SELECT group_concat(r, ' ') FROM (SELECT reason || '/' || error_class || ':' || count(*)
                         AS r FROM dead_letters WHERE endpoint = '$endpoint' GROUP BY reason, error_class)")
    # Attempts the gateway recorded (the horizon's entries in a letter's history are none) against the requests the
    # sink read: a sink that is up must have seen each one.
    attempts=$(sql "$db" "SELECT (SELECT count(*) FROM dead_letters d, json_each(d.history) h
                                  WHERE d.endpoint = '$endpoint'
                                    AND json_extract(h.value, '$.error_class') <> 'expired')
                               + (SELECT coalesce(sum(attempts), 0) FROM outbox WHERE endpoint = '$endpoint')")
    received=$(awk -v p="/$case" '$1 == p' "$dir/sink.log" | wc -l)
    api=$(admin_get "/v1/dead-letters?endpoint=$endpoint&limit=500" \
          | json 'len(d["items"]) if d["next_cursor"] is None else "more"') || api="?"
    counted=()   # /metrics: delivered, then every dead-letter outcome added up
    for reason in delivered exhausted gone permanent undeliverable; do
      counted+=("$(metric "gateway_outbound_deliveries_total{endpoint=\"$endpoint\",outcome=\"$reason\"}")")
    done
    [[ ${counted[0]} == "$delivered" && $((counted[1] + counted[2] + counted[3] + counted[4])) == "$dead" ]] \
      || metrics_agree="no ($endpoint)"
    total_dead=$((total_dead + dead))
    if [ "$api" = "$dead" ]; then api_total=$((api_total + api)); else api_total="$endpoint: $api"; fi

    local got="delivered=$delivered dead=$dead lost=$lost [${reasons:-none}] attempts=$attempts sink saw $received"
    case $case in
      down)
        record "sinks: (a) down, connection refused" "$EVENTS dead-lettered, 0 delivered, 0 lost" "$got" \
          "$([[ $dead == "$EVENTS" && $delivered == 0 && $lost == 0 ]] && echo PASS || echo FAIL)" ;;
      500)
        record "sinks: (b) answers 500" "$EVENTS dead-lettered after the retries, each attempt seen, 0 lost" "$got" \
          "$([[ $dead == "$EVENTS" && $lost == 0 && $received -gt 0 && $attempts == "$received" ]] \
             && echo PASS || echo FAIL)" ;;
      410)
        local gone disabled
        gone=$(sql "$db" "SELECT count(*) FROM dead_letters WHERE endpoint = '$endpoint' AND reason = 'gone'")
        disabled=$(admin_get /v1/endpoints | json '[e for e in d["items"] if e["name"] == "sink-410"][0]["disabled"]') \
          || disabled="?"
        record "sinks: (c) answers 410 Gone" \
          "$EVENTS dead-lettered (410s 'gone', the rest at the horizon), disabled, 0 lost" \
          "$got, disabled=$disabled" \
          "$([[ $dead == "$EVENTS" && $lost == 0 && $gone -ge 1 && $gone == "$received" && $attempts == "$gone"
                && $disabled == True ]] \
             && echo PASS || echo FAIL)" ;;
      hang)
        local longest
        longest=$(sql "$db" "SELECT coalesce(max(json_extract(h.value, '$.duration_ms')), 0)
                             FROM dead_letters d, json_each(d.history) h WHERE d.endpoint = '$endpoint'")
        record "sinks: (d) hangs, total_timeout 1s" "$EVENTS dead-lettered, each attempt seen, cut at ~1 s, 0 lost" \
          "$got, longest attempt ${longest} ms" \
          "$([[ $dead == "$EVENTS" && $lost == 0 && ${longest%.*} -le 1500 && $received -gt 0
                && $attempts == "$received" ]] \
             && echo PASS || echo FAIL)" ;;
      ok)
        local distinct
        distinct=$(awk '$1 == "/ok" { print $2 }' "$dir/sink.log" | sort -u | grep -c "^$b\." || true)
        record "sinks: (e) fine" "$EVENTS delivered, each once at the sink, 0 dead" "$got ($distinct distinct)" \
          "$([[ $delivered == "$EVENTS" && $distinct == "$EVENTS" && $received == "$EVENTS" && $attempts == "$EVENTS"
                && $dead == 0 ]] && echo PASS || echo FAIL)" ;;
    esac
  done
  local gauge
  gauge=$(metric gateway_dead_letters)
  record "sinks: dead letters: table, GET /v1/dead-letters, /metrics" "the same count" \
    "table $total_dead, api $api_total, gateway_dead_letters $gauge" \
    "$([[ $api_total == "$total_dead" && $gauge == "$total_dead" ]] && echo PASS || echo FAIL)"
  check_eq "sinks: /metrics outcomes per endpoint = table" "yes" "$metrics_agree"
  stop_gateway
  check_eq "sinks: graceful stop" "exit 0" "exit $STOP_STATUS"
  kill "$SINK_PID" 2>/dev/null || true
  reap "$SINK_PID"
}

# --- 3. full disk and recovery -----------------------------------------------------------------------------------
disk_part() {
  local dir="$WORK/disk" mnt="$WORK/disk/mnt" pid ready body
  mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=256m tmpfs "$mnt" 2>"$dir/mount.err"; then
    record "disk: mount a 256 MiB tmpfs" "mounted (needs root)" "$(head -1 "$dir/mount.err")" FAIL
    return
  fi
  MOUNTED=$mnt
  # Not ready under 16 MiB free, nor for 3 s after a refused write (short, so that recovery shows quickly).
  echo '{"store": {"readiness_min_free_mib": 16, "readiness_failure_window": "3s"}}' >"$dir/config.json"
  start_gateway "$dir" "$mnt/g.sqlite" "$dir/config.json" 0 \
    || { record "disk: the gateway starts" "started" "did not start" FAIL; return; }
  pid=$GW_PID
  chaos_load diskA 2 --log "$dir/acked-a.txt"
  "${LOAD[@]}" >"$dir/load-a.out"
  ready=$(http_status "http://127.0.0.1:$GW_PORT/readyz")
  record "disk: before it fills, deliveries" "all 200, /readyz 200" \
    "$(answers_line "$dir/load-a.out"), /readyz $ready" \
    "$(only_acked "$dir/load-a.out" && [[ $ready == 200 ]] && echo PASS || echo FAIL)"

  log "disk: filling the $(df -h --output=avail "$mnt" | tail -1 | tr -d ' ') left on the tmpfs"
  dd if=/dev/zero of="$mnt/filler" bs=1M 2>/dev/null || true
  dd if=/dev/zero of="$mnt/filler-small" bs=4k 2>/dev/null || true
  body=$(curl -s --max-time 5 -D "$dir/readyz.headers" "http://127.0.0.1:$GW_PORT/readyz" || true)
  ready="$(awk 'NR == 1 { print $2 }' "$dir/readyz.headers") $(grep -i '^content-type:' "$dir/readyz.headers" \
          | tr -d '\r' | cut -d' ' -f2)"
  record "disk full: /readyz" "503 application/problem+json, naming the cause" \
    "$ready: $(json 'd["detail"][:72]' <<<"$body" 2>/dev/null || echo "$body")" \
    "$([[ $ready == "503 application/problem+json" ]] && echo PASS || echo FAIL)"

  chaos_load diskB 3 --log "$dir/acked-b.txt" --refused-log "$dir/refused-b.txt"
  "${LOAD[@]}" >"$dir/load-b.out"
  grep '^unexpected_sample=' "$dir/load-b.out" >&2 || true
  record "disk full: webhook answers" "503 problem+json with Retry-After, or 200; nothing else" \
    "$(answers_line "$dir/load-b.out")" \
    "$([[ $(answers "$dir/load-b.out" unexpected) == 0 && $(answers "$dir/load-b.out" transport_errors) == 0
          && $(answers "$dir/load-b.out" refused) -gt 0 ]] && echo PASS || echo FAIL)"
  ready=$(http_status "http://127.0.0.1:$GW_PORT/readyz")
  record "disk full: after the load" "the same process, /readyz 503" \
    "$(pid_alive "$pid" && echo "the same process" || echo "process gone"), /readyz $ready" \
    "$(pid_alive "$pid" && [[ $ready == 503 ]] && echo PASS || echo FAIL)"

  rm -f "$mnt/filler" "$mnt/filler-small"
  local freed=$SECONDS
  wait_for 30 readyz_is "$GW_PORT" 200 || true
  ready=$(http_status "http://127.0.0.1:$GW_PORT/readyz")
  record "disk freed: /readyz without a restart" "200 within 30 s, the same process" \
    "$ready after $((SECONDS - freed)) s, $(pid_alive "$pid" && echo "the same process" || echo "process gone")" \
    "$([[ $ready == 200 ]] && pid_alive "$pid" && echo PASS || echo FAIL)"
  chaos_load diskC 2 --log "$dir/acked-c.txt"
  "${LOAD[@]}" >"$dir/load-c.out"
  record "disk freed: deliveries" "all 200" "$(answers_line "$dir/load-c.out")" \
    "$(only_acked "$dir/load-c.out" && echo PASS || echo FAIL)"

  wait_for 120 applied "$mnt/g.sqlite" || log "disk: not applied after 120 s, backlog $(backlog "$mnt/g.sqlite")"
  stop_gateway
  check_eq "disk: graceful stop" "exit 0" "exit $STOP_STATUS"
  ids "$dir/refused.sqlite" refused "$dir/refused-b.txt"
  check_eq "disk full: refused (503) deliveries stored anyway" "0" "$(sqlite3 -batch -noheader "$dir/refused.sqlite" \
    "ATTACH '$mnt/g.sqlite' AS g; SELECT count(*) FROM refused r
     WHERE EXISTS (SELECT 1 FROM g.inbox_items t WHERE t.dedupe_key = 'wa:msg:' || r.id)")"
  store_checks disk "$mnt/g.sqlite" "$dir" "$dir/acked-a.txt" "$dir/acked-b.txt" "$dir/acked-c.txt"
  umount "$mnt" && MOUNTED=""
}

# --- run ---------------------------------------------------------------------------------------------------------
# A command that fails unexpectedly stops the script; the table is then printed with what was checked so far and a
# failing row. The sink events settle (the 410 case only at the one-minute retry horizon) while the other parts run.
START=$SECONDS
if runs sinks; then sinks_start; fi
if runs kill; then kill_part; fi
if runs disk; then disk_part; fi
if runs sinks; then sinks_finish; fi
summary || exit 1
