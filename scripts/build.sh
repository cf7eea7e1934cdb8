#!/usr/bin/env bash
# Configure (uml-config) and build the UML kernel incrementally
# (uml_kbuild in common.sh). Quiet on success; the log's errors on failure.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [--verbose]"; }
verbose=0
case "${1:-}" in -h|--help) usage; exit 0 ;; --verbose) verbose=1 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
[ "$verbose" = 1 ] && export KBUILD_TEE=1
uml_kbuild "$TREE" "$UML_BUILD" "$UML_CONFIG" "$BUILD/last-build.log"
