#!/usr/bin/env bash
# Install the Debian packages the sandbox needs, if any is missing.
set -euo pipefail
usage() {
	echo "usage: ${0##*/} [PACKAGE...]   (installs the sandbox's missing Debian packages, and"
	echo "       the PACKAGEs a target needs beyond them; needs root or sudo)"
}
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) usage >&2; exit 2 ;; esac

# Package -> why:
#   linux-source-6.12  the default kernel source (/usr/src/linux-source-6.12.tar.xz)
#   gcc make flex bison bc libelf-dev  a kernel build
#   ccache             every build goes through it
#   git xz-utils       the prepared tree; unpacking the source
#   perl               scripts/checkpatch.pl
#   python3            tools/testing/kunit/kunit.py
#   gdb valgrind       make gdb, make valgrind, make valgrind-uml (its headers)
#   libc6-dev          host programs, uml/selfcheck (static)
#   liburcu-dev        the host builds (maple tree shims, tools/testing/vma)
#   python3-ply python3-git  checkpatch's SPDX check (scripts/spdxcheck.py)
#   stress-ng util-linux  make pressure STRESS=1 (stress-ng's stressors), mkswap;
#                      flock (one kernel build at a time)
#   libcap-dev libnuma-dev  make selftests (mlock-random-test, ksm_tests)
# Asked for by a target that needs more (not installed by make or make check):
#   qemu-system-x86    make check-smp (kunit.py --arch=x86_64 boots on QEMU, TCG;
#                      with it qemu-system-data's qboot.rom)
pkgs=(linux-source-6.12 gcc libc6-dev make flex bison bc libelf-dev ccache git xz-utils
      perl gdb valgrind liburcu-dev python3-ply python3-git stress-ng util-linux
      libcap-dev libnuma-dev "$@")

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
# Any python3 >= 3.7 will do for kunit.py; only install Debian's if none.
command -v python3 >/dev/null || missing+=(python3)

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null ||
		{ echo "${0##*/}: error: missing packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "==> installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
