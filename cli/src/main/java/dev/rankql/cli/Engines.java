package dev.rankql.cli;

import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EsErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Opens the engine on the data directory for the length of one command and turns what it throws into
 * {@link CommandFailure}s: request errors into Elasticsearch error bodies, I/O problems into exit 1.
 */
final class Engines {

    /** What a command does with the open engine; returns the text for stdout. */
    @FunctionalInterface
    interface Work {
        String run(Engine engine) throws IOException;
    }

    private Engines() {}

    /** Runs {@code work} on the engine of the data directory that {@code spec}'s command line names. */
    static String run(CommandSpec spec, Work work) {
        var data = ((RankqlCommand) spec.root().userObject()).dataDirectory();
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw CommandFailure.badRequest("the data directory " + data + " is not a directory");
        }
        Engine engine;
        try {
            engine = Engine.open(data);
        } catch (IOException | UncheckedIOException e) {
            throw CommandFailure.failed("cannot open the data directory " + data + ": " + message(e), e);
        } catch (EngineException e) {
            throw CommandFailure.failed("cannot open the data directory " + data + ": " + e.getMessage(), e);
        }
        try (engine) {
            return work.run(engine);
        } catch (EngineException e) {
            throw CommandFailure.of(EsErrors.of(e));
        } catch (IOException | UncheckedIOException e) {
            throw CommandFailure.failed(message(e), e);
        }
    }

    private static String message(Exception e) {
        var cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        var text = e.getMessage();
        if (cause != e && cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text = text + ": " + cause.getMessage();
        }
        return text;
    }
}
