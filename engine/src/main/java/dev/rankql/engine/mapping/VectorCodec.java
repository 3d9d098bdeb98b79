package dev.rankql.engine.mapping;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * Lucene's default codec with each {@code dense_vector} field's own HNSW parameters and quantization, looked up in
 * the index's current mappings when a segment is written.
 *
 * <p>Readers need nothing from it: every segment records the format of each vector field by name, which Lucene's
 * default codec resolves, so an index written with this codec opens with or without it.
 */
public final class VectorCodec extends FilterCodec {

    private final KnnVectorsFormat perField;

    /** A codec that reads the vector mappings from {@code fields} (the flattened mappings) at write time. */
    public VectorCodec(Supplier<Map<String, FieldMapping>> fields) {
        super("Lucene104", new Lucene104Codec());
        this.perField = new org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                var options = fields.get().get(field) instanceof FieldMapping.DenseVector v
                        ? v.effectiveIndexOptions()
                        : VectorIndexOptions.DEFAULT;
                return switch (options.type()) {
                    case HNSW -> new Lucene99HnswVectorsFormat(options.m(), options.efConstruction());
                    // Elasticsearch's int8_hnsw keeps 7 bits per dimension, as SEVEN_BIT does.
                    case INT8_HNSW -> new Lucene104HnswScalarQuantizedVectorsFormat(
                            QuantizedByteVectorValues.ScalarEncoding.SEVEN_BIT, options.m(), options.efConstruction());
                };
            }
        };
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
        return perField;
    }
}
