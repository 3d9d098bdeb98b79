package dev.rankql.engine.mapping;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** The mapping of one field: its Elasticsearch type and the parameters rankql honours. */
public sealed interface FieldMapping {

    /** The Elasticsearch type name. */
    String typeName();

    /** Sub-fields ({@code fields}), indexed from the same value under {@code <field>.<name>}. */
    Map<String, FieldMapping> fields();

    /** Whether the mapping says {@code store: true}, so that {@code stored_fields} can return the field's values. */
    default boolean store() {
        return false;
    }

    /** Analyzed full text. */
    record Text(String analyzer, Optional<String> searchAnalyzer, Map<String, FieldMapping> fields, boolean store)
            implements FieldMapping {
        public Text {
            requireNonNull(analyzer, "analyzer");
            requireNonNull(searchAnalyzer, "searchAnalyzer");
            fields = Map.copyOf(fields);
        }

        /** A text field that is not stored apart from the source. */
        public Text(String analyzer, Optional<String> searchAnalyzer, Map<String, FieldMapping> fields) {
            this(analyzer, searchAnalyzer, fields, false);
        }

        /** The analyzer for query text when no analyzer is given in the query. */
        public String queryAnalyzer() {
            return searchAnalyzer.orElse(analyzer);
        }

        @Override
        public String typeName() {
            return "text";
        }
    }

    /** An exact string, indexed as one term when not longer than {@code ignore_above}. */
    record Keyword(Optional<Integer> ignoreAbove, Map<String, FieldMapping> fields, boolean store) implements FieldMapping {
        public Keyword {
            requireNonNull(ignoreAbove, "ignoreAbove");
            fields = Map.copyOf(fields);
        }

        /** A keyword field that is not stored apart from the source. */
        public Keyword(Optional<Integer> ignoreAbove, Map<String, FieldMapping> fields) {
            this(ignoreAbove, fields, false);
        }

        @Override
        public String typeName() {
            return "keyword";
        }
    }

    /** A number of one of the {@link NumberType}s. */
    record Numeric(NumberType type, Map<String, FieldMapping> fields, boolean store) implements FieldMapping {
        public Numeric {
            requireNonNull(type, "type");
            fields = Map.copyOf(fields);
        }

        /** A numeric field that is not stored apart from the source. */
        public Numeric(NumberType type, Map<String, FieldMapping> fields) {
            this(type, fields, false);
        }

        @Override
        public String typeName() {
            return type.typeName();
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(Map<String, FieldMapping> fields, boolean store) implements FieldMapping {
        public Bool {
            fields = Map.copyOf(fields);
        }

        /** A boolean field that is not stored apart from the source. */
        public Bool(Map<String, FieldMapping> fields) {
            this(fields, false);
        }

        @Override
        public String typeName() {
            return "boolean";
        }
    }

    /** A point in time, parsed with {@code format} and stored as epoch milliseconds. */
    record Date(String format, Map<String, FieldMapping> fields, boolean store) implements FieldMapping {
        public Date {
            requireNonNull(format, "format");
            fields = Map.copyOf(fields);
        }

        /** A date field that is not stored apart from the source. */
        public Date(String format, Map<String, FieldMapping> fields) {
            this(format, fields, false);
        }

        @Override
        public String typeName() {
            return "date";
        }
    }

    /** A positive number that a {@code rank_feature} query turns into a score. */
    record RankFeature(boolean positiveScoreImpact) implements FieldMapping {
        @Override
        public String typeName() {
            return "rank_feature";
        }

        @Override
        public Map<String, FieldMapping> fields() {
            return Map.of();
        }
    }

    /** A map of feature names to positive numbers, each usable by a {@code rank_feature} query. */
    record RankFeatures(boolean positiveScoreImpact) implements FieldMapping {
        @Override
        public String typeName() {
            return "rank_features";
        }

        @Override
        public Map<String, FieldMapping> fields() {
            return Map.of();
        }
    }

    /**
     * A fixed-length vector of floats, indexed in Lucene's HNSW graph when {@code indexed}; {@code indexOptions}
     * empty means rankql's default, a float HNSW graph with Lucene's {@code m} 16 and {@code ef_construction} 100.
     */
    record DenseVector(int dims, VectorSimilarity similarity, boolean indexed, Optional<VectorIndexOptions> indexOptions)
            implements FieldMapping {
        public DenseVector {
            if (dims < 1 || dims > VectorIndexOptions.MAX_DIMS) {
                throw new IllegalArgumentException("The number of dimensions should be in the range [1, "
                        + VectorIndexOptions.MAX_DIMS + "] but was [" + dims + "]");
            }
            requireNonNull(similarity, "similarity");
            requireNonNull(indexOptions, "indexOptions");
        }

        /** The HNSW parameters in effect: the given ones, or rankql's default float graph. */
        public VectorIndexOptions effectiveIndexOptions() {
            return indexOptions.orElse(VectorIndexOptions.DEFAULT);
        }

        @Override
        public String typeName() {
            return "dense_vector";
        }

        @Override
        public Map<String, FieldMapping> fields() {
            return Map.of();
        }
    }

    /** An object whose own fields are mapped by {@code properties}. */
    record ObjectMapping(Map<String, FieldMapping> properties) implements FieldMapping {
        public ObjectMapping {
            properties = Map.copyOf(properties);
        }

        @Override
        public String typeName() {
            return "object";
        }

        @Override
        public Map<String, FieldMapping> fields() {
            return Map.of();
        }
    }
}
