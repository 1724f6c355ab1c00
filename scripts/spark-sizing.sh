#!/usr/bin/env bash
# Sizing, measured: the Spark job on a standalone cluster on this machine against `admap map`
# on the same generated file, and a cluster estimate computed from the measured per-task figures.
#   scripts/spark-sizing.sh INSTRUCTIONS [WORKERS]     e.g. scripts/spark-sizing.sh 10000000 8
# Generates INSTRUCTIONS x 4 responses (admap generate; about 1.3 KB an instruction, so 10M is
# about 13 GB) once into $ADMAP_SIZING_DIR (default /tmp/admap-sizing), times `admap map` on it
# (ADMAP_JAVA_OPTS, default -Xmx1g), starts WORKERS one-core Workers (default: the machine's cores)
# with scripts/spark-cluster.sh, submits the job with Spark's event log on, and reads the per-task
# figures (executor run time, input bytes, shuffle bytes written) from that log. Prints a table
# (run time is wall time in a task; CPU time is what a busy machine does not inflate)
# and writes it with the raw figures to $ADMAP_SIZING_DIR/sizing-N.json.
# Needs jq. The cluster uses ports SPARK_MASTER_PORT (7177) and SPARK_MASTER_WEBUI_PORT (8180) so
# that it does not meet a cluster started by hand; WORKER_MEMORY (default 2g) and
# ADMAP_SPARK_SUBMIT_ARGS pass through to spark-cluster.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
N="${1:?usage: $0 INSTRUCTIONS [WORKERS]}"
WORKERS="${2:-$(nproc)}"
DIR="${ADMAP_SIZING_DIR:-/tmp/admap-sizing}"
INPUT="$DIR/generated-$N.jsonl"
RESPONSES=$((N * 4))
command -v jq >/dev/null || { echo "spark-sizing: needs jq" >&2; exit 2; }
mkdir -p "$DIR"
export SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-7177}" SPARK_MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8180}"
export ADMAP_SPARK_CLUSTER_DIR="$DIR/cluster" WORKER_MEMORY="${WORKER_MEMORY:-2g}"

seconds() { # COMMAND...: runs it, prints its wall time in seconds on fd 3
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc >&3
}

if [ ! -s "$INPUT" ]; then
  echo "spark-sizing: generating $N instructions x 4 into $INPUT ..." >&2
  "$ROOT/admap" generate --instructions "$N" --responses 4 -o "$INPUT"
fi
bytes=$(stat -c %s "$INPUT")

echo "spark-sizing: admap map on one machine ..." >&2
rm -rf "$DIR/map-run"
map_s=$( { ADMAP_JAVA_OPTS="${ADMAP_JAVA_OPTS:--Xmx1g}" seconds "$ROOT/admap" map "$INPUT" --out "$DIR/map-run" \
  --quiet >&2; } 3>&1 )

echo "spark-sizing: the job on $WORKERS one-core Workers ..." >&2
"$ROOT/scripts/spark-cluster.sh" stop >/dev/null 2>&1 || true
"$ROOT/scripts/spark-cluster.sh" start "$WORKERS" >&2
trap '"$ROOT/scripts/spark-cluster.sh" stop >/dev/null 2>&1 || true' EXIT
events="$DIR/events"
rm -rf "$events" "$DIR/spark-run"
mkdir -p "$events"
export ADMAP_SPARK_SUBMIT_ARGS="${ADMAP_SPARK_SUBMIT_ARGS:-} --conf spark.eventLog.enabled=true \
  --conf spark.eventLog.dir=file://$events \
  --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false --conf spark.executor.memory=1536m --conf spark.ui.enabled=false"
spark_s=$( { seconds "$ROOT/scripts/spark-cluster.sh" submit "$INPUT" --out "$DIR/spark-run" >&2; } 3>&1 )
"$ROOT/scripts/spark-cluster.sh" stop >&2
trap - EXIT

# the log of the one application, plain JSON lines (rolled parts, if any, in order)
log="$(find "$events" -type f ! -name '.*' ! -name 'appstatus*' | sort | head -1)"
# One object per finished task: its stage, run time and bytes, from Spark's own listener events.
tasks="$(jq -c 'select(.Event == "SparkListenerTaskEnd") | {stage: .["Stage ID"],
  run_ms: (.["Task Metrics"]["Executor Run Time"] // 0),
  cpu_ms: ((.["Task Metrics"]["Executor CPU Time"] // 0) / 1e6),
  input: (.["Task Metrics"]["Input Metrics"]["Bytes Read"] // 0),
  shuffle_write: (.["Task Metrics"]["Shuffle Write Metrics"]["Shuffle Bytes Written"] // 0),
  shuffle_read: ((.["Task Metrics"]["Shuffle Read Metrics"]["Remote Bytes Read"] // 0)
    + (.["Task Metrics"]["Shuffle Read Metrics"]["Local Bytes Read"] // 0)),
  spill_disk: (.["Task Metrics"]["Disk Bytes Spilled"] // 0)}' "$log")"
summary="$(echo "$tasks" | jq -s --argjson responses "$RESPONSES" --argjson n "$N" --argjson bytes "$bytes" \
  --argjson map_s "$map_s" --argjson spark_s "$spark_s" --argjson workers "$WORKERS" '
  (map(.run_ms) | add / 1000) as $core_s
  | (map(.cpu_ms) | add / 1000) as $cpu_s
  | (sort_by(.run_ms) | .[length / 2 | floor].run_ms / 1000) as $median_task_s
  | {instructions: $n, responses: $responses, input_bytes: $bytes, workers: $workers,
     admap_map_wall_s: $map_s, spark_wall_s: $spark_s, tasks: length,
     task_core_s: $core_s, median_task_s: $median_task_s,
     responses_per_core_s: ($responses / $core_s), task_cpu_s: $cpu_s,
     responses_per_cpu_s: ($responses / $cpu_s),
     shuffle_write_bytes: (map(.shuffle_write) | add), shuffle_read_bytes: (map(.shuffle_read) | add),
     disk_spill_bytes: (map(.spill_disk) | add),
     stages: (group_by(.stage) | map({stage: .[0].stage, tasks: length,
       core_s: (map(.run_ms) | add / 1000), shuffle_write_bytes: (map(.shuffle_write) | add)}))}
  | .shuffle_write_bytes as $sw
  | . + {estimate: [ [100000000, 50, 4], [1000000000, 50, 4], [1000000000, 250, 4] ]
      | map({responses: .[0], executors: .[1], cores_each: .[2],
             hours: (.[0] / ($responses / $core_s) / (.[1] * .[2]) / 3600),
             hours_cpu: (.[0] / ($responses / $cpu_s) / (.[1] * .[2]) / 3600),
             shuffle_bytes: (.[0] / $responses * $sw)})}')"
if [ -z "$summary" ]; then
  echo "spark-sizing: could not read the event log $log" >&2
  exit 1
fi
echo "$summary" > "$DIR/sizing-$N.json"
echo "$summary" | jq -r '
  "input: \(.instructions) instructions, \(.responses) responses, \(.input_bytes / 1e9 * 100 | round / 100) GB",
  "admap map (one JVM):            \(.admap_map_wall_s * 10 | round / 10) s",
  "Spark job (\(.workers) one-core workers): \(.spark_wall_s * 10 | round / 10) s, \(.tasks) tasks, median task \(.median_task_s * 10 | round / 10) s",
  "per task: \(.responses_per_core_s | round) responses per core-second of executor run time, \(.responses_per_cpu_s | round) per CPU-second",
  "shuffle: \(.shuffle_write_bytes / 1e6 | round) MB written, \(.shuffle_read_bytes / 1e6 | round) MB read; spilled to disk \(.disk_spill_bytes / 1e6 | round) MB",
  "estimate, not a run (the per-task rates scaled linearly; no start-up, stragglers or skew):",
  (.estimate[] | "  \(.responses / 1e6 | round)M responses on \(.executors) executors x \(.cores_each) cores: \(.hours * 100 | round / 100) h at the run-time rate (\(.hours_cpu * 100 | round / 100) h at the CPU rate), shuffle \(.shuffle_bytes / 1e9 | round) GB")'
