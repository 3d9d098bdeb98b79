# Document expansion from training judgments, out of fold. Reads QRELS (query-id doc-id grade, header line),
# QUERIES (queries.jsonl) and CORPUS (corpus.jsonl), in that order:
#
#   LC_ALL=C awk -v folds=5 -v queries_out=Q.jsonl -f judged-queries.awk QRELS QUERIES CORPUS > CORPUS-OUT
#
# Every judged query (grade >= 1) falls into one of `folds` folds by a hash of its id. Each corpus line gains the
# array fields train_claims_all (the texts of every judged query that found the document relevant) and
# train_claims_K for each fold K (the same without the queries of fold K). queries_out gets the judged queries with
# "params": {"fold": "K"}, so that a training query's features read a field that never holds its own text; at
# serving time the feature set's default "fold" is "all". docs/relevance.md explains why. Lines must be one JSON
# object each, ids strings or integers; query texts are copied as JSON literals, never decoded.
function hash(s,    h, i) {
    h = 0
    for (i = 1; i <= length(s); i++) h = (h * 31 + ord[substr(s, i, 1)]) % 2147483647
    return h
}
function member(line, name,    rest) {
    if (!match(line, "\"" name "\"[ \t]*:[ \t]*")) return ""
    rest = substr(line, RSTART + RLENGTH)
    if (match(rest, /^"([^"\\]|\\.)*"/)) return substr(rest, RSTART, RLENGTH)
    if (match(rest, /^-?[0-9]+/)) return "\"" substr(rest, RSTART, RLENGTH) "\""
    return ""
}
function array(list) {
    return "[" substr(list, 3) "]"
}
BEGIN {
    if (folds < 2) { print "judged-queries.awk: folds must be at least 2" > "/dev/stderr"; exit 2 }
    for (i = 1; i < 128; i++) ord[sprintf("%c", i)] = i
    file = 0
}
FNR == 1 { file++ }
file == 1 {
    if (FNR == 1 && $3 !~ /^-?[0-9]+$/) next
    if (NF >= 3 && $NF + 0 >= 1) { qrel_q[++pairs] = $1; qrel_d[pairs] = $(NF - 1); judged[$1] = 1 }
    next
}
file == 2 {
    id = member($0, "id"); text = member($0, "text")
    if (id == "" || text == "") next
    bare = substr(id, 2, length(id) - 2)
    if (!(bare in judged)) next
    fold[bare] = hash(bare) % folds
    claim[bare] = text
    print "{\"id\": " id ", \"text\": " text ", \"params\": {\"fold\": \"" fold[bare] "\"}}" > queries_out
    next
}
file == 3 {
    if (!built) {
        for (p = 1; p <= pairs; p++) {
            q = qrel_q[p]; d = qrel_d[p]
            if (!(q in claim)) continue
            all[d] = all[d] ", " claim[q]
            for (k = 0; k < folds; k++) if (fold[q] != k) part[d, k] = part[d, k] ", " claim[q]
        }
        built = 1
    }
    id = member($0, "id")
    bare = substr(id, 2, length(id) - 2)
    if (!(bare in all)) { print; next }
    extra = ", \"train_claims_all\": " array(all[bare])
    for (k = 0; k < folds; k++) if ((bare, k) in part) extra = extra ", \"train_claims_" k "\": " array(part[bare, k])
    line = $0
    sub(/}[ \t\r]*$/, extra "}", line)
    print line
}
