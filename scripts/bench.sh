#!/usr/bin/env bash
# npm run bench: builds, then runs the benchmarks inside a loopback-only network namespace (like the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
if [ "${PEERDESK_IN_NETNS:-}" != 1 ] && unshare -n true 2>/dev/null; then
  exec unshare -n env PEERDESK_IN_NETNS=1 sh -c 'ip link set lo up && exec "$@"' sh node --import tsx bench/run.ts "$@"
fi
exec node --import tsx bench/run.ts "$@"
