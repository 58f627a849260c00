#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image (Ubuntu): it installs what the grader needs and
# skips what is there already. AUTOGRADER_ROOT (default /autograder) and PYTHON (default python3) are for trying it
# elsewhere. Written by microtown's `npm run classroom -- <exercise> <folder> --gradescope <folder>`.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${PYTHON:-python3}"
cd "$ROOT/source/microtown"

if node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "setup: Node $(node --version) is there"
else
  echo "setup: installing Node 20"
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi

if [ -d node_modules ]; then
  echo "setup: the grader's packages are there"
else
  echo "setup: installing the grader's packages (npm ci)"
  npm ci --no-audit --no-fund
fi

if node --import tsx -e 'import("./playground/e2e/find-chromium.ts").then((m) => m.findChromium())' 2>/dev/null; then
  echo "setup: Chromium is there"
else
  echo "setup: installing Chromium"
  npx playwright install --with-deps chromium
fi

if "$PYTHON" -c 'import fastapi, uvicorn, flask, requests, email_validator' 2>/dev/null; then
  echo "setup: FastAPI, Flask and requests are there"
else
  echo "setup: installing FastAPI, Flask and requests"
  apt-get install -y python3-pip
  "$PYTHON" -m pip install fastapi uvicorn flask requests email-validator
fi
