package dev.rankql.engine.search;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import java.util.Optional;
import org.apache.lucene.search.Explanation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's explain API answer for one document: whether it exists, whether the query matches it and why, and
 * the document itself when the request asked for its {@code _source} or stored fields.
 *
 * @param index the index the document was looked up in
 * @param id the document id
 * @param explanation the query's explanation of the document; empty when the document does not exist
 * @param get the document part of the answer ({@code get} in the JSON), present only when asked for
 */
public record ExplainResponse(String index, String id, Optional<Explanation> explanation, Optional<Get> get) {

    public ExplainResponse {
        requireNonNull(index, "index");
        requireNonNull(id, "id");
        requireNonNull(explanation, "explanation");
        requireNonNull(get, "get");
        if (explanation.isEmpty() && get.isPresent()) {
            throw new IllegalArgumentException("a document that does not exist has no get part");
        }
    }

    /**
     * The document part: its sequence number and, when asked for, its {@code _source} (filtered as asked). rankql
     * stores no field apart from {@code _source}, so {@code stored_fields} never adds a {@code fields} section.
     *
     * @param seqNo the sequence number of the document's indexed version, when recorded
     * @param source the document's source, filtered as asked; empty when the source was not asked for
     */
    public record Get(Optional<Long> seqNo, Optional<JsonNode> source) {
        public Get {
            requireNonNull(seqNo, "seqNo");
            source = requireNonNull(source, "source").map(JsonNode::deepCopy);
        }
    }

    /** The answer for a document that does not exist: HTTP 404, {@code matched: false} and no explanation. */
    public static ExplainResponse missing(String index, String id) {
        return new ExplainResponse(index, id, Optional.empty(), Optional.empty());
    }

    /** Whether the document exists in the index's searchable (refreshed) view. */
    public boolean exists() {
        return explanation.isPresent();
    }

    /** Whether the query matches the document; false for a missing document. */
    public boolean matched() {
        return explanation.map(Explanation::isMatch).orElse(false);
    }

    /** The HTTP status Elasticsearch answers with: 200, or 404 for a missing document. */
    public int status() {
        return exists() ? 200 : 404;
    }

    /**
     * The response body: {@code _index}, {@code _id}, {@code matched}, then {@code explanation} in the same shape as a
     * search hit's {@code _explanation}, then {@code get} ({@code _seq_no}, {@code _primary_term}, {@code found},
     * {@code _source}) when present.
     */
    public ObjectNode toJson() {
        var node = Json.object();
        node.put("_index", index);
        node.put("_id", id);
        node.put("matched", matched());
        explanation.ifPresent(e -> node.set("explanation", SearchResponse.explanationJson(e)));
        get.ifPresent(g -> {
            var doc = node.putObject("get");
            g.seqNo().ifPresent(seqNo -> {
                doc.put("_seq_no", seqNo);
                doc.put("_primary_term", 1);
            });
            doc.put("found", true);
            g.source().ifPresent(source -> doc.set("_source", source.deepCopy()));
        });
        return node;
    }
}
