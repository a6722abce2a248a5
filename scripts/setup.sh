#!/usr/bin/env bash
# One-time, cached setup of what the engine and its tests run against:
#   - the Temporal CLI (its dev server backs `npm start` and the integration tests),
#     built from the Go module proxy;
#   - the time-skipping Temporal test server (workflow tests), from Maven Central,
#     behind an `exec` wrapper because the SDK passes it nothing but the port;
#   - poppler-utils (pdftotext, pdftoppm), Debian's PostgreSQL server and Debian's chromium (the
#     browser tests drive it; no browser is ever downloaded), via apt-get when they are missing
#     and we may install them (root, apt-get present).
# Results go to versioned folders under ${DSR_CACHE_DIR:-$HOME/.cache/dsr-engine}, so bumping a
# version below rebuilds; the resolved paths are written to <cache>/paths.env.
# Idempotent: when everything is cached it only checks and returns.
#
# Usage: bash scripts/setup.sh [--quiet]
#   --quiet  print only what was actually done (and errors), nothing on a cache hit.
# Honoured: DSR_CACHE_DIR; TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH (use that binary, build
# nothing); POSTGRES_BIN_DIR (a folder holding initdb, pg_ctl and postgres); CHROMIUM_PATH (the
# browser for the browser tests, default /usr/bin/chromium).
set -euo pipefail

# Later CLI tags carry a `replace` directive and cannot be `go install`ed.
readonly TEMPORAL_CLI_VERSION=1.5.1
readonly TEST_SERVER_VERSION=1.38.0
# The test server logs through SLF4J 1.7 but ships no binding; without one it warns on every start.
readonly SLF4J_NOP_VERSION=1.7.36

CACHE_DIR="${DSR_CACHE_DIR:-${HOME:-/root}/.cache/dsr-engine}"
QUIET=0
for arg in "$@"; do
  case "$arg" in
    -q | --quiet) QUIET=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown argument: $arg (usage: bash scripts/setup.sh [--quiet])" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
did_something=0
tmp_dirs=()
cleanup() { for d in "${tmp_dirs[@]+"${tmp_dirs[@]}"}"; do rm -rf "$d"; done; }
trap cleanup EXIT

# `info` is for cache hits (silenced by --quiet); `did` is for work actually done.
info() { if [ "$QUIET" = 0 ]; then echo "setup: $*"; fi; }
did() { did_something=1; echo "setup: $*"; }
warn() { echo "setup: warning: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

# Runs a command with its output kept back, shown only if it fails.
run_captured() {
  local log status=0
  log=$(mktemp)
  "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then cat "$log" >&2; fi
  rm -f "$log"
  return "$status"
}

# Runs a command; with --quiet its output is kept back and shown only if it fails.
run_step() {
  if [ "$QUIET" = 0 ]; then "$@"; else run_captured "$@"; fi
}

# Newest Debian PostgreSQL server binaries, e.g. /usr/lib/postgresql/15/bin; empty if none.
postgres_bin_dir() {
  if [ -n "${POSTGRES_BIN_DIR:-}" ] && [ -x "$POSTGRES_BIN_DIR/initdb" ]; then
    echo "$POSTGRES_BIN_DIR"
    return
  fi
  local dir best="" best_version=-1 version
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] || continue
    version=$(basename "$(dirname "$dir")")
    if [[ "$version" =~ ^[0-9]+$ ]] && [ "$version" -gt "$best_version" ]; then
      best="$dir"
      best_version="$version"
    fi
  done
  if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
    best=$(dirname "$(command -v initdb)")
  fi
  echo "$best"
}

# The browser the browser tests drive (test/helpers/browser.ts reads the same CHROMIUM_PATH).
chromium_path() {
  echo "${CHROMIUM_PATH:-/usr/bin/chromium}"
}

ensure_system_packages() {
  local missing=()
  if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    missing+=(poppler-utils)
  fi
  if [ -z "$(postgres_bin_dir)" ]; then
    missing+=(postgresql)
  fi
  if [ ! -x "$(chromium_path)" ]; then
    missing+=(chromium)
  fi
  if [ "${#missing[@]}" = 0 ]; then
    info "poppler-utils, chromium ($(chromium_path)) and PostgreSQL server binaries present ($(postgres_bin_dir))"
    return
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    warn "missing ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]})." \
      "Without a PostgreSQL server, set DATABASE_URL to an existing one;" \
      "without chromium, set CHROMIUM_PATH to a Chromium binary for the browser tests."
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  did "installing ${missing[*]} with apt-get"
  run_step apt-get update -qq
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # The engine runs its own clusters; Debian's default "main" cluster would only sit idle on 5432.
    run_step apt-get install -y -qq --no-install-recommends postgresql-common
    sed -i 's/^#\{0,1\}[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf
  fi
  run_step apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -n "$(postgres_bin_dir)" ] || die "apt-get installed postgresql but no initdb was found under /usr/lib/postgresql"
  [ -x "$(chromium_path)" ] || die "apt-get installed chromium but $(chromium_path) is not executable"
}

# Sets CLI_PATH to a working Temporal CLI, building it into the cache if needed.
CLI_PATH=""
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
    [ -x "$TEMPORAL_CLI_PATH" ] || die "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
    info "Temporal CLI: using TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH"
    # Written to paths.env as found: an empty value there would hide the cached build from every later run.
    CLI_PATH="$TEMPORAL_CLI_PATH"
    return
  fi
  local dir="$CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION"
  local bin="$dir/temporal"
  if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    info "Temporal CLI v$TEMPORAL_CLI_VERSION cached: $bin"
    CLI_PATH="$bin"
    return
  fi
  command -v go >/dev/null 2>&1 ||
    die "Go is needed to build the Temporal CLI (go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION):" \
      "install Go >= 1.25 (https://go.dev/dl/; 1.21+ fetches 1.25 from the module proxy itself), or set TEMPORAL_CLI_PATH to an existing temporal binary."
  local t0 build
  t0=$(date +%s)
  did "building Temporal CLI v$TEMPORAL_CLI_VERSION with $(go version | awk '{print $3}') (a few minutes on a cold Go cache)"
  build=$(mktemp -d "$CACHE_DIR/.build-temporal-cli.XXXXXX")
  tmp_dirs+=("$build")
  run_step env GOBIN="$build" go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" ||
    die "go install of the Temporal CLI failed (output above)"
  "$build/temporal" --version >/dev/null || die "the freshly built Temporal CLI does not run"
  rm -rf "$dir"
  mkdir -p "$dir"
  mv "$build/temporal" "$bin"
  did "Temporal CLI ready in $(($(date +%s) - t0)) s: $bin"
  CLI_PATH="$bin"
}

# Sets TEST_SERVER_PATH to the time-skipping test server wrapper, fetching the jars if needed.
TEST_SERVER_PATH=""
ensure_test_server() {
  if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
    [ -x "$TEMPORAL_TEST_SERVER_PATH" ] ||
      die "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
    info "time-skipping test server: using TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH"
    TEST_SERVER_PATH="$TEMPORAL_TEST_SERVER_PATH"
    return
  fi
  local dir="$CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION"
  local wrapper="$dir/temporal-test-server"
  local recipe="temporal-test-server $TEST_SERVER_VERSION, slf4j-nop $SLF4J_NOP_VERSION" stamp=""
  if [ -f "$dir/.complete" ]; then read -r stamp <"$dir/.complete" || true; fi
  if [ -x "$wrapper" ] && [ "$stamp" = "$recipe" ]; then
    command -v java >/dev/null 2>&1 || [ -x "${JAVA_HOME:-/nonexistent}/bin/java" ] ||
      die "Java is needed to run the time-skipping test server: install a JRE >= 11 (e.g. apt-get install openjdk-17-jre-headless)."
    info "time-skipping test server $TEST_SERVER_VERSION cached: $wrapper"
    TEST_SERVER_PATH="$wrapper"
    return
  fi
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    die "Java and Maven are needed for the time-skipping test server (io.temporal:temporal-test-server:$TEST_SERVER_VERSION" \
      "from Maven Central): install them (e.g. apt-get install openjdk-17-jre-headless maven)," \
      "or set TEMPORAL_TEST_SERVER_PATH to an existing test server executable."
  fi
  local t0 build
  t0=$(date +%s)
  did "fetching temporal-test-server $TEST_SERVER_VERSION and its dependencies with Maven"
  build=$(mktemp -d "$CACHE_DIR/.build-test-server.XXXXXX")
  tmp_dirs+=("$build")
  cat >"$build/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dsr-engine</groupId>
  <artifactId>temporal-test-server-bundle</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>$SLF4J_NOP_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  # Maven's -q output is only colour resets unless something fails, so it is always kept back.
  (cd "$build" && run_captured mvn -B -q -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib) ||
    die "Maven could not fetch temporal-test-server $TEST_SERVER_VERSION (output above)"
  [ -f "$build/lib/temporal-test-server-$TEST_SERVER_VERSION.jar" ] ||
    die "Maven ran but lib/temporal-test-server-$TEST_SERVER_VERSION.jar is missing"
  rm -rf "$dir"
  mkdir -p "$dir"
  mv "$build/pom.xml" "$build/lib" "$dir/"
  # The SDK runs this with the port as the only argument and waits ~5 s for it to listen.
  cat >"$wrapper" <<EOF
#!/bin/sh
# Temporal time-skipping test server $TEST_SERVER_VERSION (written by scripts/setup.sh).
exec "\${JAVA_HOME:+\$JAVA_HOME/bin/}java" \${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} -cp "$dir/lib/*" io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$wrapper"
  echo "$recipe" >"$dir/.complete"
  did "time-skipping test server ready in $(($(date +%s) - t0)) s: $wrapper"
  TEST_SERVER_PATH="$wrapper"
}

# Writes <cache>/paths.env (KEY='value' lines, readable by bash and by embedded/binaries.ts).
write_paths_env() {
  local file="$CACHE_DIR/paths.env" content value
  for value in "$CLI_PATH" "$TEST_SERVER_PATH" "$(postgres_bin_dir)"; do
    [[ "$value" != *"'"* ]] || die "cache path contains a single quote: $value"
  done
  content="# Written by scripts/setup.sh; paths built or found by it.
TEMPORAL_CLI_PATH='$CLI_PATH'
TEMPORAL_TEST_SERVER_PATH='$TEST_SERVER_PATH'
POSTGRES_BIN_DIR='$(postgres_bin_dir)'"
  if [ -f "$file" ] && [ "$(cat "$file")" = "$content" ]; then
    return
  fi
  printf '%s\n' "$content" >"$file.tmp"
  mv "$file.tmp" "$file"
  did "wrote $file"
}

mkdir -p "$CACHE_DIR"
# Two setups at once (npm start beside npm test) would otherwise race on the same folders.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_DIR/.setup.lock"
  flock 9
fi
ensure_system_packages
ensure_temporal_cli
ensure_test_server
write_paths_env

if [ "$did_something" = 1 ]; then
  echo "setup: done in $(($(date +%s) - started)) s (cache: $CACHE_DIR)"
else
  info "everything cached in $CACHE_DIR"
fi
