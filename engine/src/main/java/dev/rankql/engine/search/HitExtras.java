package dev.rankql.engine.search;

import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.FieldNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
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
 * values of requested {@code fields}, its version and sequence number, and the best score of a field-sorted search
 * that tracks scores.
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
        if (mapping instanceof FieldMapping.Numeric n && (node.isNumber() || node.isString())) {
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
