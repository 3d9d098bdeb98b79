package dev.rankql.engine;

import dev.rankql.json.JsonLimits;
import org.apache.lucene.search.IndexSearcher;

/**
 * The engine's limits on what one request may ask for (boolean clauses, script size, rendered template size), each
 * settable with a system property and enforced with an error that names it.
 */
public final class EngineLimits {

    /**
     * The most clauses a query may have, nested clauses counted together, as Elasticsearch's
     * {@code indices.query.bool.max_clause_count}: {@code -Drankql.indices.query.bool.max_clause_count}. Elasticsearch
     * derives its value from the heap and thread pool, 4096 on a node of a few GB; rankql uses that value.
     */
    public static final int MAX_CLAUSE_COUNT = JsonLimits.property("rankql.indices.query.bool.max_clause_count", 4096);

    /**
     * The longest script or template source, in UTF-8 bytes, as Elasticsearch's {@code script.max_size_in_bytes}:
     * {@code -Drankql.script.max_size_in_bytes}.
     */
    public static final int MAX_SCRIPT_SIZE_IN_BYTES = JsonLimits.property("rankql.script.max_size_in_bytes", 65_535);

    /**
     * The longest text a mustache template may render to, in characters: {@code -Drankql.template.max_output_length}.
     * Sections over list params multiply a template's size, so the output is bounded apart from the source.
     */
    public static final int MAX_TEMPLATE_OUTPUT_LENGTH = JsonLimits.property("rankql.template.max_output_length", 10_000_000);

    static {
        // Lucene's limit is a static of the whole JVM; rankql owns the JVM it runs in.
        IndexSearcher.setMaxClauseCount(MAX_CLAUSE_COUNT);
    }

    private EngineLimits() {}

    /** Applies the limits that live in Lucene; called before the first search. */
    public static void apply() {
        if (IndexSearcher.getMaxClauseCount() != MAX_CLAUSE_COUNT) {
            IndexSearcher.setMaxClauseCount(MAX_CLAUSE_COUNT);
        }
    }

    /** Fails unless {@code source} (a script or template source) fits in {@link #MAX_SCRIPT_SIZE_IN_BYTES}. */
    public static void scriptSize(String source) {
        int bytes = utf8Length(source);
        if (bytes > MAX_SCRIPT_SIZE_IN_BYTES) {
            String shown = source.length() > 100 ? source.substring(0, 100) + "..." : source;
            throw EngineException.illegalArgument("exceeded max allowed inline script size in bytes ["
                    + MAX_SCRIPT_SIZE_IN_BYTES + "] with size [" + bytes + "] for script [" + shown + "]");
        }
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A writer for rendered templates that fails once the output passes {@link #MAX_TEMPLATE_OUTPUT_LENGTH}. */
    public static final class BoundedWriter extends java.io.Writer {
        private final StringBuilder out = new StringBuilder();
        private final String what;

        /** {@code what} names the template in the error. */
        public BoundedWriter(String what) {
            this.what = what;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            ensureRoom(length);
            out.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            ensureRoom(length);
            out.append(text, offset, offset + length);
        }

        private void ensureRoom(int length) {
            if ((long) out.length() + length > MAX_TEMPLATE_OUTPUT_LENGTH) {
                throw EngineException.illegalArgument("the rendered " + what + " is longer than ["
                        + MAX_TEMPLATE_OUTPUT_LENGTH + "] characters; raise the limit with "
                        + "-Drankql.template.max_output_length");
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
