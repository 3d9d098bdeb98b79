package dev.rankql.cli;

/**
 * A failure a command reports to the user: a one-line message for stderr and the exit status to end with.
 *
 * <p>Commands throw it instead of printing and returning a status themselves, so every failure reads the same way;
 * {@link Main} catches it and hands it to {@link Output#fail(CommandFailure)}.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
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

    /** The status the process ends with. */
    public int exitCode() {
        return exitCode;
    }
}
