package dev.rankql.ast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

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
        request.retriever().ifPresent(r -> validateTree(r, "$.retriever." + r.type(), size, problems));
        validateStoredFields(request, problems);
        return problems;
    }

    /** {@code stored_fields: _none_} turns off {@code _source} and the {@code fields} option, so it cannot ask for them. */
    private static void validateStoredFields(SearchRequest request, List<Problem> problems) {
        var options = request.hitOptions();
        if (!options.storedFieldsDisabled()) {
            return;
        }
        boolean sourceAsked = request.source().map(s -> switch (s) {
            case SourceFilter.Fetch f -> f.enabled();
            case SourceFilter.Fields f -> true;
        }).orElse(false);
        if (sourceAsked) {
            problems.add(new Problem(options, request.span(), "$.stored_fields",
                    "[stored_fields] cannot be disabled if [_source] is requested"));
        }
        if (!options.fields().isEmpty()) {
            problems.add(new Problem(options, request.span(), "$.stored_fields",
                    "[stored_fields] cannot be disabled when using the [fields] option"));
        }
    }

    /** One step of the tree walk: check a node's own window, or check a parent's window against its child's. */
    private record Step(Retriever node, String path, Retriever parent, String parentPath) {}

    /**
     * Elasticsearch's checks of a compound retriever, made at every level of the tree with the request's own
     * {@code size}: the window must hold {@code size} hits, and must not exceed a compound child's window (the child
     * hands up no more than that). Problems come in Elasticsearch's order (a node, then each child's subtree followed
     * by the check against that child); the walk keeps its own stack because DSL pipe chains can be very long.
     */
    private static void validateTree(Retriever root, String rootPath, int size, List<Problem> problems) {
        var steps = new ArrayDeque<Step>();
        steps.push(new Step(root, rootPath, null, null));
        while (!steps.isEmpty()) {
            var step = steps.pop();
            if (step.parent() != null) {
                checkAgainstChild(step.parent(), step.parentPath(), step.node(), problems);
                continue;
            }
            var retriever = step.node();
            var window = window(retriever);
            if (window.isPresent() && size > window.getAsInt()) {
                problems.add(new Problem(retriever, retriever.span(), step.path(), "[" + retriever.type()
                        + "] requires [" + windowField(retriever) + ": " + window.getAsInt()
                        + "] be greater than or equal to [size: " + size + "]"));
            }
            var children = children(retriever, step.path());
            for (int i = children.size() - 1; i >= 0; i--) {
                var child = children.get(i);
                steps.push(new Step(child.node(), child.path(), retriever, step.path()));
                steps.push(child);
            }
        }
    }

    /** The children of a retriever with their JSON paths, as steps that check the child itself. */
    private static List<Step> children(Retriever retriever, String path) {
        var children = new ArrayList<Step>();
        switch (retriever) {
            case Retriever.Standard s -> {}
            case Retriever.Knn k -> {}
            case Retriever.Rescorer r -> children.add(new Step(r.retriever(),
                    path + ".retriever." + r.retriever().type(), null, null));
            case Retriever.Rrf r -> {
                for (int i = 0; i < r.retrievers().size(); i++) {
                    var component = r.retrievers().get(i);
                    // A weighted child is written {"retriever": ..., "weight": w}, a plain one as the bare retriever.
                    children.add(new Step(component.retriever(), path + ".retrievers[" + i + "]"
                            + (component.weight().isPresent() ? ".retriever." : ".") + component.retriever().type(),
                            null, null));
                }
            }
            case Retriever.Linear l -> {
                for (int i = 0; i < l.retrievers().size(); i++) {
                    var child = l.retrievers().get(i).retriever();
                    children.add(new Step(child, path + ".retrievers[" + i + "].retriever." + child.type(), null,
                            null));
                }
            }
        }
        return children;
    }

    private static void checkAgainstChild(Retriever parent, String path, Retriever child, List<Problem> problems) {
        var window = window(parent);
        var childWindow = window(child);
        if (window.isPresent() && childWindow.isPresent() && window.getAsInt() > childWindow.getAsInt()) {
            problems.add(new Problem(parent, parent.span(), path, "[" + parent.type() + "] requires ["
                    + windowField(parent) + ": " + window.getAsInt() + "] to be smaller than or equal to its sub "
                    + "retriever's " + child.type() + " [" + windowField(child) + ": " + childWindow.getAsInt()
                    + "]"));
        }
    }

    /** The window of a compound retriever: how many hits it keeps; empty for leaves. */
    public static OptionalInt window(Retriever retriever) {
        return switch (retriever) {
            case Retriever.Standard s -> OptionalInt.empty();
            case Retriever.Knn k -> OptionalInt.empty();
            case Retriever.Rescorer r -> OptionalInt.of(r.rankWindowSize());
            case Retriever.Rrf r -> OptionalInt.of(r.effectiveRankWindowSize());
            case Retriever.Linear l -> OptionalInt.of(l.effectiveRankWindowSize());
        };
    }

    /** How Elasticsearch names a compound retriever's window in its messages. */
    private static String windowField(Retriever retriever) {
        return retriever instanceof Retriever.Rescorer ? "window_size" : "rank_window_size";
    }
}
