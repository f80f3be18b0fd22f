#!/bin/sh
# Runs one browser test file (tests/browser/NAME.test.mjs) and prints TAP:
# one line "ok N" / "not ok N" per top-level test (node:test's TAP reporter
# indents subtests, so a line-start count stays flat).
#
#   MOTCUA=BUILD/motcua TOP=REPO [MOTCUA_SCREENSHOTS=DIR] sh tests/browser/run.sh FILE
#
# When what the tests need is missing (Node.js, the npm packages, Chromium),
# prints one failed case saying what to install, instead of skipping silently.
# scripts/run-tests calls it for the `browser` kind of tests.
set -u
file=${1:?usage: run.sh FILE.test.mjs}
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$file")
chromium=${MOTCUA_CHROMIUM:-/usr/bin/chromium}

missing=""
if ! command -v node >/dev/null 2>&1; then
	missing="Node.js (node)"
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
	missing="Node.js 20 or later (this is $(node --version))"
fi
[ -f "$here/node_modules/playwright-core/package.json" ] && [ -f "$here/node_modules/axe-core/axe.min.js" ] ||
	missing="${missing:+$missing, }the npm packages of tests/browser (node_modules)"
[ -x "$chromium" ] || missing="${missing:+$missing, }Chromium ($chromium)"
if [ -n "$missing" ]; then
	echo "TAP version 13"
	echo "not ok 1 - $name: cannot run, missing $missing; run scripts/install-deps test"
	echo "1..1"
	exit 1
fi

# A test that hangs fails after 2 minutes; the whole file is stopped after 15.
exec timeout -k 10 900 node --test-reporter=tap --test-timeout=120000 "$file"
