package dev.rankql.json;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by the {@code parse*} methods of {@link EsJson} with every problem of the body. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    public InvalidRequestException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("an invalid request has at least one diagnostic");
        }
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** The problems, in the order the reader met them. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
