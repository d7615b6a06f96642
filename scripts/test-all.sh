#!/usr/bin/env bash
# Installs everything the tests need and runs every check and test of the repository.
# Prints a plain closing line "N passed, N failed, N skipped" and exits non-zero on any failure.
# Usage: bash scripts/test-all.sh   (the README's test command; .ci/run calls exactly this)
set -uo pipefail
cd "$(dirname "$0")/.."

# better-sqlite3 12.x has no prebuilt binary reachable here: build native modules from source.
export npm_config_build_from_source=true
export npm_config_fund=false npm_config_audit=false

step() { printf '\n== %s\n' "$*"; }

step "install system packages (Chromium for the browser tests, tmux for the interactive CLI test)"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq \
    && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}; the tests that need them will fail"
fi

step "install npm dependencies"
# `npm install` (not `npm ci`): the registry reachable here serves only this platform's optional
# binaries (e.g. Biome's), so the lock file cannot list the others and `npm ci` would refuse it.
if ! npm install --no-audit --no-fund; then
  echo "npm install failed"
  echo "0 passed, 1 failed"
  exit 1
fi

checks_passed=0
checks_failed=0
run_check() {
  local name=$1
  shift
  step "$name"
  if "$@"; then
    checks_passed=$((checks_passed + 1))
  else
    checks_failed=$((checks_failed + 1))
    echo "check failed: $name"
  fi
}

run_check "build the web UI" npm run build --workspace @cricket/web --if-present
run_check "lint and format (biome)" npx --no-install biome check .
run_check "typecheck (tsc -b)" npx --no-install tsc -b
run_check "vocabulary gate (check:terms)" node scripts/check-terms.mjs

step "tests (vitest)"
mkdir -p .test-results
rm -f .test-results/vitest.json
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json
vitest_status=$?

read -r tests_passed tests_failed tests_skipped < <(node -e '
  const fs = require("node:fs");
  try {
    const r = JSON.parse(fs.readFileSync(".test-results/vitest.json", "utf8"));
    const failedSuites = (r.testResults || []).filter((s) => s.status === "failed" && (s.assertionResults || []).length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + failedSuites, r.numPendingTests + r.numTodoTests);
  } catch {
    console.log(0, 1, 0);
  }
')
if [ "$vitest_status" -ne 0 ] && [ "$tests_failed" -eq 0 ]; then tests_failed=1; fi

passed=$((tests_passed + checks_passed))
failed=$((tests_failed + checks_failed))
echo
echo "tests: $tests_passed passed, $tests_failed failed, $tests_skipped skipped; checks: $checks_passed passed, $checks_failed failed"
echo "$passed passed, $failed failed, $tests_skipped skipped"
[ "$failed" -eq 0 ]
