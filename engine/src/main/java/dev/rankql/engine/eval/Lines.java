package dev.rankql.engine.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Line reading shared by the file formats: a leading byte-order mark dropped, fields split on ASCII whitespace. */
final class Lines {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Lines() {}

    /** Every line of the input, in order, without line terminators and without a leading byte-order mark. */
    static List<String> readAll(Reader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader buffered = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String line;
        while ((line = buffered.readLine()) != null) {
            if (lines.isEmpty() && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            lines.add(line);
        }
        return lines;
    }

    /** The whitespace-separated fields of a line; empty for a blank line. */
    static String[] fields(String line) {
        String[] parts = WHITESPACE.split(line);
        int start = parts.length > 0 && parts[0].isEmpty() ? 1 : 0;
        return start == 0 ? parts : Arrays.copyOfRange(parts, start, parts.length);
    }

    /** Whether the text is a base-10 integer that fits an {@code int}. */
    static boolean isInt(String text) {
        if (!INTEGER.matcher(text).matches()) {
            return false;
        }
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }

    /** Whether the text is a plain decimal number (no hexadecimal, no type suffix, no NaN or infinity). */
    static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    /** Whether an identifier can be written as one field of a whitespace-separated line. */
    static boolean isToken(String id) {
        return TOKEN.matcher(id).matches();
    }
}
