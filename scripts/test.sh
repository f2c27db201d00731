#!/usr/bin/env bash
# The one test command (npm test). Builds the app, then runs every Vitest suite
# inside a loopback-only network namespace, so no test (and no Chromium) can
# reach any address but 127.0.0.1. Needs root or unprivileged user namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
if [ "${PEERDESK_IN_NETNS:-}" != 1 ]; then
  if unshare -n true 2>/dev/null; then
    exec unshare -n env PEERDESK_IN_NETNS=1 sh -c 'ip link set lo up && exec "$@"' sh npx vitest run "$@"
  elif unshare -rn true 2>/dev/null; then
    exec unshare -rn env PEERDESK_IN_NETNS=1 sh -c 'ip link set lo up && exec "$@"' sh npx vitest run "$@"
  fi
  echo "error: cannot create a network namespace (unshare -n); run as root or enable user namespaces" >&2
  exit 1
fi
exec npx vitest run "$@"
