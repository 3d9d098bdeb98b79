# Shared by examples/*/reproduce.sh: builds an index from DATA (corpus.jsonl, queries.jsonl, qrels/train.tsv), writes
# the tuned BM25 run, trains LambdaMART on the train judgments with the lexical feature set, and writes the run that
# reranks BM25's top 100 with it. Sourced with $collection (the folder under examples/) and $train_params set, and
# optionally $feature_set (a file of examples/features/, default lexical.json) and $claim_folds: when set, every
# document is first expanded with the texts of the training queries judged relevant to it, out of fold
# (examples/judged-queries.awk; docs/relevance.md, "Document expansion with the training claims"); and
# $lsa_dimensions, a list such as "100 200": for each K an LSA embedding of K dimensions is fitted to the corpus's
# title and text, every document gets it in the field lsaK and every query in the param query_vector_K
# (docs/relevance.md, "Latent semantic analysis"); and $embed_model, a pretrained encoder of `rankql embed`: every
# document's title and text get its vector in the field embedding, and the feature set names the same model to embed
# the queries (docs/relevance.md, "A pretrained text encoder"); and $train_options, more options of `rankql train`
# (Cranfield: --refit).
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
features=$repo/examples/features/${feature_set:-lexical.json}

# A fresh data directory inside OUT, so that a second run starts from the same state.
export RANKQL_DATA=$out/rankql-data
rm -rf "$RANKQL_DATA"
start=$(date +%s)
step() { echo "[$(( $(date +%s) - start ))s] $*" >&2; }

corpus=$data/corpus.jsonl
train_queries=$data/queries.jsonl
if [[ -n ${claim_folds-} ]]; then
    step "expand the documents with the training claims judged relevant to them ($claim_folds folds)"
    corpus=$out/corpus-claims.jsonl
    train_queries=$out/train-queries.jsonl
    LC_ALL=C awk -v folds="$claim_folds" -v queries_out="$train_queries" -f "$repo/examples/judged-queries.awk" \
        "$data/qrels/train.tsv" "$data/queries.jsonl" "$data/corpus.jsonl" > "$corpus"
fi

queries=$data/queries.jsonl
if [[ -n ${lsa_dimensions-} ]]; then
    for k in $lsa_dimensions; do
        step "latent semantic analysis: fit $k dimensions to title and text, embed the documents and queries"
        "$rankql" lsa fit "$data/corpus.jsonl" --fields title,text --analyzer english --dimensions "$k" \
            --out "$out/lsa-$k.json" >/dev/null
        "$rankql" lsa embed "$out/lsa-$k.json" --corpus "$corpus" --field "lsa$k" --out "$out/corpus-lsa$k.jsonl" >/dev/null
        corpus=$out/corpus-lsa$k.jsonl
        "$rankql" lsa embed "$out/lsa-$k.json" --queries "$queries" --param "query_vector_$k" \
            --out "$out/queries-lsa$k.jsonl" >/dev/null
        queries=$out/queries-lsa$k.jsonl
        if [[ -n ${claim_folds-} ]]; then
            "$rankql" lsa embed "$out/lsa-$k.json" --queries "$train_queries" --param "query_vector_$k" \
                --out "$out/train-queries-lsa$k.jsonl" >/dev/null
            train_queries=$out/train-queries-lsa$k.jsonl
        fi
    done
    [[ -n ${claim_folds-} ]] || train_queries=$queries
fi
if [[ -n ${embed_model-} ]]; then
    # Queries need no file of vectors: the feature set's query_vector_builder has the engine embed each query's text.
    step "embed every document's title and text with the pretrained $embed_model"
    "$rankql" embed --model "$embed_model" --corpus "$corpus" --fields title,text --field embedding \
        --out "$out/corpus-embedding.jsonl" >/dev/null
    corpus=$out/corpus-embedding.jsonl
fi

step "index $collection"
"$rankql" index create "$collection" --body "$here/index.json" >/dev/null
"$rankql" ingest "$collection" "$corpus" --refresh >/dev/null

step "BM25 run: $out/bm25.trec"
"$rankql" run "$collection" --queries "$data/queries.jsonl" --request "$here/bm25.json" --size 100 \
    --tag bm25 --out "$out/bm25.trec" >/dev/null

step "train LambdaMART on qrels/train.tsv (grouped validation split, seed 42, one thread)"
"$rankql" train "$collection" --features "$features" --queries "$train_queries" \
    --qrels "$data/qrels/train.tsv" --request "$here/bm25.json" --top 100 --params "$train_params" \
    --validation-fraction 0.2 --seed 42 ${train_options-} --model-id "$collection-ltr" --out "$out/model.json" \
    > "$out/train.json"

step "LTR run: $out/ltr.trec"
"$rankql" run "$collection" --queries "$queries" --request "$here/ltr.json" --size 100 \
    --tag ltr --out "$out/ltr.trec" >/dev/null

step "done; validation figures in $out/train.json"
