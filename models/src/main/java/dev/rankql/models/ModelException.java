package dev.rankql.models;

import static java.util.Objects.requireNonNull;

/** A model that cannot be loaded or used, with the place in the model file where the problem lies. */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final String problem;

    /** Creates an error at {@code where} (a JSON path, {@code tree 3 node 7}, {@code line 12}, …). */
    public ModelException(String where, String problem) {
        super(requireNonNull(where, "where").isEmpty() ? problem : where + ": " + problem);
        this.where = where;
        this.problem = requireNonNull(problem, "problem");
    }

    /** Creates an error at {@code where} caused by a lower-level failure. */
    public ModelException(String where, String problem, Throwable cause) {
        this(where, problem);
        initCause(cause);
    }

    /** Where the problem is, or an empty string when it concerns the whole model. */
    public String where() {
        return where;
    }

    /** The problem without its place. */
    public String problem() {
        return problem;
    }
}
