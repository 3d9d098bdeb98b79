#!/usr/bin/env bash
# Fetches the real corpus of `rankql bench --corpus`: GCIDE (dict-gcide) and WordNet 3.0 (wordnet-base) from the
# machine's Debian archive, unpacked without installing, converted to docs-*.jsonl under OUT (about 244,000 short
# documents, ~70 MB). Never run by --quick or by the tests; OUT must not be committed (bench/corpus/ is gitignored).
#
# Usage: bench/scripts/fetch-gcide-wordnet.sh [OUT]     (default OUT: bench/corpus/gcide-wordnet)
# Then:  ./rankql bench --quick --corpus OUT
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/bench/corpus/gcide-wordnet}
mkdir -p "$out"
out=$(cd -P "$out" && pwd)
debs=$out/debs
raw=$out/raw
mkdir -p "$debs"

if ! ls "$debs"/dict-gcide_*.deb >/dev/null 2>&1 || ! ls "$debs"/wordnet-base_*.deb >/dev/null 2>&1; then
    # apt-get download needs the package lists; `apt-get update` (as root) refreshes them when it cannot find them.
    (cd "$debs" && apt-get download dict-gcide wordnet-base) || {
        echo "fetch-gcide-wordnet: apt-get download failed; run 'apt-get update' (as root) and try again" >&2
        exit 1
    }
fi
rm -rf "$raw"
mkdir -p "$raw"
for deb in "$debs"/dict-gcide_*.deb "$debs"/wordnet-base_*.deb; do
    dpkg-deb -x "$deb" "$raw"
done
rm -f "$out"/docs-*.jsonl
"$root/rankql" bench gcide-wordnet "$raw" "$out"
