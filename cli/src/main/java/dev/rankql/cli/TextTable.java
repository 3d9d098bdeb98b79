package dev.rankql.cli;

import java.util.List;

/** Lays out small listings for people (indices, fields) as left-aligned columns under a header, as ES's cat APIs do. */
public final class TextTable {

    private TextTable() {}

    /** {@code rows}, the first being the header, in columns two spaces apart, each line ending in a newline. */
    public static String layout(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        var widths = new int[columns];
        for (var row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).codePointCount(0, row.get(c).length()));
            }
        }
        var text = new StringBuilder();
        for (var row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                var value = row.get(c);
                line.append(value);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - value.codePointCount(0, value.length()) + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
