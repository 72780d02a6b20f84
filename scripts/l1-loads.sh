#!/usr/bin/env bash
# How fast this CPU's L1 cache feeds multiply-adds (scripts/l1-loads/main.rs): the figures
# of docs/performance-log.md, "The twelfth session". Needs AVX-512F.
#
#   scripts/l1-loads.sh
set -euo pipefail
RUSTFLAGS="-C target-cpu=native" exec "$(dirname "$0")/run-program.sh" l1-loads
