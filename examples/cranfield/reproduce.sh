#!/usr/bin/env bash
# Cranfield: writes OUT/bm25.trec (tuned BM25) and OUT/ltr.trec (LambdaMART over BM25's top 100 with the lexical
# features, three latent semantic similarities and the cosine of a pretrained encoder's vectors, bge-small-en-v1.5
# run in process; refitted on every train query once early stopping chose its length), trained on DATA's
# qrels/train.tsv only. docs/relevance.md explains the choices and the figures.
# Usage: reproduce.sh DATA OUT
collection=cranfield
train_params=objective=rank:pairwise,max_depth=3,eta=0.05,num_boost_round=500,early_stopping_rounds=100
feature_set=lexical-lsa-embedding.json
lsa_dimensions="100 200 400"
embed_model=bge-small-en-v1.5
train_options=--refit
# shellcheck source=../reproduce-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../reproduce-common.sh"
