package dev.rankql.json;

import static java.util.Objects.requireNonNull;

/**
 * One problem found in an Elasticsearch JSON body: where it is, what is wrong, and the Elasticsearch error type that
 * Elasticsearch itself would report for it.
 *
 * @param path a JSON path from the body's root, such as {@code $.retriever.rescorer.rescore[1].window_size}
 * @param message the text, Elasticsearch's own wording where Elasticsearch has one
 * @param type the Elasticsearch error type: one of the {@code *_EXCEPTION} constants
 */
public record Diagnostic(String path, String message, String type) {

    /** A structural error that Elasticsearch raises as a {@code ParsingException}. */
    public static final String PARSING_EXCEPTION = "parsing_exception";

    /** A wrong token or unknown field, which Elasticsearch raises as an {@code XContentParseException}. */
    public static final String X_CONTENT_PARSE_EXCEPTION = "x_content_parse_exception";

    /** A bad value, which Elasticsearch raises as an {@code IllegalArgumentException}. */
    public static final String ILLEGAL_ARGUMENT_EXCEPTION = "illegal_argument_exception";

    /** A whole-request check, which Elasticsearch raises as an {@code ActionRequestValidationException}. */
    public static final String ACTION_REQUEST_VALIDATION_EXCEPTION = "action_request_validation_exception";

    public Diagnostic {
        requireNonNull(path, "path");
        requireNonNull(message, "message");
        requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
