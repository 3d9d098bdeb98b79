package dev.rankql.cli;

import java.util.List;
import java.util.regex.Pattern;

/** Plain-text tables for people: columns padded to their widest cell, numbers right-aligned so decimals line up. */
final class Tables {

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?%?|[-+]?\\.\\d+");

    private Tables() {}

    /** The rows (the first is the header) as lines of text, each ending with a newline and no trailing blanks. */
    static String render(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (var row : rows) {
            if (row.size() != columns) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells, the header " + columns);
            }
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        var text = new StringBuilder();
        for (var row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                var value = row.get(c);
                var pad = " ".repeat(widths[c] - width(value));
                if (NUMBER.matcher(value).matches()) {
                    line.append(pad).append(value);
                } else {
                    line.append(value).append(pad);
                }
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
