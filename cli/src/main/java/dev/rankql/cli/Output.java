package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command writes: its result on stdout, and nothing but diagnostics on stderr.
 *
 * <p>Stdout carries only the result, so that {@code rankql ... | jq} always sees a complete JSON document or nothing.
 * Each method flushes, because the process may exit right after.
 */
public final class Output {

    private final PrintWriter out;
    private final PrintWriter err;

    public Output(PrintWriter out, PrintWriter err) {
        this.out = requireNonNull(out, "out");
        this.err = requireNonNull(err, "err");
    }

    /** The streams picocli gives the command, which tests replace with buffers. */
    public static Output of(CommandSpec spec) {
        var commandLine = spec.commandLine();
        return new Output(commandLine.getOut(), commandLine.getErr());
    }

    /**
     * Writes the command's result on stdout, e.g. a JSON document as the ES JSON codec serializes it, DSL text or an
     * AST tree, ending it with a newline if it lacks one; returns exit code 0.
     */
    public int result(String text) {
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Tells the user something worth knowing about a successful result, on stderr: {@code rankql: note: ...}. */
    public void note(String message) {
        err.println("rankql: note: " + message);
        err.flush();
    }

    /**
     * Reports {@code failure} on stderr as {@code rankql: <message>}, its Elasticsearch error body (if any) on stdout,
     * and returns its exit code.
     */
    public int fail(CommandFailure failure) {
        failure.body().ifPresent(body -> {
            out.print(body);
            if (!body.endsWith("\n")) {
                out.println();
            }
            out.flush();
        });
        err.println("rankql: " + failure.getMessage());
        err.flush();
        return failure.exitCode();
    }
}
