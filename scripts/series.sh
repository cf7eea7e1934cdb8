#!/usr/bin/env bash
# make series: write outgoing/, the series a maintainer takes separately,
# from patches/ and kunit/, and check what it wrote.
#
# series/map places every patch (by subject) in a series: a folder of
# series/ with its conf (subject prefix, To/Cc, what it applies on, how it
# is built) and its hand-written cover letter (cover.txt) or below-the-"---"
# notes (notes.txt). For each series, in a scratch worktree of the prepared
# tree (build/series-work; build/linux is never touched):
#   1. its patches are applied (git am -3) on pristine 6.12 (or on the
#      series its conf names in AFTER), without the patches of other series
#      and without their lines "obj-... += tests/NAME.o" in mm/Makefile;
#   2. each suite kunit/NAME.c whose obj line a patch of the series adds is
#      folded, with that obj line, into the first patch from that one on at
#      which mm/tests/NAME.o compiles (checked with a UML build of that one
#      object, results cached in build/series-fold.cache), and not before the
#      patch a line "fold:NAME<TAB>SUBJECT" of series/map names (where the
#      behaviour its cases expect arrives);
#   3. git format-patch writes outgoing/NN-SERIES/: numbered, the conf's
#      prefix, a cover letter from cover.txt, To/Cc from the conf plus
#      scripts/get_maintainer.pl, Signed-off-by from your git identity
#      (placeholder authors and sign-offs, @localhost, are replaced by it).
# Then, unless --no-check: git am of each outgoing series on pristine 6.12
# in a second worktree (build/series-check), a build of the result (UML from
# uml-config, or tools/testing/vma built and run), checkpatch.pl --strict on
# every outgoing patch, and with BISECT=1 (or --bisect) a build at every
# patch of the series with the suites on (scripts/series-build.sh).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--no-check] [--bisect]   (patches/ + kunit/ -> outgoing/, checked; BISECT=1 = --bisect)"
}
check=1 bisect=${BISECT:-0}
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--no-check) check=0 ;;
	--bisect) bisect=1 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[ "$bisect" = 0 ] || [ "$bisect" = 1 ] || die "BISECT=$bisect: use BISECT=1 or leave it unset"

SERIES_DIR=$PROJECT/series
MAP=$SERIES_DIR/map
OUT=$PROJECT/outgoing
WORK=$BUILD/series-work
CHECK=$BUILD/series-check
FOLD_CACHE=$BUILD/series-fold.cache
# The suite obj lines that step 1 takes out and step 2 puts back.
OBJ_RE='^obj-\$\(CONFIG_[A-Z0-9_]+\) \+= tests/[a-z0-9_]+\.o$'
# Authors and sign-offs with these addresses are placeholders (the sandbox's).
PLACEHOLDER_RE='@localhost>?$'
t0=$SECONDS

# --- who signs ---------------------------------------------------------------
me_name=$(git -C "$PROJECT" config user.name) || true
me_email=$(git -C "$PROJECT" config user.email) || true
[ -n "$me_name" ] && [ -n "$me_email" ] ||
	die "no git identity for Signed-off-by: set it with git -C $PROJECT config user.name 'Your Name' and git -C $PROJECT config user.email you@example.org"
case $me_email in *@localhost|*@localhost.*)
	die "git user.email '$me_email' is not an address a list accepts; set yours with git -C $PROJECT config user.email you@example.org" ;;
esac
me="$me_name <$me_email>"
gitme=(git -c "user.name=$me_name" -c "user.email=$me_email")

need_tree
git -C "$TREE" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null ||
	die "$TREE has no $BASE_TAG tag; run 'make prepare'"
base_version=$(git -C "$TREE" show "$BASE_TAG:Makefile" |
	awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v"."p"."s}')

# --- 0. place every patch ---------------------------------------------------
[ -f "$MAP" ] || die "missing $MAP"
subject_of() { git mailinfo /dev/null /dev/null <"$1" | sed -n 's/^Subject: //p'; }
declare -A place=() map_used=() fold_after=()
while IFS=$'\t' read -r s subj; do
	case $s in ''|'#'*) continue ;; esac
	[ -n "$subj" ] || die "series/map: line '$s' has no tab and subject"
	# fold:SUITE<TAB>SUBJECT: the suite's cases hold from that patch on
	case $s in fold:*)
		[ -f "$KUNIT_SRC/${s#fold:}.c" ] ||
			die "series/map: '$s' names no suite of kunit/ (kunit/${s#fold:}.c)"
		[ -z "${fold_after[${s#fold:}]:-}" ] || die "series/map: '$s' given twice"
		fold_after[${s#fold:}]=$subj
		continue ;;
	esac
	[ "$s" = - ] || [ -f "$SERIES_DIR/$s/conf" ] ||
		die "series/map names series '$s', which has no series/$s/conf"
	[ -z "${place[$subj]:-}" ] || die "series/map places '$subj' twice"
	place[$subj]=$s
done <"$MAP"
patches=() pseries=() series_order=() unplaced=()
for p in "$PATCHES"/*.patch; do
	[ -e "$p" ] || continue
	subj=$(subject_of "$p")
	s=${place[$subj]:-}
	if [ -z "$s" ]; then
		unplaced+=("${p##*/}: $subj")
		continue
	fi
	map_used[$subj]=1
	patches+=("$p")
	pseries+=("$s")
	if [ "$s" != - ] && ! printf '%s\n' "${series_order[@]}" | grep -qx -- "$s"; then
		series_order+=("$s")
	fi
done
[ "${#patches[@]}" -gt 0 ] || [ "${#unplaced[@]}" -gt 0 ] || die "no patches in $PATCHES"
if [ "${#unplaced[@]}" -gt 0 ]; then
	printf '  %s\n' "${unplaced[@]}" >&2
	die "series/map does not place the patches above. Add a line 'SERIES<TAB>SUBJECT' for each to series/map (SERIES: $(cd "$SERIES_DIR" && ls -d -- */ | tr -d / | tr '\n' ' ')or - to leave it out of outgoing/), then run make series again"
fi
for subj in "${!place[@]}"; do
	[ -n "${map_used[$subj]:-}" ] || log "note: series/map line '${place[$subj]}  $subj' matches no patch (removed or renamed?)"
done
for su in "${!fold_after[@]}"; do
	[ -n "${map_used[${fold_after[$su]}]:-}" ] ||
		die "series/map: fold:$su names '${fold_after[$su]}', which is no patch of patches/; fix the subject"
done

# --- helpers ------------------------------------------------------------------
# with_kbuild_lock CMD...: run CMD holding the machine-wide kernel build lock
# (the one uml_kbuild takes), waiting for any running build.
with_kbuild_lock() {
	local rc=0
	kbuild_lock
	"$@" || rc=$?
	kbuild_unlock
	return "$rc"
}

# strip_obj IN OUT: IN without the suite obj lines of mm/Makefile (as added,
# removed or context lines), hunk counts fixed, emptied hunks and file
# sections dropped. Prints nothing; exits 3 if no diff is left.
strip_obj() {
	python3 - "$1" "$2" "$OBJ_RE" <<'PY'
import re, sys
src, dst, obj_re = sys.argv[1], sys.argv[2], re.compile(sys.argv[3])
lines = open(src, encoding='utf-8', errors='surrogateescape').read().split('\n')
out, i, n, diffs = [], 0, len(lines), 0
while i < n and not lines[i].startswith('diff --git '):
    out.append(lines[i]); i += 1
tail = []
while i < n:
    # one file section: header lines, then hunks
    sec, i = [lines[i]], i + 1
    while i < n and not lines[i].startswith(('@@ ', 'diff --git ')) and lines[i] != '-- ':
        sec.append(lines[i]); i += 1
    target = sec[0].split(' b/', 1)[-1] == 'mm/Makefile'
    hunks = []
    while i < n and lines[i].startswith('@@ '):
        h, i = [lines[i]], i + 1
        while i < n and lines[i][:1] in (' ', '+', '-', '\\') and not lines[i].startswith('diff --git ') and lines[i] != '-- ':
            h.append(lines[i]); i += 1
        hunks.append(h)
    kept = []
    for h in hunks:
        body = h[1:]
        if target:
            body = [l for l in body if not (l[:1] in ' +-' and obj_re.match(l[1:]))]
        if not any(l[:1] in '+-' for l in body):
            continue
        m = re.match(r'@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)', h[0])
        old = sum(1 for l in body if l[:1] in ' -')
        new = sum(1 for l in body if l[:1] in ' +')
        kept.append(['@@ -%s,%d +%s,%d @@%s' % (m.group(1), old, m.group(2), new, m.group(3))] + body)
    if kept or not hunks:   # a section without hunks (mode, rename) stays
        out += sec
        for h in kept: out += h
        diffs += 1
    if i < n and lines[i] == '-- ':
        tail = lines[i:]; break
out += tail
open(dst, 'w', encoding='utf-8', errors='surrogateescape').write('\n'.join(out))
sys.exit(0 if diffs else 3)
PY
}

# kunitconfig_for DIR OUT CONFIG...: the CONFIG files concatenated, without
# the options that the tree at DIR does not declare in any Kconfig file (the
# um series alone has no CONFIG_ANON_SPACE).
kunitconfig_for() {
	local dir=$1 out=$2 sym
	shift 2
	local declared
	declared=$(cd "$dir" && git grep -h -E '^\s*(menu)?config [A-Z0-9_]+' -- '*Kconfig*' |
		awk '{print $2}' | sort -u)
	cat "$@" | while IFS= read -r l; do
		sym=$(printf '%s\n' "$l" | sed -nE 's/^(# )?CONFIG_([A-Z0-9_]+)[= ].*/\2/p')
		if [ -n "$sym" ] && ! grep -qx "$sym" <<<"$declared"; then
			continue
		fi
		printf '%s\n' "$l"
	done >"$out"
}

# suite_files SUITE: kunit/SUITE.c and the helper headers of kunit/ it
# includes ("NAME_kunit.h"), one file name a line: what folds with it.
suite_files() {
	local h
	echo "$1.c"
	for h in $(sed -nE 's/^#include "([a-z0-9_]+_kunit\.h)".*/\1/p' "$KUNIT_SRC/$1.c"); do
		[ -f "$KUNIT_SRC/$h" ] || die "kunit/$1.c includes \"$h\", which is not in kunit/"
		echo "$h"
	done
}

# fold_compiles COMMIT SUITE OBJLINE: does mm/tests/SUITE.o compile at
# COMMIT (of the stripped chain) with only that suite's files (suite_files)
# and obj line added? Cached by the commit's tree and the files' content.
fold_compiles() {
	local c=$1 suite=$2 line=$3 key res dir=$WORK/.kunit-fold f
	local files
	mapfile -t files < <(suite_files "$suite")
	key="$(git -C "$WORK" rev-parse "$c^{tree}") $(cd "$KUNIT_SRC" && cat "${files[@]}" | git hash-object --stdin) $suite"
	res=$(grep -F "$key " "$FOLD_CACHE" 2>/dev/null | tail -1 | cut -d' ' -f4-) || true
	if [ -n "$res" ]; then
		[ "$res" = yes ] && return 0
		log "  (cached) ${res#no }"
		return 1
	fi
	git -C "$WORK" checkout -q --detach -f "$c"
	mkdir -p "$WORK/$KUNIT_LINK_DIR" "$dir"
	for f in "${files[@]}"; do cp "$KUNIT_SRC/$f" "$WORK/$KUNIT_LINK_DIR/$f"; done
	printf '%s\n' "$line" >>"$WORK/mm/Makefile"
	kunitconfig_for "$WORK" "$dir/.config" "$UML_CONFIG"
	res=no
	if with_kbuild_lock bash -c 'make -s -C "$1" ARCH=um O="$2" olddefconfig &&
	     make -s -C "$1" ARCH=um O="$2" -j"$(nproc)" "$3"' _ \
	     "$WORK" "$dir" "$KUNIT_LINK_DIR/$suite.o" >"$BUILD/series-fold.log" 2>&1; then
		res=yes
	fi
	git -C "$WORK" checkout -q -f "$c" -- mm/Makefile
	for f in "${files[@]}"; do rm -f "$WORK/$KUNIT_LINK_DIR/$f"; done
	if [ "$res" = no ]; then
		res="no $(grep -m1 -E 'error:|Error ' "$BUILD/series-fold.log" | sed "s|$WORK/||" || echo 'no error line; see the log')"
		log "  ${res#no }"
	fi
	echo "$key $res" >>"$FOLD_CACHE"
	[ "$res" = yes ]
}

# maintainers_add IN OUT FILE [SECTION]: MAINTAINERS IN with "F:<tab>FILE"
# added, in order, to SECTION, or (no SECTION) to the section with the most
# exact F: entries among the files in $tmp/fold-files (the suite's
# <linux/*.h> headers and the files the fold patch changes). Prints the
# section's name; OUT is IN unchanged when no section fits.
maintainers_add() {
	python3 - "$@" "$tmp/fold-files" <<'PY'
import sys
src, dst, new = sys.argv[1:4]
want = sys.argv[4] if len(sys.argv) > 5 else None
files = set(open(sys.argv[-1]).read().split())
lines = open(src, encoding='utf-8', errors='surrogateescape').read().split('\n')
# sections: a name line (not "X:\t...") followed by "X:\t" lines
secs, i = [], 0
while i < len(lines):
    if lines[i] and not (len(lines[i]) > 2 and lines[i][1] == ':' and lines[i][2] == '\t') \
       and i + 1 < len(lines) and len(lines[i + 1]) > 2 and lines[i + 1][1:3] == ':\t':
        j = i + 1
        while j < len(lines) and len(lines[j]) > 2 and lines[j][1:3] == ':\t':
            j += 1
        secs.append((lines[i], i, j))
        i = j
    else:
        i += 1
best = None
for name, a, b in secs:
    fs = [l[3:].strip() for l in lines[a + 1:b] if l.startswith('F:\t')]
    if want is not None:
        if name == want:
            best = (1, name, a, b)
        continue
    score = sum(1 for f in fs if f in files)
    if score and (best is None or score > best[0]):
        best = (score, name, a, b)
if best is None:
    open(dst, 'w', encoding='utf-8', errors='surrogateescape').write('\n'.join(lines))
    sys.exit(0)
_, name, a, b = best
entry = 'F:\t' + new
body = lines[a + 1:b]
if entry not in body:
    fl = [k for k, l in enumerate(body) if l.startswith('F:\t')]
    pos = next((k for k in fl if body[k] > entry), (fl[-1] + 1) if fl else len(body))
    body.insert(pos, entry)
lines[a + 1:b] = body
open(dst, 'w', encoding='utf-8', errors='surrogateescape').write('\n'.join(lines))
print(name)
PY
}

# scratch_worktree DIR: make sure DIR is a worktree of the tree (ours alone:
# it is made anew when it belongs to an earlier tree, as after make prepare
# FORCE=1 or a new LINUX_SRC).
scratch_worktree() {
	worktree_at "$1" "$BASE_TAG"
	git -C "$1" am --abort >/dev/null 2>&1 || true
}

# --- 1-3. build each series and write it out ---------------------------------
scratch_worktree "$WORK"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT.new"
mkdir -p "$OUT.new"
declare -A tip=() start=() folder=()
summary=() warnings=()
sn=0
for s in "${series_order[@]}"; do
	sn=$((sn + 1))
	# shellcheck disable=SC1090
	TITLE= PREFIX= TO=() CC=() AFTER=() CHECK_BUILD= KCONFIG=() UPSTREAM_LINE=0
	. "$SERIES_DIR/$s/conf"
	[ -n "$PREFIX" ] || die "series/$s/conf sets no PREFIX"
	base=$BASE_TAG
	for a in "${AFTER[@]}"; do
		[ -n "${tip[$a]:-}" ] || die "series/$s/conf: AFTER=$a, which is not a series placed before it in patches/"
		base=${tip[$a]}
	done
	start[$s]=$(git -C "$WORK" rev-parse "$base^{commit}")
	git -C "$WORK" checkout -q --detach -f "${start[$s]}"
	git -C "$WORK" clean -q -fdx -e '.kunit*'

	# 1. apply
	mine=() suites=() entry=() objline=()
	k=0
	for i in "${!patches[@]}"; do
		[ "${pseries[$i]}" = "$s" ] || continue
		p=${patches[$i]}
		mine+=("$p")
		k=$((k + 1))
		while IFS= read -r l; do
			name=${l##*tests/}; name=${name%.o}
			suites+=("$name"); entry+=("$k"); objline+=("$l")
		done < <(awk '/^diff --git a\/mm\/Makefile /{f=1; next} /^diff --git /{f=0}
			f && /^\+obj-/ {print substr($0, 2)}' "$p" | grep -E "$OBJ_RE" || true)
		rc=0
		strip_obj "$p" "$tmp/p.patch" || rc=$?
		[ "$rc" = 0 ] || [ "$rc" = 3 ] || die "could not rewrite ${p##*/}"
		[ "$rc" = 0 ] || die "${p##*/} only adds suite obj lines; give it a change of its own or merge it into the patch it belongs to"
		if ! out=$("${gitme[@]}" -C "$WORK" am -q -3 "$tmp/p.patch" 2>&1); then
			git -C "$WORK" am --abort >/dev/null 2>&1 || true
			printf '%s\n' "$out" | grep -E '^(error|fatal|CONFLICT)' >&2 || printf '%s\n' "$out" >&2
			die "patches/${p##*/} does not apply in series '$s' (on ${AFTER[*]:-pristine $base_version}, without the other series' patches and the suites' obj lines). It depends on a patch left out of the series (series/map) or on another series (AFTER= in series/$s/conf): place it, or make it independent"
		fi
	done
	mapfile -t chain < <(git -C "$WORK" rev-list --reverse "${start[$s]}..HEAD")
	[ "${#chain[@]}" = "${#mine[@]}" ] || die "series '$s': ${#mine[@]} patches but ${#chain[@]} commits"

	# 2. where each suite folds
	declare -A fold=() msec=()
	folds=
	for j in "${!suites[@]}"; do
		su=${suites[$j]}
		[ -f "$KUNIT_SRC/$su.c" ] || die "a patch of series '$s' builds tests/$su.o, but kunit/$su.c does not exist"
		f= lo=${entry[j]}
		if [ -n "${fold_after[$su]:-}" ]; then
			for ((k = 1; k <= ${#mine[@]}; k++)); do
				[ "$(subject_of "${mine[k - 1]}")" = "${fold_after[$su]}" ] || continue
				[ "$k" -le "$lo" ] || lo=$k
				break
			done
			[ "$k" -le "${#mine[@]}" ] ||
				die "series/map: fold:$su names '${fold_after[$su]}', which is not in series '$s'"
		fi
		for ((k = lo; k <= ${#chain[@]}; k++)); do
			if fold_compiles "${chain[k - 1]}" "$su" "${objline[$j]}"; then
				f=$k; break
			fi
			log "kunit/$su.c does not compile at patch $k of '$s' (patches/${mine[k - 1]##*/})"
		done
		[ -n "$f" ] || die "kunit/$su.c compiles at no patch of series '$s' from its Makefile entry (patch ${entry[j]}) on; last log: $BUILD/series-fold.log"
		fold[$su]=$f
		if [ "$f" != "${entry[j]}" ] &&
		   git -C "$WORK" log -1 --format=%B "${chain[entry[j] - 1]}" | grep -q "tests/$su\.c"; then
			warnings+=("$s: the changelog of patches/${mine[entry[j] - 1]##*/} names tests/$su.c, which now comes with patches/${mine[f - 1]##*/}")
		fi
		# its MAINTAINERS section: checkpatch wants a patch that adds a
		# file to update MAINTAINERS, and the file should be listed
		c=${chain[f - 1]}
		{ suite_files "$su" | sed "s|^|$KUNIT_SRC/|" | xargs sed -nE 's|^#include <(linux/[a-z0-9_/]+\.h)>.*|include/\1|p'
		  git -C "$WORK" diff-tree --no-commit-id --name-only -r "$c^" "$c"; } >"$tmp/fold-files"
		git -C "$WORK" show "$c:MAINTAINERS" >"$tmp/M.in"
		msec[$su]=$(maintainers_add "$tmp/M.in" "$tmp/M.out" "$KUNIT_LINK_DIR/$su.c")
		if [ -n "${msec[$su]}" ]; then
			log "$s: MAINTAINERS: F: $KUNIT_LINK_DIR/$su.c in '${msec[$su]}'"
		else
			log "warning: $s: no MAINTAINERS section lists the files of kunit/$su.c or of patch $f; checkpatch will say so"
		fi
		folds+=" $su.c into $f/${#chain[@]}"
		if [ "$f" = "${entry[j]}" ]; then
			log "$s: kunit/$su.c folded into patch $f/${#chain[@]} (patches/${mine[f - 1]##*/}), which adds its obj line"
		elif [ "$f" = "$lo" ]; then
			log "$s: kunit/$su.c folded into patch $f/${#chain[@]} (patches/${mine[f - 1]##*/}) with its obj line, added by patch ${entry[j]} (patches/${mine[entry[j] - 1]##*/}); its cases hold from patch $f on (series/map: fold:$su)"
		else
			log "$s: kunit/$su.c folded into patch $f/${#chain[@]} (patches/${mine[f - 1]##*/}) with its obj line, added by patch ${entry[j]} (patches/${mine[entry[j] - 1]##*/}); it compiles from patch $f on"
		fi
	done

	# ... and the folded, re-signed commits (plumbing: no checkout)
	parent=${start[$s]}
	for ((k = 1; k <= ${#chain[@]}; k++)); do
		c=${chain[k - 1]}
		export GIT_INDEX_FILE=$tmp/index
		git -C "$WORK" read-tree "$c"
		mk=$(git -C "$WORK" show "$c:mm/Makefile")
		added=0
		for j in "${!suites[@]}"; do
			su=${suites[$j]}
			[ "${fold[$su]}" -le "$k" ] || continue
			while IFS= read -r f; do
				blob=$(git -C "$WORK" hash-object -w "$KUNIT_SRC/$f")
				git -C "$WORK" update-index --add --cacheinfo "100644,$blob,$KUNIT_LINK_DIR/$f"
			done < <(suite_files "$su")
			mk+=$'\n'${objline[$j]}
			added=1
		done
		if [ "$added" = 1 ]; then
			blob=$(printf '%s\n' "$mk" | git -C "$WORK" hash-object -w --stdin)
			git -C "$WORK" update-index --cacheinfo "100644,$blob,mm/Makefile"
			git -C "$WORK" show "$c:MAINTAINERS" >"$tmp/M.in"
			for j in "${!suites[@]}"; do
				su=${suites[$j]}
				[ "${fold[$su]}" -le "$k" ] && [ -n "${msec[$su]}" ] || continue
				while IFS= read -r f; do
					maintainers_add "$tmp/M.in" "$tmp/M.out" "$KUNIT_LINK_DIR/$f" "${msec[$su]}" >/dev/null
					mv "$tmp/M.out" "$tmp/M.in"
				done < <(suite_files "$su")
			done
			blob=$(git -C "$WORK" hash-object -w "$tmp/M.in")
			git -C "$WORK" update-index --cacheinfo "100644,$blob,MAINTAINERS"
		fi
		tree=$(git -C "$WORK" write-tree)
		unset GIT_INDEX_FILE
		an=$(git -C "$WORK" log -1 --format=%an "$c")
		ae=$(git -C "$WORK" log -1 --format=%ae "$c")
		ad=$(git -C "$WORK" log -1 --format=%ad --date=raw "$c")
		if [[ "<$ae>" =~ $PLACEHOLDER_RE ]]; then an=$me_name ae=$me_email; fi
		git -C "$WORK" log -1 --format=%B "$c" |
			grep -vE "^Signed-off-by: .*$PLACEHOLDER_RE" >"$tmp/msg"
		parent=$(GIT_AUTHOR_NAME=$an GIT_AUTHOR_EMAIL=$ae GIT_AUTHOR_DATE=$ad \
			"${gitme[@]}" -C "$WORK" commit-tree "$tree" -p "$parent" -F "$tmp/msg")
	done
	tip[$s]=$parent
	git -C "$WORK" checkout -q --detach -f "${tip[$s]}"
	unset fold msec

	# 3. format-patch
	dir=$(printf '%02d-%s' "$sn" "$s")
	folder[$s]=$dir
	n=${#chain[@]}
	rm -rf "$tmp/fp"
	git -C "$WORK" format-patch -q -o "$tmp/fp" "${start[$s]}..${tip[$s]}" >/dev/null
	# get_maintainer.pl offline (no git history); placeholders dropped.
	mapfile -t gm < <(cd "$WORK" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-rolestats --no-tree "$tmp"/fp/*.patch 2>/dev/null |
		grep -vE "$PLACEHOLDER_RE" || true)
	to_args=() cc_args=() seen=
	for a in "${TO[@]}"; do to_args+=(--to="$a"); seen+="|${a,,}"; done
	for a in "${CC[@]}" "${gm[@]}"; do
		case "$seen|" in *"|${a,,}|"*) continue ;; esac
		addr=${a##*<}; addr=${addr%>}
		case "$seen" in *"$addr"*) continue ;; esac
		cc_args+=(--cc="$a"); seen+="|${a,,}"
	done
	fp=("${gitme[@]}" -C "$WORK" format-patch -q --signoff --zero-commit
	    --subject-prefix="$PREFIX" -o "$OUT.new/$dir" "${to_args[@]}" "${cc_args[@]}")
	if [ "$n" -gt 1 ]; then
		[ -f "$SERIES_DIR/$s/cover.txt" ] || die "series '$s' has $n patches but no series/$s/cover.txt"
		fp+=(--numbered --cover-letter)
	fi
	"${fp[@]}" "${start[$s]}..${tip[$s]}" >/dev/null
	# fill in the cover letter, or the notes below "---"
	python3 - "$OUT.new/$dir" "$SERIES_DIR/$s" "$base_version" "$n" <<'PY'
import glob, os, sys
out, sdir, version, n = sys.argv[1:]
def fill(t):
    return t.replace('@VERSION@', version).replace('@N@', n).rstrip('\n') + '\n'
cover = os.path.join(sdir, 'cover.txt')
notes = os.path.join(sdir, 'notes.txt')
covers = glob.glob(os.path.join(out, '0000-cover-letter.patch'))
if covers:
    t = fill(open(cover).read())
    subj, _, body = t.partition('\n')
    body = body.lstrip('\n')
    c = open(covers[0]).read()
    assert '*** SUBJECT HERE ***' in c and '*** BLURB HERE ***' in c
    c = c.replace('*** SUBJECT HERE ***', subj.strip()).replace('*** BLURB HERE ***\n', body)
    open(covers[0], 'w').write(c)
elif os.path.exists(notes):
    for p in sorted(glob.glob(os.path.join(out, '*.patch'))):
        c = open(p).read().split('\n')
        i = c.index('---')
        c[i + 1:i + 1] = fill(open(notes).read()).rstrip('\n').split('\n') + ['']
        open(p, 'w').write('\n'.join(c))
PY
	if [ "$UPSTREAM_LINE" = 1 ] &&
	   ! grep -qE '^(\[ Upstream commit [0-9a-f]{12,40} \]|commit [0-9a-f]{12,40} upstream\.?)$' "$OUT.new/$dir"/*.patch; then
		warnings+=("$dir: no '[ Upstream commit <sha> ]' line (stable-kernel-rules.rst, option 3); add the mainline commit's id to the patch's changelog")
	fi
	summary+=("$dir: $n patches, [$PREFIX], To ${#to_args[@]}, Cc ${#cc_args[@]}${folds:+; suites folded:$folds}")
done

rm -rf "$OUT"
mv "$OUT.new" "$OUT"
{
	echo "Written by 'make series' from patches/ and kunit/ on $(date -u '+%Y-%m-%d %H:%M UTC'); against Linux $base_version."
	echo "Post each folder with git send-email (docs/workflow.md, 'Posting')."
	echo
	for i in "${!patches[@]}"; do
		s=${pseries[$i]}
		printf '%-44s %s\n' "${patches[$i]##*/}" "$([ "$s" = - ] && echo 'left out (series/map: -)' || echo "${folder[$s]}")"
	done
} >"$OUT/README"
log "wrote $OUT ($((SECONDS - t0)) s):"
printf '  %s\n' "${summary[@]}" >&2
# the changelogs should not speak of the sandbox (outgoing/ is read without it)
while IFS= read -r l; do
	warnings+=("changelog mentions the sandbox: ${l#"$OUT/"}")
done < <(for f in "$OUT"/*/*.patch; do
	awk -v f="$f" '/^---$/ {exit} /^(diff|Subject:)/ {next} tolower($0) ~ /sandbox|make (check|bench|series)|results\.md|design\.md/ {print f ":" FNR ": " $0}' "$f"
done)
for w in "${warnings[@]}"; do log "warning: $w"; done
if grep -qE '@localhost' "$OUT"/*/*.patch; then
	log "warning: placeholder addresses (@localhost) remain in the patches' content:"
	grep -nE '@localhost' "$OUT"/*/*.patch | sed "s|^$OUT/||" | head -10 >&2
fi
[ "$check" = 1 ] || exit 0

# --- checks ---------------------------------------------------------------------
scratch_worktree "$CHECK"
cp=("$CHECK/scripts/checkpatch.pl" --strict --quiet --no-summary --show-types
    --ignore UNKNOWN_COMMIT_ID)
[ -x /usr/bin/python3 ] && PATH=/usr/bin:$PATH
fails=0
results=()
for s in "${series_order[@]}"; do
	# shellcheck disable=SC1090
	TITLE= PREFIX= TO=() CC=() AFTER=() CHECK_BUILD= KCONFIG=() UPSTREAM_LINE=0
	. "$SERIES_DIR/$s/conf"
	dir=${folder[$s]}
	git -C "$CHECK" checkout -q --detach -f "$BASE_TAG"
	git -C "$CHECK" clean -q -fdx -e '.kunit*'
	# git am: what AFTER names, then the series, as a maintainer would
	ok=1
	for d in "${AFTER[@]}" "$s"; do
		for p in "$OUT/${folder[$d]}"/*.patch; do
			case ${p##*/} in 0000-cover-letter.patch) continue ;; esac
			if ! out=$(git -C "$CHECK" am -q "$p" 2>&1); then
				git -C "$CHECK" am --abort >/dev/null 2>&1 || true
				printf '%s\n' "$out" >&2
				results+=("$dir: FAIL git am of ${p#"$OUT"/} on pristine $base_version")
				ok=0 fails=$((fails + 1))
				break 2
			fi
		done
	done
	[ "$ok" = 1 ] || continue
	results+=("$dir: git am on pristine $base_version${AFTER[*]:+ after ${AFTER[*]}}: ok")
	# build
	blog=$BUILD/series-check-$s.log
	start_build=$SECONDS
	case $CHECK_BUILD in
	vma)
		if make -C "$CHECK/tools/testing/vma" -j"$(nproc)" >"$blog" 2>&1 &&
		   (cd "$CHECK/tools/testing/vma" && ./vma) >>"$blog" 2>&1; then
			results+=("$dir: tools/testing/vma builds and passes ($(grep -E '^[0-9]+ tests run' "$blog" | tail -1 || true)): ok")
		else
			tail -20 "$blog" >&2
			results+=("$dir: FAIL tools/testing/vma (log: $blog)"); fails=$((fails + 1))
		fi
		make -C "$CHECK/tools/testing/vma" clean >/dev/null 2>&1 || true
		;;
	uml)
		kc=$BUILD/series-check-$s.kunitconfig
		kfiles=("$UML_CONFIG")
		for f in "${KCONFIG[@]}"; do kfiles+=("$PROJECT/$f"); done
		kunitconfig_for "$CHECK" "$kc.new" "${kfiles[@]}"
		replace_if_changed "$kc.new" "$kc"
		if (uml_kbuild "$CHECK" "$CHECK/.kunit-$s" "$kc" "$blog"); then
			results+=("$dir: UML build (uml-config${KCONFIG[*]:+ + ${KCONFIG[*]}}, $(grep -c '=y' "$kc") options kept) in $((SECONDS - start_build)) s: ok")
		else
			results+=("$dir: FAIL UML build (log: $blog)"); fails=$((fails + 1))
			continue
		fi
		if [ "$bisect" = 1 ]; then
			if "$PROJECT/scripts/series-build.sh" --tree "$CHECK" \
			     --range "$(git -C "$CHECK" rev-parse "HEAD~$(git -C "$CHECK" rev-list --count "${start[$s]}..${tip[$s]}")")..HEAD" \
			     --config "$CHECK/.kunit-$s/.config" --suites --out "$CHECK/.kunit-$s-bisect" \
			     --log "$BUILD/series-bisect-$s.log"; then
				results+=("$dir: every prefix builds with the suites on: ok")
			else
				results+=("$dir: FAIL a prefix does not build (log: $BUILD/series-bisect-$s.log)"); fails=$((fails + 1))
			fi
			git -C "$CHECK" checkout -q --detach -f "$(git -C "$WORK" rev-parse "${tip[$s]}")" 2>/dev/null || true
		fi
		;;
	*) die "series/$s/conf: CHECK_BUILD='$CHECK_BUILD' (vma or uml)" ;;
	esac
	# checkpatch --strict
	bad=0
	for p in "$OUT/$dir"/*.patch; do
		case ${p##*/} in 0000-cover-letter.patch) continue ;; esac
		out=$(cd "$CHECK" && "${cp[@]}" "$p" 2>&1) || true
		if [ -n "$out" ]; then
			echo "${p#"$OUT"/}:"; printf '%s\n' "$out" | sed 's/^/  /'
			bad=$((bad + 1))
		fi
	done
	if [ "$bad" = 0 ]; then
		results+=("$dir: checkpatch --strict: clean")
	else
		results+=("$dir: FAIL checkpatch --strict: $bad patches with findings (above)"); fails=$((fails + 1))
	fi
done
[ "$bisect" = 1 ] || results+=("(every-prefix builds not checked: BISECT=1 make series)")
printf '%s\n' "${results[@]}"
echo "series: ${#series_order[@]} series in outgoing/, $fails checks failed ($((SECONDS - t0)) s)"
[ "$fails" = 0 ]
