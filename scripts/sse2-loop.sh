#!/usr/bin/env bash
# What bounds the SSE2 sums_rows loop on the default target (scripts/sse2-loop/main.rs):
# the figures of docs/performance-log.md, "The forty-fifth session". Any x86-64.
#
#   scripts/sse2-loop.sh
set -euo pipefail
exec "$(dirname "$0")/run-program.sh" sse2-loop
