#!/bin/bash
# Run inside the UML guest (scripts/selftests.sh boots it through uml/run):
# every program of LIST, in DIR, each under a timeout, with its output
# indented as TAP comments, and one TAP result line per program in the
# format of run_vmtests.sh ("ok N name", "ok N name # SKIP",
# "not ok N name # exit=E"). run_vmtests.sh itself cannot be used: it
# exits when the kernel has no hugetlbfs, and UML has none.
set -uo pipefail
usage() {
	echo "usage: ${0##*/} [--guest] DIR LIST [SECONDS_PER_PROGRAM]"
	echo "  --guest  first make the UML guest a place the tests can use: a tmpfs on /tmp"
	echo "           holding a copy of DIR (on hostfs, the host's files have no fallocate(),"
	echo "           which cow and gup_longterm use for their files), and swap on ubd0 if"
	echo "           the kernel was booted with one (cow's MADV_PAGEOUT cases need swap)"
}
guest=0
[ "${1:-}" = --guest ] && { guest=1; shift; }
[ $# -ge 2 ] || { usage >&2; exit 2; }
dir=$1 list=$2 secs=${3:-300}
if [ "$guest" = 1 ]; then
	mount -t tmpfs tmpfs /tmp && cp -a "$dir" /tmp/selftests ||
		{ echo "${0##*/}: error: cannot set up a tmpfs on /tmp with a copy of $dir"; exit 2; }
	dir=/tmp/selftests
	if [ -e /sys/block/ubda ]; then
		mknod /tmp/ubda b "$(cut -d: -f1 /sys/block/ubda/dev)" "$(cut -d: -f2 /sys/block/ubda/dev)" &&
			swapon /tmp/ubda || { echo "${0##*/}: error: swapon on ubd0 failed"; exit 2; }
		echo "# swap: $(tail -n +2 /proc/swaps)"
	fi
fi
cd "$dir" || exit 2
ksft_skip=4
n=0
mapfile -t tests < <(grep -v '^[[:space:]]*\(#\|$\)' "$list")
echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	read -r category cmd args <<<"$t"
	n=$((n + 1))
	name="$cmd${args:+ $args}"
	echo "# ---- [$category] $name"
	start=$(date +%s)
	# shellcheck disable=SC2086  # args are the list's words
	timeout -k 10 "$secs" "./$cmd" $args </dev/null 2>&1 | sed -e 's/^/# /'
	ret=${PIPESTATUS[0]}
	echo "# ---- $name: exit $ret after $(($(date +%s) - start)) s"
	if [ "$ret" -eq 0 ]; then
		echo "ok $n $name"
	elif [ "$ret" -eq "$ksft_skip" ]; then
		echo "ok $n $name # SKIP"
	else
		echo "not ok $n $name # exit=$ret"
	fi
done
