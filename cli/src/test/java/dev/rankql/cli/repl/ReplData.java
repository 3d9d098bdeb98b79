package dev.rankql.cli.repl;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;

/** A small data directory for REPL tests: index {@code shop} with five products, index {@code empty}, one model. */
final class ReplData {

    static final String MAPPING = """
            {"mappings": {"properties": {
              "title": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
              "brand": {"type": "keyword"},
              "price": {"type": "float"}}}}""";

    static final String DOCS = """
            {"_id": "d1", "title": "clamp desk lamp", "brand": "Lumen", "price": 20.5}
            {"_id": "d2", "title": "floor lamp", "brand": "Acme", "price": 99}
            {"_id": "d3", "title": "usb desk fan", "brand": "Acme", "price": 15}
            {"_id": "d4", "title": "desk organizer", "brand": "Cortado", "price": 30}
            {"_id": "d5", "title": "reading light", "brand": "Lumen", "price": 45}
            """;

    static final String MODEL = """
            {"description": "one tree on the title score",
             "inference_config": {"learning_to_rank": {"feature_extractors": [
               {"query_extractor": {"feature_name": "title_score", "query": {"match": {"title": "{{q}}"}}}}]}},
             "definition": {"trained_model": {"tree": {"feature_names": ["title_score"], "target_type": "regression",
               "tree_structure": [
                 {"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lte", "default_left": true,
                  "left_child": 1, "right_child": 2},
                 {"node_index": 1, "leaf_value": 1.0}, {"node_index": 2, "leaf_value": 3.0}]}}}}""";

    private ReplData() {}

    /** Fills {@code data} and closes the engine again, so that the REPL can open it. */
    static void create(Path data) throws IOException {
        try (var engine = Engine.open(data)) {
            engine.createIndex("shop", MAPPING);
            engine.ingestJsonLines("shop", new StringReader(DOCS), RefreshPolicy.IMMEDIATE);
            engine.createIndex("empty", "");
            engine.putModel("title-model", MODEL, false);
        }
    }
}
