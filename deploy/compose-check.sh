#!/usr/bin/env bash
# The release check (deploy/README.md): docker-compose.yml run for real, with deploy/docker-compose.check.yml over
# it. Brings up three Kafka brokers (KRaft), S3-compatible storage, ingest, two identify instances and notify;
# pushes stills and a clip through; kills one broker and one identify instance mid-stream; requires every
# accepted still in the review queue; prints what it measured; tears everything down, whatever happened.
#
#   sudo deploy/compose-check.sh          (root: it may install Debian packages and start a Docker engine)
#
# Idempotent: images are kept between runs (rebuilt when their inputs change), containers and volumes are not.
# Settings (environment): CHECK_STILLS (30), CHECK_PACE_MS (700), CHECK_SKIP_PACKAGE=1 (reuse the jars in
# */target), CHECK_CPU_SHARES (4096), DOCKER_HOST (an engine to use; without one that answers, it starts its own).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
t0=$(date +%s)
log() { printf '[check %4ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
project=reelcars-check
cache=${XDG_CACHE_HOME:-$HOME/.cache}/reelcars-check
work=$root/deploy/target
mkdir -p "$cache" "$work"
measured=()
measure() { measured+=("$(printf 'MEASURED %-34s %s' "$1" "$2")"); }

# --- Tools: Debian's Docker engine, mmdebstrap for the base image, and Compose v2. --------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
# The compose file uses the Compose Specification (top-level name, secrets from the environment, !override),
# which bookworm's docker-compose 1.29 does not read. Debian trixie packages Compose v2 as one static binary;
# it is unpacked into the cache, and nothing of trixie is installed on the system.
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if [ ! -x "$cache/compose/usr/libexec/docker/cli-plugins/docker-compose" ]; then
    log "fetching Debian trixie's docker-compose (v2) into $cache"
    apt_dir=$cache/apt
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
      > "$apt_dir/sources.list"
    apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Cache::archives=$apt_dir/archives"
      -o APT::Sandbox::User=root)
    apt-get "${apt_opts[@]}" update -q >/dev/null
    (cd "$apt_dir" && apt-get "${apt_opts[@]}" download -q docker-compose/trixie >/dev/null)
    dpkg-deb -x "$(ls "$apt_dir"/docker-compose_2*.deb | tail -1)" "$cache/compose"
  fi
  compose=("$cache/compose/usr/libexec/docker/cli-plugins/docker-compose")
fi

# Where cgroup v1 runs without systemd (these machines), every process outside Docker competes one by one with
# Docker's whole group, which weighs as one process: with twenty busy processes around, the brokers got 2 s of CPU
# in 5 minutes. For the check, the group weighs as CHECK_CPU_SHARES/1024 processes (4 by default); restored after.
cpu_shares=/sys/fs/cgroup/cpu/docker/cpu.shares
old_shares=
started_engine=
# This run's key set is written below; one left by an earlier run names nothing to tear down yet.
rm -f "$work/check.env"
if [ -d /sys/fs/cgroup/cpu ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ] && [ "${CHECK_CPU_SHARES:-4096}" != 0 ]; then
  mkdir -p /sys/fs/cgroup/cpu/docker 2>/dev/null || true
  if [ -w "$cpu_shares" ]; then
    old_shares=$(cat "$cpu_shares")
    echo "${CHECK_CPU_SHARES:-4096}" >"$cpu_shares"
  fi
fi

dc() { "${compose[@]}" -p "$project" --env-file "$work/check.env" -f docker-compose.yml \
  -f deploy/docker-compose.check.yml "$@"; }
teardown() {
  status=$?
  set +e
  if [ -f "$work/check.env" ]; then
    dc logs --no-color >"$work/compose.log" 2>&1
    log "the containers' logs: $work/compose.log"
    # How often identify retried a commit that timed out while the transaction coordinator moved.
    measure "identify commits retried" "$(grep -c 'commit timed out, retrying' "$work/compose.log" || true)"
    dc down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1
    log "torn down: containers, network and volumes of $project removed"
  fi
  [ -n "$old_shares" ] && echo "$old_shares" >"$cpu_shares"
  if [ -n "$started_engine" ]; then
    kill "$started_engine" 2>/dev/null && wait "$started_engine" 2>/dev/null
    log "stopped the dockerd it started"
  fi
  for line in "${measured[@]}"; do echo "$line"; done
  echo "MEASURED wall time                            $(($(date +%s) - t0)) s"
  echo "compose check: $([ $status -eq 0 ] && echo PASSED || echo "FAILED ($status)")"
  exit $status
}
trap teardown EXIT

# --- A Docker engine: the one DOCKER_HOST (or the default socket) names, else one of our own. --------------------
# Our own listens on a private socket, so that tests looking for a default engine (Testcontainers) do not find an
# engine that cannot pull their images.
if ! docker info >/dev/null 2>&1; then
  export DOCKER_HOST=unix:///run/reelcars-check/docker.sock
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd on $DOCKER_HOST"
    mkdir -p /run/reelcars-check
    dockerd -H "$DOCKER_HOST" --pidfile /run/reelcars-check/docker.pid >"$work/dockerd.log" 2>&1 &
    started_engine=$!
    for _ in $(seq 180); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { log "dockerd did not start: $work/dockerd.log"; exit 1; }
  fi
fi

# --- Images. ------------------------------------------------------------------------------------------------------
# The base of every stand-in: Debian bookworm with its OpenJDK 17 JRE, ffmpeg (ingest's clips) and curl.
if ! docker image inspect reelcars-local/base:bookworm >/dev/null 2>&1; then
  log "building the base image with mmdebstrap (Debian bookworm, openjdk-17-jre-headless, ffmpeg, curl)"
  s=$(date +%s)
  # The JRE's post-install script links its man page, so that one folder is kept.
  mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ffmpeg,curl,ca-certificates \
    --aptopt='Apt::Install-Recommends "false"' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' bookworm - \
    | docker import - reelcars-local/base:bookworm >/dev/null
  measure "base image (mmdebstrap + import)" "$(($(date +%s) - s)) s"
fi
if [ -z "${CHECK_SKIP_PACKAGE:-}" ]; then
  log "packaging the services (mvn package -DskipTests)"
  s=$(date +%s)
  mvn -B -q package -DskipTests
  measure "mvn package" "$(($(date +%s) - s)) s"
fi
mkdir -p deploy/standins/service/target
for jar in ingest/target/ingest.jar identify/target/identify.jar notify/target/notify.jar \
  catalogue/target/catalogue.jar launcher/target/reelcars.jar; do
  [ -f "$jar" ] || { log "missing $jar: run without CHECK_SKIP_PACKAGE"; exit 1; }
  cp -p "$jar" deploy/standins/service/target/
done
# The stand-ins' jars from Maven Central (kafka_2.13 at the project's kafka.version; S3Proxy).
for standin in kafka minio; do
  if [ ! -d "deploy/standins/$standin/target/libs" ]; then
    log "resolving the $standin stand-in's jars"
    mvn -B -q -f "deploy/standins/$standin/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory=target/libs -DincludeScope=runtime
  fi
done

# A fresh key set for this run only; the services read the same keys as from a user's .env.
cat >"$work/check.env" <<EOF
REELCARS_NOTIFY_ADMIN_NAME=admin
REELCARS_NOTIFY_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
REELCARS_TOKEN_SECRET=$(head -c 32 /dev/urandom | base64)
REELCARS_S3_ACCESS_KEY=reelcars-check
REELCARS_S3_SECRET_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
REELCARS_PUBLIC_URL=http://localhost:${CHECK_NOTIFY_PORT:-18080}
REELCARS_PUBLISH_ADDRESS=127.0.0.1
EOF
# Whatever a crashed earlier run left behind goes first.
dc down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true

log "building the stand-in images"
s=$(date +%s)
dc build --quiet kafka minio ingest identify notify demo-gallery
measure "images built" "$(($(date +%s) - s)) s"

# A clip for ingest: a slow pan across the demo still, made by the base image's ffmpeg.
if [ ! -f "$work/clip.mp4" ]; then
  docker run --rm -v "$root/docs:/in:ro" -v "$work:/out" reelcars-local/base:bookworm ffmpeg -loglevel error \
    -loop 1 -i /in/demo-still.jpg -t 4 -r 12 -vf "scale=960:-2,crop=iw*0.85:ih*0.85:iw*0.15*t/4:ih*0.07" \
    -c:v libx264 -pix_fmt yuv420p /out/clip.mp4
fi

log "starting: kafka kafka-2 kafka-3 minio ingest identify×2 notify demo-gallery"
up_started=$(date +%s%3N)
# `up` returns once the brokers are healthy, the bucket exists and the services are started.
dc up --detach --scale identify=2 kafka kafka-2 kafka-3 minio ingest identify notify demo-gallery \
  >"$work/up.log" 2>&1 || { tail -20 "$work/up.log"; exit 1; }
measure "up (brokers healthy, services started)" "$((($(date +%s%3N) - up_started) / 1000)) s"
port() { dc port --index "$2" "$1" "$3" | sed 's/.*://'; }
identify_urls="http://127.0.0.1:$(port identify 1 8082),http://127.0.0.1:$(port identify 2 8082)"
victim=$(dc ps --format '{{.Name}}' identify | sort | tail -1)

log "running the journey (deploy/ComposeCheck.java)"
set +e
CHECK_UP_STARTED_MS=$up_started \
  CHECK_NOTIFY_URL=http://127.0.0.1:$(port notify 1 8080) \
  CHECK_INGEST_URL=http://127.0.0.1:$(port ingest 1 8081) \
  CHECK_IDENTIFY_URLS=$identify_urls \
  CHECK_ADMIN_NAME=admin \
  CHECK_ADMIN_PASSWORD=$(sed -n 's/^REELCARS_NOTIFY_ADMIN_PASSWORD=//p' "$work/check.env") \
  CHECK_STILL=$root/docs/demo-still.jpg \
  CHECK_CLIP=$work/clip.mp4 \
  CHECK_KILL_BROKER="docker kill $(dc ps -q kafka-2) >/dev/null" CHECK_KILL_BROKER_NAME=kafka-2 \
  CHECK_KILL_IDENTIFY="docker kill $victim >/dev/null" CHECK_KILL_IDENTIFY_NAME=$victim \
  java -cp launcher/target/reelcars.jar deploy/ComposeCheck.java | tee "$work/journey.log" | grep --line-buffered -v '^MEASURED'
journey=${PIPESTATUS[0]}
set -e
while IFS= read -r line; do measured+=("$line"); done < <(grep '^MEASURED' "$work/journey.log" || true)
[ "$journey" -eq 0 ]
