#!/usr/bin/env bash
# Exercism's test runner interface: bin/run.sh <exercise slug> <solution folder> <output folder>. Grades the solution
# with microtown's grader and writes <output folder>/results.json (version 3, with each test's code and hint); exits
# 0 whatever the grade, as the interface asks. The slug is an exercise's folder name, with or without its number
# (user-and-inventory, 01-user-and-inventory).
set -uo pipefail
if [ $# -ne 3 ]; then
  echo "usage: bin/run.sh <exercise slug> <solution folder> <output folder>" >&2
  exit 2
fi
slug=$1
solution=$(realpath "$2")
mkdir -p "$3"
output=$(realpath "$3")
cd "$(dirname "$0")/.."

# The solution is graded from a copy inside microtown, so that its code finds microtown's packages (tsx).
mkdir -p .tmp
work=$(mktemp -d .tmp/exercism-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$solution/." "$work/"
npm run -s grade -- "$slug" --impl "$work" --out "$work/.report" >"$output/grade.txt" 2>&1

if [ -f "$work/.report/results.json" ]; then
  cp "$work/.report/results.json" "$output/results.json"
else
  reason=$(grep -m1 '^grade: ' "$output/grade.txt" | sed 's/^grade: //' || true)
  node -e 'process.stdout.write(JSON.stringify({ version: 3, status: "error", message: process.argv[1], tests: [] },
    null, 2))' "${reason:-$(tail -n 1 "$output/grade.txt")}" >"$output/results.json"
fi
exit 0
