package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The judgments of one query prepared for the metrics: the grade of each judged document, the number of relevant
 * documents, and the positive grades in descending order (the ideal ranking's gains).
 */
public final class JudgedQuery {

    private final Map<String, Integer> grades;
    private final int relevantCount;
    private final int[] idealGains;

    private JudgedQuery(Map<String, Integer> grades) {
        this.grades = grades;
        int relevant = 0;
        int positive = 0;
        for (int grade : grades.values()) {
            if (grade >= Qrels.RELEVANT) {
                relevant++;
            }
            if (grade > 0) {
                positive++;
            }
        }
        int[] ideal = new int[positive];
        int next = 0;
        for (int grade : grades.values()) {
            if (grade > 0) {
                ideal[next++] = grade;
            }
        }
        Arrays.sort(ideal);
        for (int i = 0, j = ideal.length - 1; i < j; i++, j--) {
            int swap = ideal[i];
            ideal[i] = ideal[j];
            ideal[j] = swap;
        }
        this.relevantCount = relevant;
        this.idealGains = ideal;
    }

    /** Prepares the judgments of a query (document id → grade). */
    public static JudgedQuery of(Map<String, Integer> grades) {
        return new JudgedQuery(Map.copyOf(requireNonNull(grades, "grades")));
    }

    /** Prepares the judgments of one query of {@code qrels}; a query without judgments has none. */
    public static JudgedQuery of(Qrels qrels, String queryId) {
        return new JudgedQuery(qrels.judgments(queryId));
    }

    /** The number of documents with a grade of at least {@link Qrels#RELEVANT}. */
    public int relevantCount() {
        return relevantCount;
    }

    /** The positive grades of the judged documents, largest first. */
    public int[] idealGains() {
        return idealGains.clone();
    }

    int idealGain(int i) {
        return idealGains[i];
    }

    int idealLength() {
        return idealGains.length;
    }

    /**
     * The grade of each ranked document, top first; 0 for a document without a judgment.
     *
     * @throws IllegalArgumentException when a document is ranked twice
     */
    public int[] gradesOf(List<String> rankedDocIds) {
        int[] ranked = new int[rankedDocIds.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ranked.length; i++) {
            String docId = requireNonNull(rankedDocIds.get(i), "document id");
            if (!seen.add(docId)) {
                throw new IllegalArgumentException("document [" + docId + "] is ranked twice");
            }
            ranked[i] = grades.getOrDefault(docId, 0);
        }
        return ranked;
    }
}
