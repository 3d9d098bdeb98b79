package dev.rankql.engine;

import dev.rankql.json.JsonLimits;
import org.apache.lucene.search.IndexSearcher;

/**
 * The engine's limits on what one request may ask for (boolean clauses, script size, rendered template size, items
 * of a bulk request), each settable with a system property and enforced with an error that names it.
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

    /**
     * The most items (actions, or JSON lines) one bulk request may hold: {@code -Drankql.bulk.max_items}. A bulk
     * request is parsed whole before it is written, so that it commits as one; this bounds what it holds in memory
     * beside the body size limit, which tiny documents would otherwise turn into millions of items.
     */
    public static final int MAX_BULK_ITEMS = JsonLimits.property("rankql.bulk.max_items", 100_000);

    /**
     * The timeout of searches that set none, as Elasticsearch's {@code search.default_search_timeout}:
     * {@code -Drankql.search.default_search_timeout=30s}; {@code -1} (the default) means none. A request's
     * {@code timeout}, in its body or URL, replaces it, {@code -1} included.
     */
    public static final java.time.Duration DEFAULT_SEARCH_TIMEOUT =
            timeProperty("rankql.search.default_search_timeout");

    static {
        // Lucene's limit is a static of the whole JVM; rankql owns the JVM it runs in.
        IndexSearcher.setMaxClauseCount(MAX_CLAUSE_COUNT);
    }

    private EngineLimits() {}

    private static java.time.Duration timeProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return dev.rankql.ast.SearchRequest.NO_TIMEOUT;
        }
        try {
            return dev.rankql.ast.SearchRequest.parseTimeValue(value, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property [" + name + "] must be a time value such as 30s, "
                    + "500ms or -1: " + e.getMessage(), e);
        }
    }

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

    /** Fails once a bulk request reaches its {@code count}th item, when that is more than {@link #MAX_BULK_ITEMS}. */
    public static void bulkItems(int count) {
        if (count > MAX_BULK_ITEMS) {
            throw EngineException.illegalArgument("the bulk request has more than [" + MAX_BULK_ITEMS
                    + "] items, the limit set by [rankql.bulk.max_items]; send the items in several requests or raise "
                    + "the limit with -Drankql.bulk.max_items");
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
