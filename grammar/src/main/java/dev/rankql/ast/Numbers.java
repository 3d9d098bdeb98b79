package dev.rankql.ast;

/** The one spelling of numbers that both printers use, so that text and JSON agree. */
public final class Numbers {

    private Numbers() {}

    /** The shortest text that reads back as {@code value}, without a trailing {@code .0}: {@code 2}, {@code 1.5}. */
    public static String format(float value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e7f) {
            return Long.toString((long) value);
        }
        return Float.toString(value);
    }

    /** The shortest text that reads back as {@code value}, always with a fraction or exponent: {@code 2.0}. */
    public static String format(double value) {
        return Double.toString(value);
    }
}
