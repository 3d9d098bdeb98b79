package dev.rankql.ast;

/**
 * Where a node came from in its source text: 1-based line and column, 0-based character offset and length.
 *
 * <p>Spans take no part in equality: every span equals every other, so records that hold one compare by content.
 * Trees built from JSON or by hand carry {@link #NONE}.
 */
public record Span(int line, int column, int offset, int length) {

    /** The span of a node that has no source text. */
    public static final Span NONE = new Span(0, 0, 0, 0);

    public Span {
        if (line < 0 || column < 0 || offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "span coordinates must not be negative: " + line + ":" + column + " @" + offset + "+" + length);
        }
    }

    /** Whether this span points into a source text. */
    public boolean isKnown() {
        return line > 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Span;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return isKnown() ? line + ":" + column : "?";
    }
}
