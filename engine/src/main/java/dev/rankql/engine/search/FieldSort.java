package dev.rankql.engine.search;

import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.FieldMapping;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.SortedSetSelector;
import org.apache.lucene.search.SortedSetSortField;
import org.apache.lucene.util.BytesRef;

/**
 * A {@code sort} other than by score: keyword, numeric, date and boolean fields, {@code _score} and {@code _doc},
 * with Elasticsearch's defaults (ascending for fields, descending for {@code _score}; the smallest value of a
 * multi-valued field when ascending, the largest when descending; missing values last).
 */
final class FieldSort {

    private final List<SortField> keys;
    private final Sort sort;

    private FieldSort(List<SortField> keys, Sort sort) {
        this.keys = keys;
        this.sort = sort;
    }

    /** Whether {@code sort} ranks by score only (then possibly by index order): the plain top-docs path. */
    static boolean byScore(List<SortField> sort) {
        if (sort.isEmpty()) {
            return true;
        }
        var first = sort.get(0);
        if (!first.field().equals("_score") || first.order().orElse(SortOrder.DESC) != SortOrder.DESC) {
            return false;
        }
        return sort.size() == 1 || sort.size() == 2 && isIndexOrder(sort.get(1));
    }

    private static boolean isIndexOrder(SortField field) {
        return (field.field().equals("_doc") || field.field().equals("_shard_doc")) && field.order().orElse(SortOrder.ASC) == SortOrder.ASC;
    }

    static FieldSort of(List<SortField> sort, IndexView index) {
        var fields = new ArrayList<org.apache.lucene.search.SortField>();
        for (var key : sort) {
            fields.add(luceneField(key, index));
        }
        return new FieldSort(List.copyOf(sort), new Sort(fields.toArray(org.apache.lucene.search.SortField[]::new)));
    }

    private static org.apache.lucene.search.SortField luceneField(SortField key, IndexView index) {
        var name = key.field();
        if (name.equals("_score")) {
            return new org.apache.lucene.search.SortField(null, org.apache.lucene.search.SortField.Type.SCORE,
                    key.order().orElse(SortOrder.DESC) == SortOrder.ASC);
        }
        if (name.equals("_doc") || name.equals("_shard_doc")) {
            return new org.apache.lucene.search.SortField(null, org.apache.lucene.search.SortField.Type.DOC,
                    key.order().orElse(SortOrder.ASC) == SortOrder.DESC);
        }
        boolean reverse = key.order().orElse(SortOrder.ASC) == SortOrder.DESC;
        name = index.resolve(name);
        var mapping = index.fields().get(name);
        return switch (mapping) {
            case null -> throw EngineException.queryShard(index.name(), "No mapping found for [" + name + "] in order to sort on");
            case FieldMapping.Keyword k -> {
                var field = new SortedSetSortField(name, reverse, reverse ? SortedSetSelector.Type.MAX : SortedSetSelector.Type.MIN);
                field.setMissingValue(reverse ? org.apache.lucene.search.SortField.STRING_FIRST : org.apache.lucene.search.SortField.STRING_LAST);
                yield field;
            }
            case FieldMapping.Numeric n -> numeric(name, n.type().isDecimal(), reverse);
            case FieldMapping.Date d -> numeric(name, false, reverse);
            case FieldMapping.Bool b -> numeric(name, false, reverse);
            case FieldMapping.Text t -> throw EngineException.illegalArgument(
                    "Text fields are not optimised for operations that require per-document field data like aggregations and "
                            + "sorting, so these operations are disabled by default. Please use a keyword field instead. "
                            + "Alternatively, set fielddata=true on [" + name + "] in order to load field data by uninverting "
                            + "the inverted index. Note that this can use significant memory.");
            case FieldMapping.RankFeature r -> throw unsortable(name, r);
            case FieldMapping.RankFeatures r -> throw unsortable(name, r);
            case FieldMapping.DenseVector v -> throw unsortable(name, v);
            case FieldMapping.ObjectMapping o -> throw unsortable(name, o);
        };
    }

    private static EngineException unsortable(String name, FieldMapping mapping) {
        return EngineException.illegalArgument("can't sort on field [" + name + "] of type [" + mapping.typeName() + "]");
    }

    private static org.apache.lucene.search.SortField numeric(String name, boolean decimal, boolean reverse) {
        var selector = reverse ? SortedNumericSelector.Type.MAX : SortedNumericSelector.Type.MIN;
        if (decimal) {
            var field = new SortedNumericSortField(name, org.apache.lucene.search.SortField.Type.DOUBLE, reverse, selector);
            field.setMissingValue(reverse ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            return field;
        }
        var field = new SortedNumericSortField(name, org.apache.lucene.search.SortField.Type.LONG, reverse, selector);
        field.setMissingValue(reverse ? Long.MIN_VALUE : Long.MAX_VALUE);
        return field;
    }

    Sort sort() {
        return sort;
    }

    /** Whether the hits' scores are computed (only when sorting by {@code _score}). */
    boolean tracksScores() {
        return keys.stream().anyMatch(k -> k.field().equals("_score"));
    }

    /**
     * The position {@code search_after} names: the sort values of the last hit of the previous page, typed as this
     * sort compares them. Documents with exactly these values count as already seen, as in Elasticsearch.
     */
    FieldDoc after(List<dev.rankql.ast.Value> values) {
        var fields = sort.getSort();
        if (values.size() != fields.length) {
            throw EngineException.illegalArgument("search_after has " + values.size() + " value(s) but sort has " + fields.length + ".");
        }
        var typed = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            var field = fields[i];
            var value = values.get(i);
            var type = field instanceof SortedNumericSortField n ? n.getNumericType() : field.getType();
            typed[i] = switch (value) {
                case dev.rankql.ast.Value.Null n -> null;
                case dev.rankql.ast.Value.Str str when type == org.apache.lucene.search.SortField.Type.STRING
                        || field instanceof SortedSetSortField -> new BytesRef(str.value());
                default -> afterNumber(field, type, value);
            };
        }
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, typed);
    }

    private static Object afterNumber(org.apache.lucene.search.SortField field, org.apache.lucene.search.SortField.Type type,
            dev.rankql.ast.Value value) {
        double number = switch (value) {
            case dev.rankql.ast.Value.Int i -> i.value();
            case dev.rankql.ast.Value.Dbl d -> d.value();
            case dev.rankql.ast.Value.Bool b -> b.value() ? 1 : 0;
            case dev.rankql.ast.Value.Str str -> {
                try {
                    yield Double.parseDouble(str.value());
                } catch (NumberFormatException e) {
                    throw EngineException.illegalArgument("Failed to parse search_after value [" + str.value() + "] for sort field ["
                            + (field.getField() == null ? "_score" : field.getField()) + "]");
                }
            }
            default -> throw EngineException.illegalArgument("search_after values must be strings, numbers, booleans or null");
        };
        return switch (type) {
            case LONG -> value instanceof dev.rankql.ast.Value.Int i ? i.value() : (long) number;
            case INT, DOC -> (int) number;
            case DOUBLE -> number;
            case FLOAT, SCORE -> (float) number;
            default -> throw EngineException.illegalArgument("search_after cannot position a sort on ["
                    + (field.getField() == null ? type : field.getField()) + "]");
        };
    }

    /** The hit's sort values as Elasticsearch renders them: strings, longs, doubles. */
    static List<Object> values(ScoreDoc doc) {
        if (!(doc instanceof FieldDoc fieldDoc)) {
            return List.of();
        }
        var values = new ArrayList<Object>();
        for (var value : fieldDoc.fields) {
            values.add(switch (value) {
                case null -> null;
                case BytesRef bytes -> bytes.utf8ToString();
                case Float f -> (double) f;
                case Integer i -> (long) i;
                default -> value;
            });
        }
        return values;
    }
}
