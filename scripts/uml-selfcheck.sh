#!/usr/bin/env bash
# A real program on the patched kernel: boot the UML kernel with the host's
# root filesystem (hostfs) and uml/selfcheck as init, which maps, forks,
# copies on write and mremaps, and checks its family's reverse map through
# debugfs (anon_space/verify) after each step. Exit status: 0 only if it
# printed "selfcheck: PASS".
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (needs CONFIG_HOSTFS and CONFIG_DEBUG_ANON_SPACE, both in uml-config)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
prog=$(uml_program selfcheck CONFIG_HOSTFS CONFIG_DEBUG_ANON_SPACE CONFIG_DEBUG_FS \
	CONFIG_USERFAULTFD)
log=$BUILD/uml-selfcheck.log
# init powers the machine off.
uml_boot_init "$log" 300 "$prog" mem=256M
tr -d '\r' <"$log" | sed -n '/^parent, \|^child, \|^---- \|^selfcheck: /,$p' |
	grep -v '^\[\|^reboot' || true
grep -q '^selfcheck: PASS' "$log" ||
	die "selfcheck did not pass (full console log: $log)"
