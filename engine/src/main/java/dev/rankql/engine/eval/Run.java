package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rankings a system returned: for each query id, its scored documents from the top down, with no document twice
 * in one ranking.
 *
 * <p>A run built in memory is in the order the system ranked; {@link #trecEvalOrder()} re-sorts it the way trec_eval
 * reads a run file, and {@link RunFile#read} returns runs already in that order.
 */
public final class Run {

    /**
     * trec_eval's order within a query: score descending, ties broken by document id descending, comparing ids as
     * C's {@code strcmp} compares their UTF-8 bytes (that is, by Unicode code point); like C's comparison
     * operators, it treats {@code -0.0} and {@code 0.0} as equal scores.
     */
    public static final Comparator<ScoredDoc> TREC_EVAL_ORDER = Run::compareTrecEval;

    private final Map<String, List<ScoredDoc>> rankings;

    private Run(Map<String, List<ScoredDoc>> rankings) {
        this.rankings = rankings;
    }

    /**
     * Copies query id → ranking, keeping the order of queries and of each ranking.
     *
     * @throws IllegalArgumentException when a query id is empty or contains whitespace, or a ranking holds a
     *     document twice
     */
    public static Run of(Map<String, ? extends List<ScoredDoc>> rankings) {
        requireNonNull(rankings, "rankings");
        Map<String, List<ScoredDoc>> copy = new LinkedHashMap<>();
        rankings.forEach((queryId, ranking) -> {
            Qrels.checkId(queryId, "query id");
            List<ScoredDoc> docs = List.copyOf(requireNonNull(ranking, "ranking of query " + queryId));
            checkDistinct(queryId, docs);
            copy.put(queryId, docs);
        });
        return new Run(Collections.unmodifiableMap(copy));
    }

    private static void checkDistinct(String queryId, List<ScoredDoc> docs) {
        Set<String> seen = new HashSet<>();
        for (ScoredDoc doc : docs) {
            if (!seen.add(doc.docId())) {
                throw new IllegalArgumentException(
                        "document [" + doc.docId() + "] is ranked twice for query [" + queryId + "]");
            }
        }
    }

    /** The query ids of the run, in order. */
    public Set<String> queryIds() {
        return rankings.keySet();
    }

    /** The ranking of a query, top first; empty when the run has none for it. */
    public List<ScoredDoc> ranking(String queryId) {
        return rankings.getOrDefault(requireNonNull(queryId, "queryId"), List.of());
    }

    /** Whether the run has a ranking (possibly empty) for the query. */
    public boolean contains(String queryId) {
        return rankings.containsKey(queryId);
    }

    /** The document ids of each ranking, in the run's order. */
    public Map<String, List<String>> docIds() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        rankings.forEach((queryId, docs) -> ids.put(queryId, docs.stream().map(ScoredDoc::docId).toList()));
        return Collections.unmodifiableMap(ids);
    }

    /** This run with every ranking re-sorted by {@link #TREC_EVAL_ORDER}, as trec_eval evaluates it. */
    public Run trecEvalOrder() {
        Map<String, List<ScoredDoc>> sorted = new LinkedHashMap<>();
        rankings.forEach((queryId, docs) -> {
            List<ScoredDoc> copy = new ArrayList<>(docs);
            copy.sort(TREC_EVAL_ORDER);
            sorted.put(queryId, List.copyOf(copy));
        });
        return new Run(Collections.unmodifiableMap(sorted));
    }

    private static int compareTrecEval(ScoredDoc x, ScoredDoc y) {
        if (x.score() > y.score()) {
            return -1;
        }
        if (x.score() < y.score()) {
            return 1;
        }
        return compareCodePoints(y.docId(), x.docId());
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Run r && rankings.equals(r.rankings);
    }

    @Override
    public int hashCode() {
        return rankings.hashCode();
    }

    @Override
    public String toString() {
        return "Run[" + rankings.size() + " queries]";
    }
}
