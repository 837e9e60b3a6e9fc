#!/usr/bin/env bash
# Run commands at the same time, each with its output in tests/artifacts/<name>.log; print
# every log once all have ended (in the order given, whole, so nothing interleaves) and fail
# if any failed. Usage: run-together.sh "name:command" ...
#
# `make test` runs the unit tier (SQLite, in-memory layer) beside the services tier (MariaDB,
# Redis db TEST_REDIS_DB): they share no database, Redis db or port, and each spends much of
# its time waiting on sockets and servers, so on 2 cores the pair takes little more than
# the longer one.
set -u
mkdir -p tests/artifacts
names=() pids=()
for spec in "$@"; do
  name=${spec%%:*}
  command=${spec#*:}
  bash -c "$command" > "tests/artifacts/$name.log" 2>&1 &
  names+=("$name")
  pids+=($!)
done
failed=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed+=("${names[$i]}")
  fi
done
for name in "${names[@]}"; do
  echo "===== $name (tests/artifacts/$name.log) ====="
  cat "tests/artifacts/$name.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
