package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.json.EsJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A self-contained scroll id for processes that end after each page (the CLI), carrying the index, the request, where
 * the next page starts, the commit the first page read and the deadline, and served only while the index is still at
 * that commit, which keeps Lucene's document numbers and therefore the pages consistent.
 *
 * @param index the index scrolled
 * @param indexUuid the index's uuid, so that a deleted and re-created index of the same name is told apart
 * @param readerVersion the version of the commit the first page read
 * @param request the search, as Elasticsearch JSON on the wire
 * @param batchSize the page size
 * @param explain the {@code explain} URL parameter, when given
 * @param keepAliveMillis the keep-alive, renewed by each page
 * @param expiresAtMillis when the scroll expires, in epoch milliseconds
 * @param after the last hit of the page before, or null before the first page
 */
record ScrollCursor(String index, String indexUuid, long readerVersion, SearchRequest request, int batchSize,
        Optional<Boolean> explain, long keepAliveMillis, long expiresAtMillis, ScoreDoc after) {

    /** The prefix of a cursor's text before base64, telling it from a live context's id. */
    static final String PREFIX = "rankql-cursor:";

    ScrollCursor {
        requireNonNull(index, "index");
        requireNonNull(indexUuid, "indexUuid");
        requireNonNull(request, "request");
        requireNonNull(explain, "explain");
    }

    /** The options a page runs with. */
    SearchOptions options() {
        var options = SearchOptions.NONE.withSize(batchSize);
        return explain.isPresent() ? options.withExplain(explain.get()) : options;
    }

    Duration keepAlive() {
        return Duration.ofMillis(keepAliveMillis);
    }

    /** This cursor moved past {@code last} with its deadline renewed. */
    ScrollCursor next(ScoreDoc last, long keepAlive, long expiresAt) {
        return new ScrollCursor(index, indexUuid, readerVersion, request, batchSize, explain, keepAlive, expiresAt, last);
    }

    /** The id: base64 (URL-safe) of the prefix and a JSON object. */
    String encode() {
        var node = Json.object();
        node.put("index", index);
        node.put("uuid", indexUuid);
        node.put("reader", readerVersion);
        node.set("request", EsJson.toJsonNode(request));
        node.put("size", batchSize);
        explain.ifPresent(e -> node.put("explain", e));
        node.put("keep_alive", keepAliveMillis);
        node.put("expires", expiresAtMillis);
        if (after != null) {
            var a = node.putObject("after");
            a.put("doc", after.doc);
            a.put("score", Float.floatToRawIntBits(after.score));
            if (after instanceof FieldDoc fieldDoc) {
                var fields = a.putArray("fields");
                for (var value : fieldDoc.fields) {
                    var f = fields.addObject();
                    switch (value) {
                        case null -> f.put("t", "null");
                        case Long l -> f.put("t", "long").put("v", l);
                        case Integer i -> f.put("t", "int").put("v", i);
                        case Double d -> f.put("t", "double").put("v", Double.doubleToRawLongBits(d));
                        case Float x -> f.put("t", "float").put("v", Float.floatToRawIntBits(x));
                        case BytesRef b -> f.put("t", "bytes").put("v", Base64.getEncoder().encodeToString(BytesRef.deepCopyOf(b).bytes));
                        default -> throw new IllegalStateException("a sort value rankql cannot carry in a scroll id: "
                                + value.getClass().getName());
                    }
                }
            }
        }
        var text = PREFIX + Json.write(node);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor from the text after {@link #PREFIX}; anything malformed is Elasticsearch's "Cannot parse scroll id". */
    static ScrollCursor decode(String json) {
        try {
            var node = Json.MAPPER.readTree(json);
            var request = EsJson.parseSearch(Json.write(node.required("request")));
            ScoreDoc after = null;
            if (node.has("after")) {
                var a = node.required("after");
                int doc = a.required("doc").asInt();
                float score = Float.intBitsToFloat(a.required("score").asInt());
                if (a.has("fields")) {
                    var fields = a.required("fields");
                    var values = new Object[fields.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(fields.get(i));
                    }
                    after = new FieldDoc(doc, score, values);
                } else {
                    after = new ScoreDoc(doc, score);
                }
            }
            var explain = node.has("explain") ? Optional.of(node.required("explain").asBoolean()) : Optional.<Boolean>empty();
            int size = node.required("size").asInt();
            if (size <= 0) {
                throw ScrollRequests.cannotParse();
            }
            return new ScrollCursor(node.required("index").asString(), node.required("uuid").asString(),
                    node.required("reader").asLong(), request, size, explain, node.required("keep_alive").asLong(),
                    node.required("expires").asLong(), after);
        } catch (JacksonException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw ScrollRequests.cannotParse();
        } catch (EngineException e) {
            if (e.type().equals("illegal_argument_exception") && e.reason().equals("Cannot parse scroll id")) {
                throw e;
            }
            throw ScrollRequests.cannotParse();
        } catch (RuntimeException e) {
            // A tampered request fails the request parser with its own errors; the id as a whole is what is wrong.
            throw ScrollRequests.cannotParse();
        }
    }

    private static Object value(JsonNode f) {
        return switch (f.required("t").asString()) {
            case "null" -> null;
            case "long" -> f.required("v").asLong();
            case "int" -> f.required("v").asInt();
            case "double" -> Double.longBitsToDouble(f.required("v").asLong());
            case "float" -> Float.intBitsToFloat(f.required("v").asInt());
            case "bytes" -> new BytesRef(Base64.getDecoder().decode(f.required("v").asString()));
            default -> throw new IllegalArgumentException("unknown sort value type");
        };
    }
}
