#!/usr/bin/env bash
# End-to-end check of the Grafana dashboard's queries against a real Prometheus, without Docker.
#
# Starts the sample app's jar (built beforehand by `./mvnw -B verify`) with chaos on, a local
# Prometheus scraping it every second with the repository's alert rules, drives ~40 asks
# (plain, [fail:model], [fail:tool], streamed; for the tenants acme and globex in the W3C
# baggage header, acme's in one conversation, and without a tenant), then evaluates every
# `expr` of observability/grafana/dashboards/agent-observability.json through Prometheus'
# HTTP API and fails if any returns no series, or if a query by tenant_id returns other
# tenants than those (and `none`). The alert rules must pass `promtool check rules` and
# `promtool test rules` and load without errors. Needs java, curl, python3 and Debian's
# `prometheus` (which brings promtool).
# Bounded to about 3 minutes (E2E_TIME_LIMIT seconds, default 170); cleans up its processes
# and files on exit. PROMETHEUS_BIN and PROMTOOL_BIN pick other Prometheus binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=sample-rag-app/target/sample-rag-app-0.1.0-SNAPSHOT.jar
DASHBOARD=observability/grafana/dashboards/agent-observability.json
RULES=observability/prometheus/alerts.yml
RULE_TESTS=observability/prometheus/alerts-test.yml
PROMETHEUS_BIN=${PROMETHEUS_BIN:-prometheus}
PROMTOOL_BIN=${PROMTOOL_BIN:-promtool}
TIME_LIMIT=${E2E_TIME_LIMIT:-170}

log() { printf 'e2e: %s\n' "$*" >&2; }

for tool in java curl python3 "$PROMETHEUS_BIN" "$PROMTOOL_BIN"; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found"; exit 2; }
done
[[ -f $JAR ]] || { log "$JAR not found; run ./mvnw -B verify first"; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/e2e-prometheus.XXXXXX")
APP_PID=""
PROM_PID=""
WATCHDOG_PID=""

stop() {
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$PROM_PID"
  stop "$APP_PID"
  [[ -n $WATCHDOG_PID ]] && kill "$WATCHDOG_PID" 2>/dev/null || true
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted or out of time (limit ${TIME_LIMIT}s)"; exit 124' INT TERM

# Watchdog: whatever hangs, the script ends within the time limit.
(
  sleep "$TIME_LIMIT" &
  sleeper=$!
  trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  wait "$sleeper"
  kill -TERM $$ 2>/dev/null
) &
WATCHDOG_PID=$!

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for <seconds> <description> <command...>: retries the (quiet) command every half second.
wait_for() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${seconds}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

dump_log() {
  log "last lines of $1:"
  tail -n 40 "$1" >&2 || true
}

# 1. The sample app.
APP_PORT=$(free_port)
APP=http://127.0.0.1:$APP_PORT
app_args=(
  --server.port="$APP_PORT"
  --sample.chaos.enabled=true
  --agent.observability.exporters.console.enabled=false
  --agent.observability.exporters.jsonl.path="$TMP/traces/agent-traces.jsonl"
)
# Prometheus before 2.43 (Debian 12 ships 2.42) drops a whole OpenMetrics scrape that has an
# exemplar on a _count series, which Boot's trace exemplars add; turn them off for those.
prometheus_minor=$("$PROMETHEUS_BIN" --version 2>&1 | sed -n 's/^prometheus, version 2\.\([0-9]*\)\..*/\1/p')
if [[ -n $prometheus_minor && $prometheus_minor -lt 43 ]]; then
  log "Prometheus 2.$prometheus_minor rejects exemplars on _count: starting the app without exemplars"
  app_args+=(--spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration)
fi
log "starting $JAR on port $APP_PORT"
java -jar "$JAR" "${app_args[@]}" >"$TMP/app.log" 2>&1 &
APP_PID=$!

app_up() {
  kill -0 "$APP_PID" 2>/dev/null || { dump_log "$TMP/app.log"; log "the app exited"; exit 1; }
  [[ $(curl -fsS --max-time 2 "$APP/actuator/health" 2>/dev/null) == *'"status":"UP"'* ]]
}
wait_for 90 "$APP/actuator/health to be UP" app_up || { dump_log "$TMP/app.log"; exit 1; }
log "app is UP"

# 2. Prometheus scraping it every second, with the repository's alert rules.
PROM_PORT=$(free_port)
PROM=http://127.0.0.1:$PROM_PORT
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/$RULES
scrape_configs:
  - job_name: sample-rag-app
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["127.0.0.1:$APP_PORT"]
EOF
log "starting Prometheus on port $PROM_PORT"
"$PROMETHEUS_BIN" --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!

target_up() {
  kill -0 "$PROM_PID" 2>/dev/null || { dump_log "$TMP/prometheus.log"; log "Prometheus exited"; exit 1; }
  curl -fsS --max-time 2 "$PROM/api/v1/targets" 2>/dev/null | python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
sys.exit(0 if targets and all(t["health"] == "up" for t in targets) else 1)' 2>/dev/null
}
wait_for 40 "the scrape target to be up" target_up || { dump_log "$TMP/prometheus.log"; exit 1; }
log "scrape target is up"

# 3. Traffic: plain asks, model failures (5xx), tool failures (answered), streamed asks, each for
# acme, globex or no tenant in turn (the sample's meter tag tenant.id; "none" without a tenant).
failures=()
tenants=(acme globex "")
EXPECTED_TENANTS=acme,globex,none
questions=(
  "What does the batch span processor do?"
  "How does head sampling differ from tail sampling?"
  "What is a span in OpenTelemetry?"
  "How are traces exported over OTLP?"
  "What does the OpenTelemetry Collector do?"
  "Why should prompts not become metric tags?"
  "How is token usage counted for an agent run?"
  "How is the cost of a model call estimated?"
  "What is a histogram bucket in Prometheus?"
  "How does Prometheus compute a rate?"
  "What is the p95 latency of a service?"
  "How do I correlate logs with traces?"
  "What are resource attributes?"
  "What does the time to first chunk measure?"
  "How do I keep metric cardinality bounded?"
  "What does Jaeger show for a trace?"
  "How do Grafana dashboards query Prometheus?"
  "What is a retrieval augmented generation pipeline?"
  "How should tool call failures be recorded?"
  "What is the difference between a counter and a gauge?"
  "How are agent errors classified?"
  "Why export spans in batches?"
  "What does an alert rule in Prometheus look like?"
  "How does context propagate between services?"
  "What is a trace id?"
)
model_failures=(
  "[fail:model] What does the batch span processor do?"
  "[fail:model] How does Prometheus compute a rate?"
  "[fail:model] What is a span in OpenTelemetry?"
  "[fail:model] How is the cost of a model call estimated?"
  "[fail:model] What does the OpenTelemetry Collector do?"
)
tool_failures=(
  "[fail:tool] How are traces exported over OTLP?"
  "[fail:tool] What is a histogram bucket in Prometheus?"
  "[fail:tool] How do I correlate logs with traces?"
  "[fail:tool] What are resource attributes?"
  "[fail:tool] How should tool call failures be recorded?"
)
streamed=(
  "What does the time to first chunk measure?"
  "How do I keep metric cardinality bounded?"
  "What does Jaeger show for a trace?"
  "How does head sampling differ from tail sampling?"
  "Why export spans in batches?"
)

# body <question> <tenant>: acme's asks continue one conversation (the sample's chat memory).
body() {
  python3 -c 'import json, sys
body = {"question": sys.argv[1]}
if sys.argv[2] == "acme":
    body["conversationId"] = "e2e-acme-1"
print(json.dumps(body))' "$1" "$2"
}

# ask <expected status pattern> <question> <tenant or "">
ask() {
  local expected=$1 question=$2 tenant=$3 status
  local -a baggage=()
  [[ -z $tenant ]] || baggage=(-H "baggage: tenant.id=$tenant")
  status=$(curl -sS -o "$TMP/response" -w '%{http_code}' --max-time 15 "${baggage[@]}" \
    -H 'Content-Type: application/json' -d "$(body "$question" "$tenant")" "$APP/api/ask" || true)
  if [[ ! $status =~ ^($expected)$ ]]; then
    failures+=("POST /api/ask \"$question\" (tenant '${tenant}'): HTTP $status, expected $expected")
  fi
}

# stream <question> <tenant or "">
stream() {
  local question=$1 tenant=$2 status rc=0
  local -a baggage=()
  [[ -z $tenant ]] || baggage=(-H "baggage: tenant.id=$tenant")
  status=$(curl -sS -N --max-time 10 -o "$TMP/stream" -w '%{http_code}' "${baggage[@]}" \
    -H 'Content-Type: application/json' -H 'Accept: text/event-stream' \
    -d "$(body "$question" "$tenant")" "$APP/api/ask/stream") || rc=$?
  if [[ $rc -ne 0 || $status != 200 ]] || ! grep -q '^data:' "$TMP/stream"; then
    failures+=("POST /api/ask/stream \"$question\" (tenant '${tenant}'): HTTP $status, curl exit $rc, expected 200 with SSE data")
  fi
}

log "driving $((${#questions[@]} + ${#model_failures[@]} + ${#tool_failures[@]} + ${#streamed[@]})) asks"
for i in "${!questions[@]}"; do
  ask 200 "${questions[$i]}" "${tenants[$((i % 3))]}"
  # Interleave the failures and streams with the plain asks.
  if ((i % 5 == 4)); then
    j=$((i / 5))
    ask '5[0-9][0-9]' "${model_failures[$j]}" "${tenants[$((j % 3))]}"
    ask 200 "${tool_failures[$j]}" "${tenants[$(((j + 1) % 3))]}"
    stream "${streamed[$j]}" "${tenants[$((j % 3))]}"
  fi
done

log "waiting for a few scrapes"
sleep 6

# 4. The alert rules pass promtool's checks and unit tests, every alert of the file is loaded,
# and they evaluate without errors.
if ! "$PROMTOOL_BIN" check rules "$RULES" >"$TMP/promtool.log" 2>&1 \
  || ! "$PROMTOOL_BIN" test rules "$RULE_TESTS" >>"$TMP/promtool.log" 2>&1; then
  cat "$TMP/promtool.log" >&2
  failures+=("promtool check rules $RULES or test rules $RULE_TESTS failed (output above)")
else
  log "promtool check rules and test rules: $(grep -c SUCCESS "$TMP/promtool.log") SUCCESS"
fi
alerts_in_file=$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$RULES" | paste -sd, -)
if ! curl -fsS --max-time 5 "$PROM/api/v1/rules" | python3 -c '
import json, sys
expected = set(sys.argv[1].split(","))
groups = json.load(sys.stdin)["data"]["groups"]
rules = [r for g in groups for r in g["rules"]]
for r in rules:
    print("e2e: rule %-28s health=%-7s state=%s" % (r["name"], r.get("health"), r.get("state", "-")), file=sys.stderr)
bad = [r["name"] + ": " + r.get("lastError", "") for r in rules if r.get("health") == "err"]
missing = sorted(expected - {r["name"] for r in rules})
if not groups or not rules or bad or missing:
    print("e2e: rules not loaded or failing: %s" % (bad or missing or "no groups"), file=sys.stderr)
    sys.exit(1)
' "$alerts_in_file"; then
  failures+=("alert rules from $RULES not loaded or failing in Prometheus")
fi

# 5. Every dashboard query returns data; those by tenant_id return exactly the tenants driven.
if ! python3 - "$DASHBOARD" "$PROM" "$EXPECTED_TENANTS" <<'PY'
import json, sys, urllib.parse, urllib.request

dashboard_file, prometheus = sys.argv[1], sys.argv[2]
expected_tenants = set(sys.argv[3].split(","))
with open(dashboard_file) as f:
    dashboard = json.load(f)

def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))

exprs = []
for panel in panels(dashboard["panels"]):
    for target in panel.get("targets", []):
        if target.get("expr", "").strip():
            exprs.append((panel.get("title", "?"), target["expr"]))

empty = []
wrong_tenants = []
print("%-7s %-5s %-26s %s" % ("series", "NaN", "panel", "expr"))
for title, expr in exprs:
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            answer = json.load(response)
    except Exception as e:  # HTTP 400 for a bad query, connection errors
        answer = {"status": "error", "error": str(e)}
    if answer.get("status") != "success":
        print("%-7s %-5s %-26s %s   (%s)" % ("ERROR", "", title, expr, answer.get("error")))
        empty.append(expr)
        continue
    result = answer["data"]["result"]
    nans = sum(1 for series in result if series["value"][1] == "NaN")
    print("%-7d %-5d %-26s %s" % (len(result), nans, title, expr))
    if not result:
        empty.append(expr)
    if "by (tenant_id)" in expr:
        values = {series["metric"].get("tenant_id", ""): float(series["value"][1]) for series in result}
        for tenant in sorted(values, key=values.get, reverse=True):
            print("%-7s %-5s %-26s   tenant_id=%-8s %.8g" % ("", "", "", tenant, values[tenant]))
        if set(values) != expected_tenants:
            wrong_tenants.append("%s: tenants %s, expected %s" % (expr, sorted(values), sorted(expected_tenants)))

if empty:
    print("\ne2e: %d of %d dashboard queries returned no data:" % (len(empty), len(exprs)), file=sys.stderr)
    for expr in empty:
        print("  " + expr, file=sys.stderr)
if wrong_tenants:
    print("\ne2e: %d dashboard queries by tenant_id returned the wrong tenants:" % len(wrong_tenants), file=sys.stderr)
    for line in wrong_tenants:
        print("  " + line, file=sys.stderr)
if empty or wrong_tenants:
    sys.exit(1)
print("\ne2e: all %d dashboard queries returned data, those by tenant_id for %s" % (len(exprs), ", ".join(sorted(expected_tenants))),
      file=sys.stderr)
PY
then
  failures+=("dashboard queries without data or with the wrong tenants (listed above)")
fi

if ((${#failures[@]} > 0)); then
  log "FAILED (${SECONDS}s):"
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
log "OK (${SECONDS}s)"
