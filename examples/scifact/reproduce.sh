#!/usr/bin/env bash
# SciFact: writes OUT/bm25.trec (tuned BM25) and OUT/ltr.trec (LambdaMART over BM25's top 100 with the lexical
# feature set and the cosine of a pretrained encoder's vectors, bge-small-en-v1.5 run in process, then +3 for each
# candidate that a training claim sharing at least 60% of the query's terms cited), trained on DATA's
# qrels/train.tsv only; the abstracts are first expanded with the training claims that cited them.
# docs/relevance.md explains the choices and the figures. Usage: reproduce.sh DATA OUT
collection=scifact
train_params=max_depth=3,eta=0.02,min_child_weight=5,subsample=0.8,colsample_bytree=0.8,lambdarank_pair_method=mean,lambdarank_num_pair_per_sample=16,num_boost_round=500,early_stopping_rounds=100
claim_folds=5
embed_model=bge-small-en-v1.5
feature_set=lexical-embedding.json
# shellcheck source=../reproduce-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../reproduce-common.sh"
