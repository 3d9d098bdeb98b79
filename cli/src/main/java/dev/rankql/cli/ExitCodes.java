package dev.rankql.cli;

/** The exit statuses every rankql command uses; docs/cli.md lists them for users and scripts. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;

    /** The request was valid but could not be carried out (I/O error, engine failure, internal error). */
    public static final int FAILURE = 1;

    /** The command line or the request itself is wrong: unknown option, missing argument, unparsable search. */
    public static final int USAGE = 2;

    /** Something the request names does not exist: a file, an index, a model. */
    public static final int NOT_FOUND = 3;

    private ExitCodes() {}

    /** The exit code of an Elasticsearch error with HTTP {@code status}: 400 is {@link #USAGE}, 404 {@link #NOT_FOUND}. */
    public static int ofStatus(int status) {
        return switch (status) {
            case 400 -> USAGE;
            case 404 -> NOT_FOUND;
            default -> FAILURE;
        };
    }
}
