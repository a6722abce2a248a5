#!/usr/bin/env bash
# The test command behind `npm test`: cached setup, type check, lint, then every jest project
# (unit, workflow, integration). Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
# All three stages run even if one fails, so one run shows every problem; the exit code is
# non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --quiet || exit 1

# Binary paths from the setup cache, unless the caller chose its own.
paths_env="${DSR_CACHE_DIR:-${HOME:-/root}/.cache/dsr-engine}/paths.env"
if [ -f "$paths_env" ]; then
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    value="${value#\'}"
    value="${value%\'}"
    if [ -z "${!key:-}" ] && [ -n "$value" ]; then export "$key=$value"; fi
  done <"$paths_env"
fi

failed=()
stage() {
  local name="$1" started=$SECONDS
  shift
  echo "==> $name"
  if "$@"; then
    echo "==> $name passed ($((SECONDS - started)) s)"
  else
    echo "==> $name FAILED ($((SECONDS - started)) s)"
    failed+=("$name")
  fi
}

stage "typecheck (tsc --noEmit)" npx tsc --noEmit
stage "lint (eslint .)" npx eslint .
results_json="$(mktemp)"
stage "tests (jest --ci)" npx jest --ci --json --outputFile="$results_json" "$@"
# The closing line: the test counts, plainly, whatever the runner printed above it.
counts=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results_json" 2>/dev/null) || counts="0 passed, 1 failed"
rm -f "$results_json"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "==> failed: ${failed[*]}"
  echo "$counts"
  exit 1
fi
echo "==> all passed"
echo "$counts"
