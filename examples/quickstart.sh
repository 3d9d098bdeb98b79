#!/usr/bin/env bash
# The quick start: create the products index from mapping.json, load 200 products, then search them twice in the
# DSL — plain BM25, and BM25 whose top 50 are rescored by a phrase query — printing each as a table.
#
# Usage: examples/quickstart.sh [DATA_DIR]
# Without DATA_DIR it uses a fresh temporary directory and removes it at the end; with one, it (re)creates the
# products index there and leaves it, so that you can go on with `./rankql --data DATA_DIR search products ...`.
set -euo pipefail

here=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rankql=$here/../rankql
products=$here/products

if [[ $# -gt 0 ]]; then
    data=$1
else
    data=$(mktemp -d "${TMPDIR:-/tmp}/rankql-quickstart.XXXXXX")
    trap 'rm -rf "$data"' EXIT
fi

# Shows the command as one would type it (arguments with spaces quoted, paths shortened), then runs it.
run() {
    local shown="\$ rankql" arg
    for arg in "$@"; do
        arg=${arg#"$products/"}
        if [[ $arg == *[[:space:]\"\(\)\|\^]* ]]; then shown+=" '$arg'"; else shown+=" $arg"; fi
    done
    echo "$shown"
    "$rankql" --data "$data" "$@"
    echo
}

# A re-run into the same DATA_DIR starts over; the first run has nothing to delete (exit 3, not found).
"$rankql" --data "$data" index delete products >/dev/null 2>&1 || [[ $? -eq 3 ]]

run index create products --body "$products/mapping.json"
echo "\$ rankql ingest products products.jsonl --refresh     # the _bulk response, summed up here"
response=$("$rankql" --data "$data" ingest products "$products/products.jsonl" --refresh)
created=$(grep -o '"status":201' <<<"$response" | wc -l)
echo "  $(grep -o '"errors":[a-z]*' <<<"$response"), $((created)) documents created"
echo

run search products 'QUERY multi_match("desk lamp", fields: [title^2, description]) SIZE 5' --format table --columns title,brand,price

run search products 'RETRIEVE standard(multi_match("usb c cable", fields: [title^2, description]))
  | RESCORE query(match_phrase(title, "usb c cable", slop: 1), rescore_query_weight: 2) WINDOW 50
SIZE 5' --format table --columns title,brand,price
