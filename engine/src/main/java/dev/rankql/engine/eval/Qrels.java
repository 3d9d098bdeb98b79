package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Relevance judgments: for each query id, the graded documents, in the order they were first added.
 *
 * <p>A grade of at least {@link #RELEVANT} makes a document relevant; grades of 0 or below are judged non-relevant,
 * and documents without a judgment are treated exactly like non-relevant ones by every metric.
 */
public final class Qrels {

    /** The lowest relevant grade, trec_eval's default {@code -l 1}. */
    public static final int RELEVANT = 1;

    private final Map<String, Map<String, Integer>> judgments;

    private Qrels(Map<String, Map<String, Integer>> judgments) {
        this.judgments = judgments;
    }

    /** Copies query id → (document id → grade); the iteration order of the maps is kept. */
    public static Qrels of(Map<String, ? extends Map<String, Integer>> judgments) {
        requireNonNull(judgments, "judgments");
        Builder builder = builder();
        judgments.forEach((queryId, grades) -> {
            requireNonNull(grades, "grades of query " + queryId);
            grades.forEach((docId, grade) -> builder.add(queryId, docId, requireNonNull(grade, "grade")));
        });
        return builder.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The judged query ids, in the order they first appeared. */
    public Set<String> queryIds() {
        return judgments.keySet();
    }

    /** The judged documents of a query with their grades; empty when the query has no judgments. */
    public Map<String, Integer> judgments(String queryId) {
        return judgments.getOrDefault(requireNonNull(queryId, "queryId"), Map.of());
    }

    /** The grade of a document for a query, if it was judged. */
    public OptionalInt grade(String queryId, String docId) {
        Integer grade = judgments(queryId).get(requireNonNull(docId, "docId"));
        return grade == null ? OptionalInt.empty() : OptionalInt.of(grade);
    }

    /** How many documents of the query have a grade of at least {@link #RELEVANT}. */
    public int relevantCount(String queryId) {
        int count = 0;
        for (int grade : judgments(queryId).values()) {
            if (grade >= RELEVANT) {
                count++;
            }
        }
        return count;
    }

    /** The queries with at least one relevant document, in order: the queries that rankql evaluates. */
    public List<String> queriesWithRelevant() {
        return judgments.keySet().stream().filter(q -> relevantCount(q) > 0).toList();
    }

    /** The number of (query, document) judgments. */
    public int size() {
        return judgments.values().stream().mapToInt(Map::size).sum();
    }

    /** The judgments of the given queries only (for example a dev split), keeping this object's order. */
    public Qrels restrictTo(Collection<String> queryIds) {
        Set<String> wanted = Set.copyOf(queryIds);
        Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
        judgments.forEach((queryId, grades) -> {
            if (wanted.contains(queryId)) {
                kept.put(queryId, grades);
            }
        });
        return new Qrels(Collections.unmodifiableMap(kept));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Qrels q && judgments.equals(q.judgments);
    }

    @Override
    public int hashCode() {
        return judgments.hashCode();
    }

    @Override
    public String toString() {
        return "Qrels[" + judgments.size() + " queries, " + size() + " judgments]";
    }

    /** Collects judgments one at a time and rejects a second grade for the same query and document. */
    public static final class Builder {

        private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds one judgment.
         *
         * @throws IllegalArgumentException when an id is empty or contains whitespace, or the pair was already judged
         */
        public Builder add(String queryId, String docId, int grade) {
            checkId(queryId, "query id");
            checkId(docId, "document id");
            Map<String, Integer> grades = judgments.computeIfAbsent(queryId, q -> new LinkedHashMap<>());
            Integer previous = grades.putIfAbsent(docId, grade);
            if (previous != null) {
                throw new IllegalArgumentException("document [" + docId + "] is judged twice for query [" + queryId
                        + "] (grades " + previous + " and " + grade + ")");
            }
            return this;
        }

        /** Whether the pair was already added. */
        public boolean contains(String queryId, String docId) {
            return judgments.getOrDefault(queryId, Map.of()).containsKey(docId);
        }

        /** The immutable judgments. */
        public Qrels build() {
            Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
            judgments.forEach((queryId, grades) ->
                    copy.put(queryId, Collections.unmodifiableMap(new LinkedHashMap<>(grades))));
            return new Qrels(Collections.unmodifiableMap(copy));
        }
    }

    /**
     * Checks an id (or run tag) for the text formats: non-empty, without whitespace.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static void checkId(String id, String what) {
        requireNonNull(id, what);
        if (!Lines.isToken(id)) {
            throw new IllegalArgumentException(what + " must be non-empty and without whitespace, found [" + id + "]");
        }
    }
}
