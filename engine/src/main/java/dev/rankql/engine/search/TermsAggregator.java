package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.NumericUtils;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's {@code terms} aggregation over every document a query matches: one bucket per distinct value of a
 * keyword, numeric or boolean field (a document counts once per distinct value it has), ordered by count descending
 * then key ascending, cut to {@code size}, with the rest counted in {@code sum_other_doc_count}.
 *
 * <p>Counting is exact (one shard), so {@code doc_count_error_upper_bound} is always 0.
 */
public final class TermsAggregator implements CollectorManager<TermsAggregator.Counter, TermsAggregator.Result> {

    /** The kind of key a field's buckets have. */
    public enum Kind { KEYWORD, LONG, DOUBLE, BOOLEAN, UNMAPPED }

    /** One bucket: its key (a String, Long or Double; 1/0 for booleans) and its document count. */
    public record Bucket(Object key, long docCount) {}

    /** The aggregation's answer: the top buckets and the count of documents in the other buckets. */
    public record Result(String name, Kind kind, List<Bucket> buckets, long sumOtherDocCount) {

        /** Elasticsearch's rendering of the aggregation's value in {@code aggregations}. */
        public ObjectNode toJson() {
            var node = Json.object();
            node.put("doc_count_error_upper_bound", 0);
            node.put("sum_other_doc_count", sumOtherDocCount);
            var array = node.putArray("buckets");
            for (var bucket : buckets) {
                var b = array.addObject();
                switch (bucket.key()) {
                    case String s -> b.put("key", s);
                    case Long l -> {
                        b.put("key", l);
                        if (kind == Kind.BOOLEAN) {
                            b.put("key_as_string", l == 1 ? "true" : "false");
                        }
                    }
                    case Double d -> b.put("key", d);
                    default -> throw new IllegalStateException("unexpected key " + bucket.key());
                }
                b.put("doc_count", bucket.docCount());
            }
            return node;
        }
    }

    private final String name;
    private final String field;
    private final int size;
    private final Kind kind;

    private TermsAggregator(String name, String field, int size, Kind kind) {
        this.name = name;
        this.field = field;
        this.size = size;
        this.kind = kind;
    }

    /**
     * An aggregation named {@code name} over {@code field} (mapped as {@code mapping}, null when unmapped, which
     * gives no buckets as in Elasticsearch). Text and other fields without doc values fail with Elasticsearch's 400.
     */
    public static TermsAggregator of(String name, String field, FieldMapping mapping, int size) {
        if (size <= 0) {
            throw EngineException.illegalArgument("[size] must be greater than 0. Found [" + size + "] in [" + name + "]");
        }
        Kind kind = switch (mapping) {
            case null -> Kind.UNMAPPED;
            case FieldMapping.Keyword k -> Kind.KEYWORD;
            case FieldMapping.Numeric n -> n.type().isDecimal() ? Kind.DOUBLE : Kind.LONG;
            case FieldMapping.Bool b -> Kind.BOOLEAN;
            case FieldMapping.Text t -> throw EngineException.illegalArgument(
                    "Text fields are not optimised for operations that require per-document field data like aggregations and "
                            + "sorting, so these operations are disabled by default. Please use a keyword field instead. "
                            + "Alternatively, set fielddata=true on [" + field + "] in order to load field data by uninverting "
                            + "the inverted index. Note that this can use significant memory.");
            case FieldMapping.Date d -> throw EngineException.illegalArgument(
                    "rankql does not support the [terms] aggregation on [date] field [" + field + "] yet");
            case FieldMapping.RankFeature r -> throw unsupported(field, r);
            case FieldMapping.RankFeatures r -> throw unsupported(field, r);
            case FieldMapping.DenseVector v -> throw unsupported(field, v);
            case FieldMapping.ObjectMapping o -> throw unsupported(field, o);
        };
        return new TermsAggregator(name, field, size, kind);
    }

    private static EngineException unsupported(String field, FieldMapping mapping) {
        return EngineException.illegalArgument("Field [" + field + "] of type [" + mapping.typeName()
                + "] is not supported for aggregation [terms]");
    }

    /** The aggregation's name in the request. */
    public String name() {
        return name;
    }

    @Override
    public Counter newCollector() {
        return new Counter();
    }

    @Override
    public Result reduce(Collection<Counter> collectors) {
        var totals = new HashMap<Object, Long>();
        for (var counter : collectors) {
            counter.flush();
            counter.counts.forEach((k, v) -> totals.merge(k, v, Long::sum));
        }
        var buckets = new ArrayList<Bucket>();
        totals.forEach((k, v) -> buckets.add(new Bucket(k, v)));
        buckets.sort(Comparator.comparingLong(Bucket::docCount).reversed().thenComparing(TermsAggregator::compareKeys));
        long other = 0;
        for (int i = size; i < buckets.size(); i++) {
            other += buckets.get(i).docCount();
        }
        return new Result(name, kind, List.copyOf(buckets.subList(0, Math.min(size, buckets.size()))), other);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Bucket a, Bucket b) {
        // Keys of one aggregation share one type; strings compare as UTF-8 bytes would for these code points.
        return ((Comparable) a.key()).compareTo(b.key());
    }

    /** Counts values per segment on plain arrays (keywords by ordinal), folded into keys when the segment ends. */
    public final class Counter implements Collector {
        private final Map<Object, Long> counts = new HashMap<>();
        private SortedSetDocValues ords;
        private long[] ordCounts;

        private void flush() {
            if (ords != null) {
                try {
                    for (int ord = 0; ord < ordCounts.length; ord++) {
                        if (ordCounts[ord] > 0) {
                            counts.merge(ords.lookupOrd(ord).utf8ToString(), ordCounts[ord], Long::sum);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ords = null;
                ordCounts = null;
            }
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            flush();
            var reader = context.reader();
            return switch (kind) {
                case UNMAPPED -> new Leaf() {
                    @Override
                    public void collect(int doc) {
                        // An unmapped field has no values.
                    }
                };
                case KEYWORD -> {
                    // Kept to the next leaf or the reduce, where ordinals are turned into terms once each.
                    var values = DocValues.getSortedSet(reader, field);
                    ords = values;
                    var segmentCounts = new long[(int) values.getValueCount()];
                    ordCounts = segmentCounts;
                    yield new Leaf() {
                        @Override
                        public void collect(int doc) throws IOException {
                            if (values.advanceExact(doc)) {
                                for (int i = 0; i < values.docValueCount(); i++) {
                                    segmentCounts[(int) values.nextOrd()]++;
                                }
                            }
                        }
                    };
                }
                case LONG, BOOLEAN, DOUBLE -> {
                    SortedNumericDocValues values = DocValues.getSortedNumeric(reader, field);
                    boolean decimal = kind == Kind.DOUBLE;
                    yield new Leaf() {
                        @Override
                        public void collect(int doc) throws IOException {
                            if (values.advanceExact(doc)) {
                                long previous = 0;
                                for (int i = 0; i < values.docValueCount(); i++) {
                                    long value = values.nextValue();
                                    // Values come sorted; a repeated value counts the document once.
                                    if (i == 0 || value != previous) {
                                        Object key = decimal ? (Object) NumericUtils.sortableLongToDouble(value) : (Object) value;
                                        counts.merge(key, 1L, Long::sum);
                                    }
                                    previous = value;
                                }
                            }
                        }
                    };
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    private abstract static class Leaf implements LeafCollector {
        @Override
        public void setScorer(Scorable scorer) {
            // Counts need no scores.
        }
    }
}
