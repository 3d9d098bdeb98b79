package dev.rankql.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Standard input read as JSON Lines, one line at a time, with the number of the line last read for error messages.
 *
 * <p>Bytes that are not UTF-8 and read errors become command failures naming the line, so that a command streaming
 * rows never sees a half-decoded row.
 */
final class JsonLinesInput {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;

    JsonLinesInput(InputStream in) {
        this.in = in;
    }

    /** The next line that is not blank, or null at the end of the input; blank lines are skipped. */
    String next() {
        try {
            while (true) {
                int length = readLine();
                if (length < 0) {
                    return null;
                }
                lineNumber++;
                String text = decode(length);
                if (!text.isBlank()) {
                    return text;
                }
            }
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read standard input: " + e, e);
        }
    }

    /**
     * Reads the bytes of one line (without its {@code \n} or {@code \r\n}) into {@link #line}; lines are split on
     * bytes so that a decoding error is reported on the right line.
     */
    private int readLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? length : -1;
                }
            }
            any = true;
            byte b = buffer[position++];
            if (b == '\n') {
                return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = b;
        }
    }

    private String decode(int length) {
        try {
            return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw CommandFailure.badRequest("standard input line " + lineNumber + " is not valid UTF-8 text");
        }
    }

    /** The number (from 1) of the line {@link #next()} returned last. */
    long lineNumber() {
        return lineNumber;
    }

    /** A failure for the row on the current line. */
    CommandFailure rowError(String message) {
        return CommandFailure.badRequest("standard input line " + lineNumber + ": " + message);
    }
}
