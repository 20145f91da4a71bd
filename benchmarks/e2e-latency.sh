#!/usr/bin/env bash
# End-to-end overhead of the starter on the sample app (offline model), measured in one run:
# the same jar with the starter on (JSON-lines exporter on, console exporter off) and off
# (agent.observability.enabled=false), started alternately, each warmed up until its median latency
# is steady and then loaded with wrk. Prints the median of the rounds for p50/p90/p99 latency, the
# application's CPU time per request and startup time, with the on/off ratios.
#   benchmarks/e2e-latency.sh [rounds] [seconds-per-round] [connections]
# Needs wrk (Debian package) and a built sample jar:
#   ./mvnw -B -q -pl sample-rag-app -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-20}
CONNECTIONS=${3:-8}
JAR=sample-rag-app/target/sample-rag-app-0.1.0-SNAPSHOT.jar
OUT=benchmarks/target/e2e
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: build the sample first"; exit 1; }

cat > "$OUT/ask.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local questions = { "What is tail sampling?", "How is cost per hour tracked?", "What does the batch span processor do?", "How do I keep metric cardinality low?" }
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, "/api/ask", nil, '{"question":"' .. questions[(i % #questions) + 1] .. '"}')
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

cpu_ticks() { # utime + stime of a process's threads, JIT compiler threads left out, in clock ticks
  local total=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in C1\ CompilerThre*|C2\ CompilerThre*) continue ;; esac
    total=$((total + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

run() { # name, extra args...
  local name=$1; shift
  local port=18181
  java -Xms512m -Xmx512m -jar "$JAR" --server.port=$port --spring.ai.model.chat=local \
    --agent.observability.exporters.console.enabled=false \
    --agent.observability.exporters.jsonl.path="$OUT/traces/agent-traces.jsonl" \
    --logging.level.root=WARN --logging.level.io.github.agentobservability.sample.SampleRagApplication=INFO "$@" > "$OUT/$name.log" 2>&1 &
  PID=$!
  local started=""
  for _ in $(seq 1 120); do
    if curl -sf "localhost:$port/actuator/health" >/dev/null 2>&1; then started=1; break; fi
    sleep 0.5
  done
  [ -n "$started" ] || { echo "$name did not start"; cat "$OUT/$name.log"; exit 1; }
  local startup
  startup=$(grep -o 'Started SampleRagApplication in [0-9.]* seconds' "$OUT/$name.log" | grep -o '[0-9.]*' | head -1 || true)
  # Warm up until the median is steady: the JIT keeps compiling for up to a minute on these 2 cores, and
  # a measurement taken before it is done measures the compiler (5 s windows, at least 8, at most 24).
  local previous="" window p50 warmup=0
  for window in $(seq 1 24); do
    p50=$(wrk -t2 -c"$CONNECTIONS" -d5s -s "$OUT/ask.lua" "http://localhost:$port" | grep -o 'p50_ms=[0-9.]*' | cut -d= -f2)
    warmup=$((warmup + 5))
    if [ "$window" -ge 8 ] && [ -n "$previous" ] && python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(a - b) <= 0.03 * b else 1)" "$p50" "$previous"; then
      break
    fi
    previous=$p50
  done
  local result cpu_before cpu_after requests cpu_us
  cpu_before=$(cpu_ticks "$PID")
  result=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/ask.lua" "http://localhost:$port" | grep '^RESULT')
  cpu_after=$(cpu_ticks "$PID")
  requests=$(echo "$result" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  # CPU time the application used per request (user + system, every thread but the JIT compiler's):
  # far steadier than latency when wrk shares the cores, and what the starter adds to each request.
  cpu_us=$(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
  echo "$name startup_s=${startup:-?} warmup_s=$warmup $result cpu_us_per_request=$cpu_us" | tee -a "$OUT/results.txt"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

: > "$OUT/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  run "on" --agent.observability.enabled=true ${E2E_ON_ARGS:-}
  run "off" --agent.observability.enabled=false
done

python3 - "$OUT/results.txt" <<'PY'
import re, statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
def values(name, key):
    return [float(dict(kv.split("=") for kv in row[1:] if "=" in kv)[key]) for row in rows if row[0] == name]
for key in ("p50_ms", "p90_ms", "p99_ms", "cpu_us_per_request", "startup_s"):
    on, off = statistics.median(values("on", key)), statistics.median(values("off", key))
    print(f"{key:18s} starter on {on:9.3f}   off {off:9.3f}   ratio {on / off:5.3f}")
print("requests on", sum(values("on", "requests")), "off", sum(values("off", "requests")),
      "errors on", sum(values("on", "errors")), "off", sum(values("off", "errors")))
PY
