#!/bin/sh
# Regenerates the libmemcached ketama vectors in this directory from the installed libmemcached.
# Needs gcc and libmemcached-dev (Debian/Ubuntu: apt-get install -y gcc libmemcached-dev); nothing
# connects to the servers named. Run from anywhere: sh generate.sh
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/ketama_vectors" "$dir/ketama_vectors.c" -lmemcached
pkg=$(dpkg-query -W -f '${Package} ${Version}' libmemcached-dev 2>/dev/null || echo 'libmemcached-dev (version unknown: not a dpkg system)')
keys=3000

# servers PREFIX COUNT [PORT]: PREFIX1:PORT ... PREFIXCOUNT:PORT
servers() {
  i=1
  while [ "$i" -le "$2" ]; do
    printf '%s%d:%s ' "$1" "$i" "${3:-11211}"
    i=$((i + 1))
  done
}

run() { # FILE MODE SERVER...
  file=$1
  mode=$2
  shift 2
  {
    echo "# Produced by libmemcached itself, not by Headroom: $pkg (dpkg), gcc $(gcc -dumpfullversion), $(uname -m)"
    echo "# by: sh generate.sh (in this directory), which runs ketama_vectors.c as below"
    "$tmp/ketama_vectors" "$mode" "$keys" "$@"
  } > "$dir/$file.tmp"
  mv "$dir/$file.tmp" "$dir/$file"
  echo "$file: $(grep -c '^server' "$dir/$file") servers, $(grep -m1 '^# continuum' "$dir/$file" | cut -c3-)"
}

run_weighted() { file=$1; shift; run "$file" weighted "$@"; }

run_weighted weighted-3-servers.txt $(servers 10.0.1. 3)
run_weighted weighted-10-servers-named-ports.txt \
  cache-a.example.com:11211 cache-b.example.com:11212 cache-c.example.com:11211 10.1.0.4:11211 \
  10.1.0.5:22122 localhost:11211 localhost:11212 mc-8:11211 mc-9:11213 mc-10:11211
run_weighted weighted-100-servers.txt $(servers 10.0.2. 100)
# 99, not 101: libmemcached 1.1.4 as Debian builds it aborts (assertion "memcached_server_count(ptr)
# * MEMCACHED_POINTS_PER_SERVER <= MEMCACHED_CONTINUUM_SIZE" in update_continuum) when a consistent
# distribution has more than 100 servers.
run_weighted weighted-99-servers.txt $(servers 10.0.3. 99)
run_weighted weighted-8-servers-memory-weights.txt \
  10.0.1.1:11211:100 10.0.1.2:11211:150 10.0.1.3:11211:200 10.0.1.4:11211:100 \
  10.0.1.5:11211:150 10.0.1.6:11211:200 10.0.1.7:11211:100 10.0.1.8:11211:150
run_weighted weighted-7-servers-fibonacci-weights.txt \
  w1:11211:1 w2:11211:2 w3:11212:3 w4:11211:5 w5:11211:8 w6:11213:13 w7:11211:21
run plain-10-servers.txt plain $(servers 10.0.1. 10)
