package dev.rankql.engine.search;

import dev.rankql.ast.FieldAndFormat;
import dev.rankql.ast.HitOptions;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.DateFormats;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.NumberType;
import java.io.IOException;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import tools.jackson.databind.JsonNode;

/**
 * What a hit can carry besides its score and source: the documents of its collapse group (for inner hits), the
 * values of requested {@code fields}, {@code docvalue_fields} and {@code stored_fields}, its version and sequence
 * number, and the best score of a field-sorted search that tracks scores.
 */
final class HitExtras {

    private HitExtras() {}

    /**
     * The documents whose collapse value is {@code value} (a String, Long or Double as {@link Collapser#value}
     * returns it), or that have no value when it is null: read from doc values, as collapsing itself reads them.
     */
    static Query groupFilter(IndexView index, String name, Object value) {
        var field = index.resolve(name);
        if (value == null) {
            return new BooleanQuery.Builder()
                    .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                    .add(new FieldExistsQuery(field), BooleanClause.Occur.MUST_NOT)
                    .build();
        }
        return switch (value) {
            case String s -> SortedSetDocValuesField.newSlowExactQuery(field, new BytesRef(s));
            case Double d -> SortedNumericDocValuesField.newSlowExactQuery(field, NumericUtils.doubleToSortableLong(d));
            case Long l -> SortedNumericDocValuesField.newSlowExactQuery(field, l);
            default -> throw new IllegalArgumentException("not a collapse value: " + value);
        };
    }

    /**
     * The values of the mapped fields matching {@code patterns} ({@code *} matches any characters), read from the
     * source as Elasticsearch's {@code fields} option returns them: always arrays, numbers of whole-number types as
     * longs, of decimal types as doubles, other values as written. A multi-field ({@code title.raw}) takes its parent's
     * value. Unmapped and absent fields are left out.
     */
    static Map<String, List<Object>> fetchFields(IndexView index, JsonNode source, List<String> patterns) {
        var result = new LinkedHashMap<String, List<Object>>();
        if (patterns.isEmpty() || source == null) {
            return result;
        }
        var matchers = patterns.stream().map(HitExtras::glob).toList();
        for (var entry : index.fields().entrySet()) {
            String name = entry.getKey();
            if (matchers.stream().noneMatch(m -> m.matcher(name).matches()) || entry.getValue() instanceof FieldMapping.ObjectMapping) {
                continue;
            }
            var values = new ArrayList<Object>();
            var node = path(source, name);
            if (node == null && name.contains(".")) {
                node = path(source, name.substring(0, name.lastIndexOf('.')));
            }
            collect(node, entry.getValue(), values);
            if (!values.isEmpty()) {
                result.put(name, values);
            }
        }
        // An alias returns its target's values under its own name, as Elasticsearch's fields option does.
        index.mappings().aliases().forEach((alias, target) -> {
            if (matchers.stream().anyMatch(m -> m.matcher(alias).matches())) {
                var values = fetchFields(index, source, List.of(target)).get(target);
                if (values != null) {
                    result.put(alias, values);
                }
            }
        });
        return result;
    }

    private static Pattern glob(String pattern) {
        var regex = new java.util.StringJoiner(".*");
        for (String part : pattern.split("\\*", -1)) {
            regex.add(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static JsonNode path(JsonNode source, String dotted) {
        if (source.has(dotted)) {
            return source.get(dotted);
        }
        int dot = dotted.indexOf('.');
        while (dot > 0) {
            var head = source.get(dotted.substring(0, dot));
            if (head != null && head.isObject()) {
                var rest = path(head, dotted.substring(dot + 1));
                if (rest != null) {
                    return rest;
                }
            }
            dot = dotted.indexOf('.', dot + 1);
        }
        return null;
    }

    private static void collect(JsonNode node, FieldMapping mapping, List<Object> values) {
        if (node == null || node.isNull() || node.isObject()) {
            return;
        }
        if (node.isArray()) {
            for (var item : node) {
                collect(item, mapping, values);
            }
            return;
        }
        if (mapping instanceof FieldMapping.Date d && (node.isNumber() || node.isString())) {
            // Elasticsearch's fields option prints dates in the mapping's format, whatever the source held.
            try {
                long millis = node.isNumber() ? node.asLong() : DateFormats.parse(d.format(), node.asString());
                values.add(DateFormats.format(d.format(), millis));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                values.add(node.asString());
            }
        } else if (mapping instanceof FieldMapping.Numeric n && (node.isNumber() || node.isString())) {
            try {
                double number = node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asString());
                values.add(n.type().isDecimal() ? (Object) number : (Object) (long) number);
            } catch (NumberFormatException e) {
                values.add(node.asString());
            }
        } else if (node.isBoolean()) {
            values.add(node.booleanValue());
        } else if (node.isNumber()) {
            values.add(node.isIntegralNumber() ? (Object) node.longValue() : (Object) node.doubleValue());
        } else {
            values.add(node.asString());
        }
    }

    /** A {@code docvalue_fields} entry bound to one mapped field: its name, mapping and the format asked for. */
    record DocValueField(String name, FieldMapping mapping, Optional<String> format) {}

    /**
     * The mapped fields {@code requested} names or matches ({@code *} patterns), checked as Elasticsearch checks
     * them before fetching: text fields have no doc values, only dates and numbers take a format. Unmapped names
     * are left out, as Elasticsearch leaves them out.
     */
    static List<DocValueField> docValueFields(IndexView index, List<FieldAndFormat> requested) {
        if (requested.isEmpty()) {
            return List.of();
        }
        var resolved = new LinkedHashMap<String, DocValueField>();
        for (var entry : requested) {
            var names = new ArrayList<String>();
            if (entry.field().contains("*")) {
                var matcher = glob(entry.field());
                index.fields().forEach((name, mapping) -> {
                    if (!(mapping instanceof FieldMapping.ObjectMapping) && matcher.matcher(name).matches()) {
                        names.add(name);
                    }
                });
                names.sort(null);
            } else if (index.fields().containsKey(entry.field())) {
                names.add(entry.field());
            }
            for (var name : names) {
                var mapping = index.fields().get(name);
                checkDocValues(name, mapping, entry.format());
                resolved.put(name, new DocValueField(name, mapping, entry.format()));
            }
        }
        return List.copyOf(resolved.values());
    }

    private static void checkDocValues(String name, FieldMapping mapping, Optional<String> format) {
        switch (mapping) {
            case FieldMapping.Text t -> throw EngineException.illegalArgument(
                    "Text fields are not optimised for operations that require per-document field data like aggregations and "
                            + "sorting, so these operations are disabled by default. Please use a keyword field instead. "
                            + "Alternatively, set fielddata=true on [" + name + "] in order to load field data by uninverting "
                            + "the inverted index. Note that this can use significant memory.");
            case FieldMapping.RankFeature r -> throw EngineException.illegalArgument(
                    "[rank_feature] fields do not support sorting, scripting or aggregating");
            case FieldMapping.RankFeatures r -> throw EngineException.illegalArgument(
                    "[rank_features] fields do not support sorting, scripting or aggregating");
            case FieldMapping.DenseVector v -> throw EngineException.illegalArgument(
                    "Field [" + name + "] of type [dense_vector] doesn't support docvalue_fields or aggregations");
            case FieldMapping.ObjectMapping o -> throw EngineException.illegalArgument(
                    "Field [" + name + "] of type [object] doesn't support docvalue_fields");
            case FieldMapping.Keyword k -> noFormat(name, k, format);
            case FieldMapping.Bool b -> noFormat(name, b, format);
            case FieldMapping.Date d -> format.ifPresent(f -> {
                try {
                    DateFormats.validate(f);
                } catch (IllegalArgumentException e) {
                    throw EngineException.illegalArgument(e.getMessage());
                }
            });
            case FieldMapping.Numeric n -> format.ifPresent(HitExtras::decimalFormat);
        }
    }

    private static void noFormat(String name, FieldMapping mapping, Optional<String> format) {
        if (format.isPresent()) {
            throw EngineException.illegalArgument(
                    "Field [" + name + "] of type [" + mapping.typeName() + "] doesn't support formats.");
        }
    }

    private static DecimalFormat decimalFormat(String pattern) {
        try {
            var format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
            format.setRoundingMode(RoundingMode.HALF_UP);
            return format;
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument("Invalid DecimalFormat pattern [" + pattern + "]: " + e.getMessage());
        }
    }

    /**
     * The doc values of {@code fields} for one document, as Elasticsearch's {@code docvalue_fields} returns them:
     * keyword values in sorted order without duplicates, numbers in ascending order (whole-number types as longs,
     * decimal types as the doubles they were indexed as), booleans, and dates printed in the asked format or the
     * mapping's. A field without a value is left out.
     */
    static Map<String, List<Object>> readDocValues(IndexSearcher searcher, int doc, List<DocValueField> fields) throws IOException {
        var result = new LinkedHashMap<String, List<Object>>();
        if (fields.isEmpty()) {
            return result;
        }
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        int local = doc - leaf.docBase;
        for (var field : fields) {
            var values = new ArrayList<Object>();
            if (field.mapping() instanceof FieldMapping.Keyword) {
                var set = DocValues.getSortedSet(leaf.reader(), field.name());
                if (set.advanceExact(local)) {
                    for (int i = 0; i < set.docValueCount(); i++) {
                        values.add(set.lookupOrd(set.nextOrd()).utf8ToString());
                    }
                }
            } else {
                var numbers = DocValues.getSortedNumeric(leaf.reader(), field.name());
                if (numbers.advanceExact(local)) {
                    for (int i = 0; i < numbers.docValueCount(); i++) {
                        values.add(numberValue(field, numbers.nextValue()));
                    }
                }
            }
            if (!values.isEmpty()) {
                result.put(field.name(), values);
            }
        }
        return result;
    }

    private static Object numberValue(DocValueField field, long raw) {
        return switch (field.mapping()) {
            case FieldMapping.Bool b -> raw != 0;
            case FieldMapping.Date d -> DateFormats.format(field.format().orElse(d.format()), raw);
            case FieldMapping.Numeric n -> {
                Number number = n.type().isDecimal() ? (Number) NumericUtils.sortableLongToDouble(raw) : (Number) raw;
                yield field.format().isPresent() ? decimalFormat(field.format().get()).format(number) : number;
            }
            default -> throw new IllegalStateException("no numeric doc values for " + field.mapping().typeName());
        };
    }

    /**
     * What {@code stored_fields} asks of each hit: whether the source and the id are returned, and which mapped
     * fields with {@code store: true} are read. Names may be {@code *} patterns; fields that are not stored are
     * ignored, as in Elasticsearch.
     */
    record StoredFieldsPlan(boolean loadSource, boolean loadId, List<String> fields) {

        /** No {@code stored_fields} in the request: the id and the source, as by default. */
        static final StoredFieldsPlan DEFAULT = new StoredFieldsPlan(true, true, List.of());

        /** The names of the Lucene stored fields to read: the id and source when wanted, and the stored fields. */
        Set<String> luceneFields() {
            var names = new LinkedHashSet<String>(fields);
            if (loadId) {
                names.add(FieldNames.ID);
            }
            if (loadSource) {
                names.add(FieldNames.SOURCE);
            }
            return names;
        }
    }

    /**
     * The stored-fields plan of a request. {@code sourceAsked} says that the body sets {@code _source} to fetch it:
     * with {@code stored_fields} the source is returned only then, or when {@code _source} is one of the names.
     * Request validation has already refused {@code _none_} beside a requested source or the {@code fields} option.
     */
    static StoredFieldsPlan storedFields(IndexView index, HitOptions options, boolean sourceAsked, boolean sourceDisabled) {
        if (options.storedFields().isEmpty()) {
            return StoredFieldsPlan.DEFAULT;
        }
        if (options.storedFieldsDisabled()) {
            return new StoredFieldsPlan(false, false, List.of());
        }
        boolean source = sourceAsked;
        var names = new TreeMap<String, Boolean>();
        for (var requested : options.storedFields().get()) {
            if (requested.equals(FieldNames.SOURCE)) {
                source = !sourceDisabled;
                continue;
            }
            var matcher = glob(requested);
            index.fields().forEach((name, mapping) -> {
                if (mapping.store() && matcher.matcher(name).matches()) {
                    names.put(name, true);
                }
            });
        }
        return new StoredFieldsPlan(source, true, List.copyOf(names.keySet()));
    }

    /** The values of the plan's stored fields in a loaded document, typed and formatted by their mappings. */
    static Map<String, List<Object>> readStoredFields(IndexView index, org.apache.lucene.document.Document stored, StoredFieldsPlan plan) {
        var result = new LinkedHashMap<String, List<Object>>();
        for (var name : plan.fields()) {
            var mapping = index.fields().get(name);
            var values = new ArrayList<Object>();
            for (IndexableField field : stored.getFields(name)) {
                values.add(storedValue(mapping, field));
            }
            if (!values.isEmpty()) {
                result.put(name, values);
            }
        }
        return result;
    }

    private static Object storedValue(FieldMapping mapping, IndexableField field) {
        return switch (mapping) {
            case FieldMapping.Bool b -> field.numericValue().intValue() != 0;
            case FieldMapping.Date d -> DateFormats.format(d.format(), field.numericValue().longValue());
            case FieldMapping.Numeric n when n.type() == NumberType.FLOAT || n.type() == NumberType.HALF_FLOAT ->
                    field.numericValue().floatValue();
            case FieldMapping.Numeric n when n.type() == NumberType.DOUBLE -> field.numericValue().doubleValue();
            case FieldMapping.Numeric n -> field.numericValue().longValue();
            default -> field.stringValue();
        };
    }

    /** The hit's {@code _version} and {@code _seq_no}, as asked. */
    static SearchResponse.Metadata metadata(IndexSearcher searcher, int doc, boolean version, boolean seqNo) throws IOException {
        if (!version && !seqNo) {
            return SearchResponse.Metadata.NONE;
        }
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        return new SearchResponse.Metadata(
                version ? docValue(leaf, FieldNames.VERSION, doc - leaf.docBase) : Optional.empty(),
                seqNo ? docValue(leaf, FieldNames.SEQ_NO, doc - leaf.docBase) : Optional.empty());
    }

    private static Optional<Long> docValue(LeafReaderContext leaf, String field, int doc) throws IOException {
        var values = DocValues.getNumeric(leaf.reader(), field);
        return values.advanceExact(doc) ? Optional.of(values.longValue()) : Optional.empty();
    }

    /** The best score of any document {@code query} matches, or NaN when it matches none. */
    static float maxScore(IndexSearcher searcher, Query query) throws IOException {
        var best = searcher.search(query, 1).scoreDocs;
        return best.length == 0 ? Float.NaN : best[0].score;
    }
}
