#!/usr/bin/env bash
# Bisectability: build the UML kernel at every commit of a range, in a git
# worktree, incrementally from one commit to the next.
#
# By default (make series-build): the prepared tree's series, base..HEAD,
# in the worktree build/series-tree (the tree itself is not touched), with
# uml-config's options (the tree's .kunit/.config) without the KUnit suites,
# whose sources (kunit/) follow the end of the series, not each prefix.
# make series passes its own worktree, range and configuration (--suites:
# the outgoing series carries the suites, folded where they compile).
# Exit status: non-zero at the first commit that does not build.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	cat <<USAGE
usage: ${0##*/} [--tree WORKTREE] [--range A..B] [--config DOTCONFIG] [--suites]
                [--out BUILD_DIR] [--log FILE] [FIRST_PATCH_NUMBER]
  --tree    a worktree of your own to check commits out in (default: build/series-tree,
            made from the prepared tree); the commits are resolved there
  --range   the commits to build (default: $BASE_TAG..HEAD)
  --config  the .config to start from at each commit, olddefconfig'd there
            (default: the prepared tree's .kunit/.config)
  --suites  keep the KUnit suites on (default: CONFIG_ANON_SPACE_KUNIT_TEST and
            CONFIG_MREMAP_KUNIT_BENCH off)
  --out     the build directory (default: WORKTREE/.kunit)
  --log     the build log (default: build/series-build.log)
  FIRST_PATCH_NUMBER  start at the Nth commit of the range (default 1)
USAGE
}
first=1 wt= range= config= suites=0 out= blog=$BUILD/series-build.log
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--tree) wt=${2:?}; shift ;;
	--range) range=${2:?}; shift ;;
	--config) config=${2:?}; shift ;;
	--suites) suites=1 ;;
	--out) out=${2:?}; shift ;;
	--log) blog=${2:?}; shift ;;
	"") ;;
	*[!0-9]*) usage >&2; die "'$1' is not an option or a patch number" ;;
	*) first=$((10#$1)) ;;
	esac
	shift
done

if [ -z "$wt" ]; then
	need_tree
	git -C "$TREE" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null ||
		die "$TREE has no $BASE_TAG tag; run 'make prepare'"
	wt=$BUILD/series-tree
	worktree_at "$wt" HEAD
	range=${range:-$(git -C "$TREE" rev-parse HEAD)}
	case $range in *..*) ;; *) range=$BASE_TAG..$range ;; esac
else
	[ -e "$wt/.git" ] || die "--tree $wt is not a git worktree"
	range=${range:-$BASE_TAG..HEAD}
fi
if [ -z "$config" ]; then
	[ -f "$UML_BUILD/.config" ] || "$PROJECT/scripts/build.sh"
	config=$UML_BUILD/.config
fi
[ -f "$config" ] || die "no configuration at $config"
out=${out:-$wt/.kunit}

mapfile -t commits < <(git -C "$wt" rev-list --reverse "$range")
[ "${#commits[@]}" -gt 0 ] || die "no commits in $range (in $wt)"
[ "$first" -ge 1 ] && [ "$first" -le "${#commits[@]}" ] ||
	die "patch number $first out of range 1..${#commits[@]}"

# build_at DIR: configure and build the checked-out commit (under the
# machine-wide build lock that uml_kbuild takes too).
build_at() {
	local rc=0
	kbuild_lock
	{ make -s -C "$wt" ARCH=um O="$out" olddefconfig >>"$blog" 2>&1 &&
	  make -s -C "$wt" ARCH=um O="$out" -j"$(nproc)" >>"$blog" 2>&1; } || rc=$?
	kbuild_unlock
	return "$rc"
}

mkdir -p "$out" "$(dirname "$blog")"
: >"$blog"
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	[ "$n" -lt "$first" ] && continue
	git -C "$wt" checkout -q --detach "$c"
	cp "$config" "$out/.config"
	[ "$suites" = 1 ] ||
		"$wt/scripts/config" --file "$out/.config" -d ANON_SPACE_KUNIT_TEST \
			-d MREMAP_KUNIT_BENCH
	start=$SECONDS
	if build_at; then
		printf '%04d  builds  (%3d s)  %s\n' "$n" $((SECONDS - start)) \
			"$(git -C "$wt" log -1 --format=%s)"
	else
		printf '%04d  FAILS           %s\n' "$n" "$(git -C "$wt" log -1 --format=%s)"
		grep -E 'error|Error' "$blog" | tail -10 >&2
		die "patch $n does not build (log: $blog; worktree: $wt)"
	fi
done
echo "series-build: patches $first..$n of $range build"
