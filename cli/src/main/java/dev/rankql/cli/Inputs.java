package dev.rankql.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** The files and standard input that commands read, with the same errors everywhere: missing is 3, unreadable 1. */
final class Inputs {

    private Inputs() {}

    /** Whether {@code file} names standard input: {@code -} or nothing. */
    static boolean isStdin(String file) {
        return file == null || file.equals("-");
    }

    /** How {@code file} is named in messages. */
    static String describe(String file) {
        return isStdin(file) ? "standard input" : file;
    }

    /** The whole of {@code file} (or standard input) as UTF-8 text, which must be valid. */
    static String readText(String file, Supplier<InputStream> stdin) {
        byte[] bytes;
        try (var in = open(file, stdin)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + describe(file) + ": " + e, e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw CommandFailure.badRequest(describe(file) + " is not valid UTF-8 text");
        }
    }

    /** Opens {@code file} (or standard input) for streaming; the caller closes it. */
    static InputStream open(String file, Supplier<InputStream> stdin) {
        if (isStdin(file)) {
            // Closing the stream a command was given must not close the process's standard input for later readers.
            return new java.io.FilterInputStream(stdin.get()) {
                @Override
                public void close() {}
            };
        }
        try {
            return Files.newInputStream(path(file));
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + file);
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + file + ": " + e, e);
        }
    }

    /** The size of {@code file} in bytes, or empty for standard input and anything whose size is unknown. */
    static OptionalLong size(String file) {
        if (isStdin(file)) {
            return OptionalLong.empty();
        }
        try {
            var path = path(file);
            return Files.isRegularFile(path) ? OptionalLong.of(Files.size(path)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static Path path(String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw CommandFailure.badRequest("not a valid path: " + file);
        }
    }
}
