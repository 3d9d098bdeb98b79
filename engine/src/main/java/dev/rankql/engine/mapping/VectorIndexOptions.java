package dev.rankql.engine.mapping;

import static java.util.Objects.requireNonNull;

/** The {@code index_options} of a {@code dense_vector} field: the graph type and its HNSW parameters. */
public record VectorIndexOptions(Type type, int m, int efConstruction) {

    /** The largest number of dimensions Lucene's vector formats accept. */
    public static final int MAX_DIMS = 1024;

    /** Lucene's and Elasticsearch's default {@code m}. */
    public static final int DEFAULT_M = 16;

    /** Lucene's and Elasticsearch's default {@code ef_construction}. */
    public static final int DEFAULT_EF_CONSTRUCTION = 100;

    /** rankql's default when a mapping gives no {@code index_options}: a float HNSW graph. */
    public static final VectorIndexOptions DEFAULT = new VectorIndexOptions(Type.HNSW, DEFAULT_M, DEFAULT_EF_CONSTRUCTION);

    /** The graph types rankql offers. */
    public enum Type {
        /** Float vectors in the graph. */
        HNSW("hnsw"),
        /** Vectors quantized to 7-bit integers in the graph (Lucene's scalar quantized HNSW format). */
        INT8_HNSW("int8_hnsw");

        private final String esName;

        Type(String esName) {
            this.esName = esName;
        }

        /** The name in a mapping. */
        public String esName() {
            return esName;
        }
    }

    public VectorIndexOptions {
        requireNonNull(type, "type");
        if (m < 1 || m > 512) {
            throw new IllegalArgumentException("[m] must be in the range [1, 512] but was [" + m + "]");
        }
        if (efConstruction < 1 || efConstruction > 3200) {
            throw new IllegalArgumentException("[ef_construction] must be in the range [1, 3200] but was [" + efConstruction + "]");
        }
    }
}
