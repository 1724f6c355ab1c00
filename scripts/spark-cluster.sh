#!/usr/bin/env bash
# A Spark standalone cluster on this machine, and admap submitted to it as to any cluster:
#   scripts/spark-cluster.sh start [WORKERS]       a Master and WORKERS Workers (default 2) on 127.0.0.1
#   scripts/spark-cluster.sh submit ADMAP-ARGS...  spark-submit the job jar: INPUT... --out DIR [options]
#   scripts/spark-cluster.sh stop                  stops the daemons started by 'start'
# Spark comes from $SPARK_HOME when it is set (a Spark 4.1 distribution), else from the jars
# the build lays out in admap-spark/target/spark/jars (mvn -pl admap-spark -am package -DskipTests).
# Settings: SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080), WORKER_CORES (1),
# WORKER_MEMORY (1g), ADMAP_SPARK_SUBMIT_ARGS (more spark-submit options, e.g. "--conf
# spark.executor.memory=512m"), ADMAP_SPARK_CLUSTER_DIR (pids, logs, work dirs; default
# /tmp/admap-spark-cluster-$USER).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
STATE="${ADMAP_SPARK_CLUSTER_DIR:-/tmp/admap-spark-cluster-${USER:-admap}}"
PORT="${SPARK_MASTER_PORT:-7077}"
UI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
MASTER="spark://127.0.0.1:$PORT"
JOB_JAR="$(ls "$ROOT"/admap-spark/target/admap-spark-*-job.jar 2>/dev/null | head -1 || true)"
HOME_DIR="${SPARK_HOME:-$ROOT/admap-spark/target/spark}"
# Java 17 needs these for Spark; the list is the one the build and the tests use.
FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/admap-spark/pom.xml")"

die() { echo "spark-cluster: $*" >&2; exit 2; }

built() {
  if [ -z "$JOB_JAR" ] || { [ -z "${SPARK_HOME:-}" ] && [ ! -d "$HOME_DIR/jars" ]; }; then
    echo "spark-cluster: building the job jar and the Spark jars (mvn package, once)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests -pl admap-spark -am package) || die "the build failed"
    JOB_JAR="$(ls "$ROOT"/admap-spark/target/admap-spark-*-job.jar | head -1)"
  fi
  [ -d "$HOME_DIR/jars" ] || die "no Spark jars in $HOME_DIR/jars (SPARK_HOME=${SPARK_HOME:-unset})"
}

daemon() { # NAME CLASS ARGS...: a Spark daemon in the background, its pid in $STATE/NAME.pid
  local name="$1"
  shift
  # shellcheck disable=SC2086 # FLAGS is a list of JVM options
  SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 nohup java -Xmx512m $FLAGS -cp "$HOME_DIR/jars/*" "$@" \
    >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

alive_workers() {
  curl -fsS "http://127.0.0.1:$UI_PORT/json/" 2>/dev/null | grep -o '"state" *: *"ALIVE"' | wc -l || true
}

case "${1:-}" in
  start)
    workers="${2:-2}"
    built
    ls "$STATE"/*.pid >/dev/null 2>&1 && die "a cluster seems to run already ($STATE); '$0 stop' first"
    mkdir -p "$STATE"
    daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port "$UI_PORT"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$STATE/worker-$i"
      daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "${WORKER_CORES:-1}" \
        --memory "${WORKER_MEMORY:-1g}" --webui-port 0 --work-dir "$STATE/worker-$i" "$MASTER"
    done
    for _ in $(seq 1 120); do
      if [ "$(alive_workers)" -ge "$workers" ]; then
        echo "master $MASTER (web UI http://127.0.0.1:$UI_PORT) with $workers workers; logs in $STATE"
        exit 0
      fi
      sleep 1
    done
    die "the workers did not register within 2 minutes; see $STATE/*.log"
    ;;
  submit)
    shift
    built
    [ $# -gt 0 ] || die "usage: $0 submit INPUT... --out DIR [admap-spark options]"
    # shellcheck disable=SC2086 # ADMAP_SPARK_SUBMIT_ARGS is a list of spark-submit options
    if [ -x "$HOME_DIR/bin/spark-submit" ]; then
      exec "$HOME_DIR/bin/spark-submit" --master "$MASTER" --class org.admap.spark.SparkMain \
        ${ADMAP_SPARK_SUBMIT_ARGS:-} "$JOB_JAR" "$@"
    fi
    # without a distribution's scripts: spark-submit's own entry point, in a JVM with the flags
    SPARK_HOME="$HOME_DIR" SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx1g $FLAGS -cp "$HOME_DIR/jars/*" \
      org.apache.spark.deploy.SparkSubmit --master "$MASTER" --class org.admap.spark.SparkMain \
      --conf spark.driver.host=127.0.0.1 ${ADMAP_SPARK_SUBMIT_ARGS:-} "$JOB_JAR" "$@"
    ;;
  stop)
    for f in "$STATE"/worker-*.pid "$STATE"/master.pid; do
      [ -f "$f" ] || continue
      pid="$(cat "$f")"
      kill "$pid" 2>/dev/null || true # a Worker's shutdown stops its executors
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$f"
    done
    echo "stopped (logs stay in $STATE)"
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
