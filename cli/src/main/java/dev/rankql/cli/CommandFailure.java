package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.EsError;
import dev.rankql.engine.mapping.Json;
import java.util.Optional;

/**
 * A failure a command reports to the user: a one-line message for stderr, the exit status to end with, and for the
 * commands that answer like Elasticsearch the error body to print on stdout.
 *
 * <p>Commands throw it instead of printing and returning a status themselves, so every failure reads the same way;
 * {@link Main} catches it and hands it to {@link Output#fail(CommandFailure)}.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String body;

    private CommandFailure(int exitCode, String message, String body, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.body = body;
    }

    private CommandFailure(int exitCode, String message, Throwable cause) {
        this(exitCode, message, null, cause);
    }

    /**
     * A request error answered with Elasticsearch's error {@code body} (printed on stdout) and {@code message} (on
     * stderr); the exit code follows the HTTP {@code status}: 2 for 400, 3 for 404, else 1.
     */
    public static CommandFailure esError(String body, int status, String message) {
        return new CommandFailure(ExitCodes.ofStatus(status), message, requireNonNull(body, "body"), null);
    }

    /** An Elasticsearch error: its body for stdout, its summary for stderr, the exit code from its status. */
    public static CommandFailure of(EsError error) {
        return esError(Json.writePretty(error.body()), error.status(), error.summary());
    }

    /** {@link #of(EsError)} with {@code detail} (such as a caret under the error) added to the stderr message. */
    public static CommandFailure of(EsError error, String detail) {
        return esError(Json.writePretty(error.body()), error.status(),
                detail.isEmpty() ? error.summary() : error.summary() + "\n" + detail);
    }

    /** The request is malformed (exit 2), e.g. a search that does not parse; {@code message} says where and why. */
    public static CommandFailure badRequest(String message) {
        return new CommandFailure(ExitCodes.USAGE, message, null);
    }

    /** Something named in the request does not exist (exit 3). */
    public static CommandFailure notFound(String message) {
        return new CommandFailure(ExitCodes.NOT_FOUND, message, null);
    }

    /** A valid request failed while being carried out (exit 1); {@code cause} is kept for debugging. */
    public static CommandFailure failed(String message, Throwable cause) {
        return new CommandFailure(ExitCodes.FAILURE, message, cause);
    }

    /** The Elasticsearch error body for stdout, when the command answers like Elasticsearch. */
    public Optional<String> body() {
        return Optional.ofNullable(body);
    }

    /** The status the process ends with. */
    public int exitCode() {
        return exitCode;
    }
}
