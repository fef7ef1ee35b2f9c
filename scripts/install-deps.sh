#!/bin/sh
# Install the Debian packages cx needs to build, test and run its demo and
# benchmark.  Idempotent; does nothing when everything is present.  Needs root
# (or sudo) only when something is missing.
set -eu
pkgs="build-essential pkg-config libcsv-dev zlib1g-dev check libsubunit-dev mandoc
tzdata sqlite3 miller datamash parallel valgrind gcovr clang-14 libclang-rt-14-dev
shellcheck libssl-dev openssl time chromium libisal-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
