package dev.rankql.cli;

/** Shows a position in a text the way compilers do: the line, and a caret under the column. */
public final class Carets {

    private Carets() {}

    /**
     * The 1-based {@code line} of {@code text} and a caret under its 1-based {@code column} (counted in code points,
     * as the DSL parser counts), or an empty string when the line does not exist.
     */
    public static String under(String text, int line, int column) {
        var lines = text.split("\r\n|\r|\n", -1);
        if (line < 1 || line > lines.length) {
            return "";
        }
        var source = lines[line - 1].replace('\t', ' ');
        int width = Math.max(0, Math.min(column - 1, source.codePointCount(0, source.length())));
        return "  " + source + "\n  " + " ".repeat(width) + "^";
    }
}
