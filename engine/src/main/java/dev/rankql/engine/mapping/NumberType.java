package dev.rankql.engine.mapping;

/** The numeric field types of Elasticsearch, with the range each accepts. */
public enum NumberType {
    LONG("long", Long.MIN_VALUE, Long.MAX_VALUE, false),
    INTEGER("integer", Integer.MIN_VALUE, Integer.MAX_VALUE, false),
    SHORT("short", Short.MIN_VALUE, Short.MAX_VALUE, false),
    BYTE("byte", Byte.MIN_VALUE, Byte.MAX_VALUE, false),
    DOUBLE("double", 0, 0, true),
    FLOAT("float", 0, 0, true),
    HALF_FLOAT("half_float", 0, 0, true);

    private final String typeName;
    private final long min;
    private final long max;
    private final boolean decimal;

    NumberType(String typeName, long min, long max, boolean decimal) {
        this.typeName = typeName;
        this.min = min;
        this.max = max;
        this.decimal = decimal;
    }

    /** The mapping type name, e.g. {@code half_float}. */
    public String typeName() {
        return typeName;
    }

    /** Whether values are stored as floating point. */
    public boolean isDecimal() {
        return decimal;
    }

    /** The smallest accepted whole value. */
    public long min() {
        return min;
    }

    /** The largest accepted whole value. */
    public long max() {
        return max;
    }

    /** The type named {@code name}, or null. */
    public static NumberType byName(String name) {
        for (var t : values()) {
            if (t.typeName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The value as this type stores it: half and single precision round, whole types must be whole. */
    public double round(double value) {
        return switch (this) {
            case FLOAT -> (float) value;
            case HALF_FLOAT -> Float.float16ToFloat(Float.floatToFloat16((float) value));
            case DOUBLE, LONG, INTEGER, SHORT, BYTE -> value;
        };
    }
}
