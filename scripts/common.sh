# shellcheck shell=bash
# Shared settings for the anon_space scripts. Sourced, never run.
#
# Every path can be overridden from the environment:
#   BUILD      where the prepared tree and build products live (default: build/)
#   TREE       the prepared kernel tree, a git repository (default: $BUILD/linux)
#   LINUX_SRC  a Linux 6.12.y git checkout to use instead of Debian's
#              linux-source-6.12 (never modified: we clone it with --shared)
#   LINUX_REF  the commit of LINUX_SRC to use (default: HEAD)

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$PROJECT/build}
TREE=${TREE:-$BUILD/linux}
PATCHES=$PROJECT/patches
KUNIT_SRC=$PROJECT/kunit
UML_CONFIG=$PROJECT/uml-config
DEBIAN_TARBALL=${DEBIAN_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
BASE_TAG=anon-space-base
# The kunit.py build directories inside the tree. .kunit is kunit.py's own
# default, so a plain "./tools/testing/kunit/kunit.py run" in the tree reuses it.
UML_BUILD=$TREE/.kunit
KASAN_BUILD=$TREE/.kunit-kasan
# Where the kunit/ sources appear in the tree (symlinks, excluded from git).
KUNIT_LINK_DIR=mm/tests

# ccache's compiler wrappers come first, so every kernel and host build goes
# through ccache without changing CC (and so without changing .config).
# CCACHE_NOHASHDIR: with -g, ccache would hash the working directory (the
# build dir), so a fresh build dir (or the KASAN one) could never hit.
if [ -d /usr/lib/ccache ]; then
	PATH=/usr/lib/ccache:$PATH
	CCACHE_NOHASHDIR=1
	export PATH CCACHE_NOHASHDIR
fi

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

log() {
	printf '==> %s\n' "$*" >&2
}

need_tree() {
	[ -d "$TREE/.git" ] || die "no prepared kernel tree at $TREE; run 'make prepare' first"
}

# uml_program NAME CONFIG...: build the UML kernel, check that its .config
# has every CONFIG=y, and build uml/NAME.c as a static program at
# $BUILD/NAME (printed), to boot with uml_boot_init.
uml_program() {
	local name=$1 opt
	shift
	command -v "${CC:-cc}" >/dev/null || die "no C compiler (${CC:-cc}); run 'make deps'"
	"$PROJECT/scripts/build.sh" >&2
	for opt in "$@"; do
		grep -qx "$opt=y" "$UML_BUILD/.config" ||
			die "$UML_BUILD/.config lacks $opt=y; add it to uml-config (FULL=1 make build)"
	done
	"${CC:-cc}" -static -O2 -Wall -Wextra -Werror -o "$BUILD/$name" \
		"$PROJECT/uml/$name.c" ||
		die "building uml/$name.c failed (static linking needs libc6-dev)"
	echo "$BUILD/$name"
}

# uml_boot_init LOG SECONDS PROG [ARG...]: boot the built UML kernel with the
# host's root filesystem (hostfs; root=/dev/root, or UML appends root=98:0,
# which would reach PROG after "--") and PROG as init, no KUnit suite, console
# to LOG; ARGs are more kernel parameters (after "--": PROG's arguments).
# Never fails: the caller judges LOG (a timeout kills the guest).
uml_boot_init() {
	local log=$1 secs=$2 prog=$3
	shift 3
	timeout "$secs" "$UML_BUILD/linux" root=/dev/root rootfstype=hostfs rootflags=/ rw \
		init="$prog" kunit.enable=0 console=tty "$@" </dev/null >"$log" 2>&1 || true
}

# export_series DIR: write the tree's commits since the base as patch files
# into DIR. --zero-commit and --no-signature keep the output a function of
# the commits' content, so re-applying the series does not churn patches/.
export_series() {
	git -C "$TREE" format-patch -q --zero-commit --no-signature \
		--no-numbered -o "$1" "$BASE_TAG..HEAD" >/dev/null
}

# same_patch A B: do two patch files carry the same commit? The "From <sha>"
# line, the [PATCH n/m] numbering and the trailing git version signature
# differ between exports of one commit, so they are left out of the
# comparison.
same_patch() {
	[ -f "$1" ] && [ -f "$2" ] || return 1
	cmp -s <(normalize_patch "$1") <(normalize_patch "$2")
}
normalize_patch() {
	awk 'NR == 1 && /^From [0-9a-f]+ / { next }
	     !body && /^Subject: \[PATCH[^]]*\]/ { sub(/^Subject: \[PATCH[^]]*\]/, "Subject: [PATCH]") }
	     /^$/ { body = 1 }
	     { line[++n] = $0 }
	     END {
		# drop a trailing "-- " signature (format-patch: "-- ", version, "")
		for (i = n; i > n - 3 && i > 0; i--) if (line[i] == "-- ") { n = i - 1; break }
		for (i = 1; i <= n; i++) print line[i]
	     }' "$1"
}

# tree_dirty: print the tree's uncommitted changes (ignored files excluded).
tree_dirty() {
	git -C "$TREE" status --porcelain --untracked-files=normal
}
