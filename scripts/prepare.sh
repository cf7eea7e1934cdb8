#!/usr/bin/env bash
# Prepare the kernel tree: pristine Linux 6.12 as the base commit, then one
# commit per file of patches/ (git am), the kunit/ sources linked in and
# uml-config as kunit.py's default kunitconfig.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	cat <<USAGE
usage: ${0##*/} [--force]
  Source: \$LINUX_SRC (a 6.12.y git checkout, used read-only; \$LINUX_REF, default
  HEAD) or else Debian's $DEBIAN_TARBALL.
  Refuses to touch a tree that holds work patches/ lacks; --force (FORCE=1)
  discards that work.
USAGE
}
force=${FORCE:-0}
case "${1:-}" in
-h|--help) usage; exit 0 ;;
--force) force=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

check_version() { # DIR: refuse anything but Linux 6.12
	local mk=$1/Makefile v p s
	[ -f "$mk" ] || die "$1 is not a Linux source tree (no Makefile)"
	v=$(sed -n 's/^VERSION = //p' "$mk")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk")
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk")
	[ "$v.$p" = "6.12" ] ||
		die "$2 is Linux $v.$p.$s; the series is against 6.12 (LINUX_SRC must be a 6.12.y tree)"
	echo "6.12.$s"
}

source_id() {
	if [ -n "${LINUX_SRC:-}" ]; then
		[ -d "$LINUX_SRC" ] || die "LINUX_SRC=$LINUX_SRC does not exist"
		git -C "$LINUX_SRC" rev-parse --git-dir >/dev/null 2>&1 ||
			die "LINUX_SRC=$LINUX_SRC is not a git checkout (clone a 6.12.y tree, or unset LINUX_SRC to use Debian's linux-source-6.12)"
		local rev
		rev=$(git -C "$LINUX_SRC" rev-parse --verify -q "${LINUX_REF:-HEAD}^{commit}") ||
			die "LINUX_REF=${LINUX_REF:-HEAD} is not a commit in $LINUX_SRC"
		echo "git $(cd "$LINUX_SRC" && pwd) $rev"
	else
		[ -f "$DEBIAN_TARBALL" ] ||
			die "$DEBIAN_TARBALL is missing; run 'make deps' (installs linux-source-6.12) or set LINUX_SRC"
		echo "debian $(stat -c '%s %Y' "$DEBIAN_TARBALL") $DEBIAN_TARBALL"
	fi
}

# new_tree DIR: create DIR as a git repository holding the pristine source.
new_tree() {
	local dir=$1 ver
	rm -rf "$dir"
	if [ -n "${LINUX_SRC:-}" ]; then
		log "cloning $LINUX_SRC (${LINUX_REF:-HEAD}) into $dir (shared objects, your checkout is not touched)"
		git clone -q --shared --no-checkout "$LINUX_SRC" "$dir"
		git -C "$dir" checkout -q -b anon-space "${SRC_ID##* }"
		ver=$(check_version "$dir" "LINUX_SRC") || { rm -rf "$dir"; exit 1; }
	else
		log "unpacking $DEBIAN_TARBALL"
		mkdir -p "$dir"
		tar -xJf "$DEBIAN_TARBALL" -C "$dir" --strip-components=1
		ver=$(check_version "$dir" "$DEBIAN_TARBALL") || { rm -rf "$dir"; exit 1; }
		# Debian's tarball appends "ignore everything at the top level" to
		# .gitignore; that would hide new files from git status (and so
		# from make patches-check). The base commit drops that block.
		sed -i '/^# Debian packaging/,$d' "$dir/.gitignore"
		git -C "$dir" init -q -b anon-space
		# -f: every file of the tarball is source. Debian's .gitignore
		# also lacks upstream's "!.gitignore" exceptions to ".*", so
		# without -f the per-directory .gitignore files (and .mailmap,
		# .clang-format, ...) would be left out of the base.
		git -C "$dir" add -A -f
		git -C "$dir" -c user.name="anon_space sandbox" -c user.email=sandbox@localhost \
			commit -q -m "Linux $ver (Debian linux-source-6.12, pristine)"
	fi
	git -C "$dir" tag -f "$BASE_TAG" >/dev/null
	git -C "$dir" config user.name >/dev/null ||
		git -C "$dir" config user.name "anon_space sandbox"
	git -C "$dir" config user.email >/dev/null ||
		git -C "$dir" config user.email "sandbox@localhost"
	git -C "$dir" config am.keepcr false
	echo "$SRC_ID" >"$dir/.git/anon-space-source"
	log "base: Linux $ver"
}

# series_matches DIR: does the exported series in DIR equal patches/?
series_matches() {
	local f
	[ "$(ls "$1")" = "$(cd "$PATCHES" && ls -- *.patch 2>/dev/null)" ] || return 1
	for f in "$1"/*.patch; do
		[ -e "$f" ] || continue
		same_patch "$f" "$PATCHES/${f##*/}" || return 1
	done
}

apply_series() {
	local p out
	for p in "$PATCHES"/*.patch; do
		[ -e "$p" ] || continue
		if ! out=$(git -C "$TREE" am -q "$p" 2>&1); then
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			printf '%s\n' "$out" | grep -E '^(error|fatal)' >&2 || printf '%s\n' "$out" >&2
			die "patches/${p##*/} does not apply to $(git -C "$TREE" log -1 --format=%s "$BASE_TAG") (the failing file is named above). The tree is left at the last patch that applied. To port the series: 'cd $TREE && git am $p; git apply --reject $p', resolve each *.rej hunk by hand and delete the .rej files, 'git add -A && git am --continue', apply the rest the same way, then 'make refresh' (git am -3 cannot help: the tree lacks the blobs of the series' base). Or point LINUX_SRC at the tree the series was made for."
		fi
	done
}

link_kunit() {
	local f exclude=$TREE/.git/info/exclude
	mkdir -p "$TREE/$KUNIT_LINK_DIR" "$UML_BUILD"
	grep -qx "/$KUNIT_LINK_DIR/\*_kunit.c" "$exclude" 2>/dev/null ||
		echo "/$KUNIT_LINK_DIR/*_kunit.c" >>"$exclude"
	grep -qx "/$KUNIT_LINK_DIR/\*_kunit.h" "$exclude" 2>/dev/null ||
		echo "/$KUNIT_LINK_DIR/*_kunit.h" >>"$exclude"
	# The suites, and the helpers some of them share (*_kunit.h).
	for f in "$KUNIT_SRC"/*_kunit.[ch]; do
		[ -e "$f" ] || continue
		ln -sfn "$f" "$TREE/$KUNIT_LINK_DIR/${f##*/}"
	done
	# kunit.py's default kunitconfig is <build dir>/.kunitconfig.
	ln -sfn "$UML_CONFIG" "$UML_BUILD/.kunitconfig"
}

# tree_config: git settings of the tree that every make relies on. The
# untracked cache keeps vmlinux_input's listing of untracked files (read
# at every make kunit) at about 0.25 s instead of 0.5.
tree_config() {
	git -C "$TREE" config core.untrackedCache true
}

SRC_ID=$(source_id)
mkdir -p "$BUILD"

if [ -d "$TREE/.git" ]; then
	# patches-check.sh is the one definition of "work patches/ lacks".
	work=$("$PROJECT/scripts/patches-check.sh" 2>&1) && work=
	if [ -n "$work" ]; then
		if [ "$force" != 1 ]; then
			printf '%s\n' "$work" | head -20 >&2
			die "$TREE holds work that patches/ lacks (above). Export it with 'make refresh', or discard it with 'make prepare FORCE=1'."
		fi
		log "FORCE=1: discarding the tree's unexported work"
	fi
	if [ "$(cat "$TREE/.git/anon-space-source" 2>/dev/null)" != "$SRC_ID" ]; then
		log "the source changed ($SRC_ID); preparing a new tree"
		new_tree "$TREE.new"
		rm -rf "$TREE"
		mv "$TREE.new" "$TREE"
	else
		tmp=$(mktemp -d)
		export_series "$tmp"
		if [ -z "$work" ] && series_matches "$tmp"; then
			rm -rf "$tmp"
			tree_config
			link_kunit
			log "$TREE is up to date with patches/"
			exit 0
		fi
		rm -rf "$tmp"
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		git -C "$TREE" reset -q --hard "$BASE_TAG"
		git -C "$TREE" clean -q -fd
	fi
else
	new_tree "$TREE.new"
	mv "$TREE.new" "$TREE"
fi

apply_series
tree_config
link_kunit
log "$TREE: $(git -C "$TREE" rev-list --count "$BASE_TAG..HEAD") patches on $(git -C "$TREE" log -1 --format=%s "$BASE_TAG")"
