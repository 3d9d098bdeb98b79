package dev.rankql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks Elasticsearch's request validation makes on a whole search body, before any index is involved.
 *
 * <p>Both readers run them, so that a body refused as JSON is refused as DSL too, and the engine runs them again
 * after URL parameters ({@code size}, {@code from}) have changed the request.
 */
public final class RequestValidation {

    /** One failed check: the node at fault, its JSON path, and Elasticsearch's message. */
    public record Problem(Object node, Span span, String path, String message) {}

    private RequestValidation() {}

    /** Every failed check of {@code request}, in body order; empty when it is valid. */
    public static List<Problem> validate(SearchRequest request) {
        var problems = new ArrayList<Problem>();
        // Elasticsearch compares its raw fields, where an unset from or size is -1.
        int from = request.from().orElse(-1);
        int size = request.size().orElse(-1);
        var rescore = request.rescore();
        for (int i = 0; i < rescore.size(); i++) {
            if (!(rescore.get(i) instanceof Rescore.LearningToRank ltr)) {
                continue;
            }
            String path = "$.rescore[" + i + "]";
            int window = ltr.effectiveWindowSize();
            if (window < from + size) {
                problems.add(new Problem(ltr, ltr.span(), path, "rescorer [window_size] is too small and should be at "
                        + "least the value of [from + size: " + (from + size) + "] but was [" + window + "]"));
                continue;
            }
            for (int next = i + 1; next < rescore.size(); next++) {
                int nextWindow = rescore.get(next).effectiveWindowSize();
                if (window < nextWindow) {
                    problems.add(new Problem(ltr, rescore.get(next).span(), path, "unable to add a rescorer with "
                            + "[window_size: " + nextWindow + "] because a rescorer of type [learning_to_rank] with a "
                            + "smaller [window_size: " + window + "] has been added before"));
                    break;
                }
            }
        }
        if (request.retriever().orElse(null) instanceof Retriever.Rescorer rescorer
                && size > rescorer.rankWindowSize()) {
            problems.add(new Problem(rescorer, rescorer.span(), "$.retriever.rescorer", "[rescorer] requires "
                    + "[window_size: " + rescorer.rankWindowSize() + "] be greater than or equal to [size: " + size
                    + "]"));
        }
        return problems;
    }
}
