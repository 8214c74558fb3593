#!/usr/bin/env bash
# Build a Slurm release from source once, with slurmrestd and JWT, and keep
# it outside the repository so that later runs (and later clones) reuse it.
#
#   cluster/build-slurm.sh            build SLURM_VERSION (25.11.7) if not cached
#   cluster/build-slurm.sh --prefix   print where it is (or will be) installed
#
# SLURM_TARBALL: where the source comes from, a path or a URL (default:
# SchedMD's download address for the release). SLURMRESTPY_CACHE: the cache
# folder (default /var/cache/slurmrestpy). The compiler's output goes to a log
# file whose path is printed; the terminal sees one line per step and a
# progress line while compiling.
set -euo pipefail

VERSION=${SLURM_VERSION:-25.11.7}
CACHE=${SLURMRESTPY_CACHE:-/var/cache/slurmrestpy}
PREFIX=$CACHE/slurm-$VERSION
TARBALL=${SLURM_TARBALL:-https://download.schedmd.com/slurm/slurm-$VERSION.tar.bz2}
LOG=$CACHE/build-slurm-$VERSION.log
BUILD_PACKAGES=(build-essential pkg-config libmunge-dev munge libjwt-dev libyaml-dev libjson-c-dev
    libhttp-parser-dev libmariadb-dev mariadb-server libpam0g-dev libdbus-1-dev curl bzip2)

if [[ ${1:-} == --prefix ]]; then echo "$PREFIX"; exit 0; fi
# A finished build leaves this stamp last: a half-done one is built again.
[[ -e $PREFIX/.built ]] && exit 0

step() { printf 'slurm %s: [%s/5] %s\n' "$VERSION" "$1" "$2" >&2; }
fail() { printf 'slurm %s: %s failed; the whole log is %s\n' "$VERSION" "$1" "$LOG" >&2; tail -n 20 "$LOG" >&2; exit 1; }

mkdir -p "$CACHE"
: >"$LOG"
printf 'slurm %s: building into %s (about 4 minutes on 2 cores); log: %s\n' "$VERSION" "$PREFIX" "$LOG" >&2

step 1 "installing build dependencies"
missing=()
for p in "${BUILD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"; } >>"$LOG" 2>&1 || fail "installing ${missing[*]}"
fi

step 2 "unpacking $TARBALL"
SRC=$CACHE/src-$VERSION
rm -rf "$SRC" && mkdir -p "$SRC"
archive=$TARBALL
if [[ $TARBALL == *://* ]]; then
    archive=$CACHE/$(basename "$TARBALL")
    curl -fsSL -o "$archive" "$TARBALL" >>"$LOG" 2>&1 || fail "downloading $TARBALL"
fi
tar -xf "$archive" -C "$SRC" --strip-components=1 >>"$LOG" 2>&1 || fail "unpacking $archive"

step 3 "configuring"
(cd "$SRC" && ./configure --prefix="$PREFIX" --sysconfdir="$PREFIX/etc" --disable-static \
    --with-jwt --with-yaml --with-json --with-http-parser --with-munge \
    --enable-slurmrestd --enable-multiple-slurmd) >>"$LOG" 2>&1 || fail "configure"

step 4 "compiling with $(nproc) jobs"
total=$(find "$SRC/src" -name '*.c' | wc -l)
(cd "$SRC" && make -j"$(nproc)") >>"$LOG" 2>&1 &
builder=$!
started=$SECONDS
while kill -0 "$builder" 2>/dev/null; do
    sleep 15
    done_count=$(find "$SRC/src" -name '*.lo' 2>/dev/null | wc -l)
    printf 'slurm %s:       %d of about %d sources compiled, %ds\n' "$VERSION" "$done_count" "$total" \
        $((SECONDS - started)) >&2
done
wait "$builder" || fail "make"

step 5 "installing"
(cd "$SRC" && make install) >>"$LOG" 2>&1 || fail "make install"
rm -rf "$SRC"
touch "$PREFIX/.built"
printf 'slurm %s: ready in %s\n' "$VERSION" "$PREFIX" >&2
