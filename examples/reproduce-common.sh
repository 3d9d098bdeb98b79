# Shared by examples/*/reproduce.sh: builds an index from DATA (corpus.jsonl, queries.jsonl, qrels/train.tsv), writes
# the tuned BM25 run, trains LambdaMART on the train judgments with the lexical feature set, and writes the run that
# reranks BM25's top 100 with it. Sourced with $collection (the folder under examples/) and $train_params set.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 DATA OUT" >&2
    echo "  DATA: a folder with corpus.jsonl, queries.jsonl and qrels/train.tsv; OUT: where the runs go" >&2
    exit 2
fi
for file in corpus.jsonl queries.jsonl qrels/train.tsv; do
    if [[ ! -f $1/$file ]]; then
        echo "$0: $1/$file is missing" >&2
        exit 2
    fi
done

data=$(cd -P "$1" && pwd)
mkdir -p "$2"
out=$(cd -P "$2" && pwd)
repo=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here=$repo/examples/$collection
rankql=$repo/rankql

# A fresh data directory inside OUT, so that a second run starts from the same state.
export RANKQL_DATA=$out/rankql-data
rm -rf "$RANKQL_DATA"
start=$(date +%s)
step() { echo "[$(( $(date +%s) - start ))s] $*" >&2; }

step "index $collection"
"$rankql" index create "$collection" --body "$here/index.json" >/dev/null
"$rankql" ingest "$collection" "$data/corpus.jsonl" --refresh >/dev/null

step "BM25 run: $out/bm25.trec"
"$rankql" run "$collection" --queries "$data/queries.jsonl" --request "$here/bm25.json" --size 100 \
    --tag bm25 --out "$out/bm25.trec" >/dev/null

step "train LambdaMART on qrels/train.tsv (grouped validation split, seed 42, one thread)"
"$rankql" train "$collection" --features "$repo/examples/features/lexical.json" --queries "$data/queries.jsonl" \
    --qrels "$data/qrels/train.tsv" --request "$here/bm25.json" --top 100 --params "$train_params" \
    --validation-fraction 0.2 --seed 42 --model-id "$collection-ltr" --out "$out/model.json" > "$out/train.json"

step "LTR run: $out/ltr.trec"
"$rankql" run "$collection" --queries "$data/queries.jsonl" --request "$here/ltr.json" --size 100 \
    --tag ltr --out "$out/ltr.trec" >/dev/null

step "done; validation figures in $out/train.json"
