package dev.rankql.json;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Query;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import io.vavr.collection.Seq;
import io.vavr.collection.Vector;
import io.vavr.control.Validation;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Elasticsearch search bodies, retrievers and queries into the rankql AST, reporting every problem at once, and
 * writes any AST back as canonical Elasticsearch JSON.
 */
public final class EsJson {

    /** The deepest nesting of retrievers and queries, counted together, that the reader accepts. */
    public static final int MAX_DEPTH = 64;

    /** The deepest nesting of JSON objects and arrays that the parser accepts, whatever they hold. */
    public static final int MAX_JSON_NESTING = JsonLimits.MAX_NESTING_DEPTH;

    /** The longest body the parser accepts, in characters. */
    public static final long MAX_BODY_LENGTH = 64L << 20;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(JsonLimits.constraints(MAX_BODY_LENGTH, MAX_JSON_NESTING))
                    // Canonical output can be a few levels deeper than its input (a lone clause becomes an array).
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(2 * MAX_JSON_NESTING)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            // Decimals stay exact in the tree, so a float or double reads back as the very value that was written.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Separators SEPARATORS = Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");

    private static final ObjectWriter PRETTY = MAPPER.writer().with(new DefaultPrettyPrinter(SEPARATORS)
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private EsJson() {}

    /** Reads a search body; invalid with every diagnostic when anything is wrong. */
    public static Validation<Seq<Diagnostic>, SearchRequest> readSearch(String json) {
        return read(json, (codec, root) -> codec.read(root));
    }

    /** Reads a search body, or throws {@link InvalidRequestException} with every diagnostic. */
    public static SearchRequest parseSearch(String json) {
        return orThrow(readSearch(json));
    }

    /** Reads one query object such as {@code {"match": {"title": "x"}}}. */
    public static Validation<Seq<Diagnostic>, Query> readQuery(String json) {
        return read(json, (codec, root) -> codec.queries().read(root, "$"));
    }

    public static Query parseQuery(String json) {
        return orThrow(readQuery(json));
    }

    /**
     * Reads a query embedded in another JSON document (a model's feature extractor, say); diagnostics carry paths
     * that start with {@code path}.
     */
    public static Query parseQuery(JsonNode node, String path) {
        requireNonNull(node, "node");
        requireNonNull(path, "path");
        var problems = new Problems();
        var query = new RequestCodec(problems).queries().read(node, path);
        return orThrow(result(problems, query));
    }

    /** Reads one retriever object such as {@code {"standard": {...}}}. */
    public static Validation<Seq<Diagnostic>, Retriever> readRetriever(String json) {
        return read(json, (codec, root) -> codec.retrievers().read(root, "$"));
    }

    public static Retriever parseRetriever(String json) {
        return orThrow(readRetriever(json));
    }

    /** The canonical body, indented by two spaces, without a trailing newline; the DSL's index is left out. */
    public static String writeSearch(SearchRequest request) {
        return PRETTY.writeValueAsString(toJsonNode(request));
    }

    /** The canonical body on one line. */
    public static String writeSearchCompact(SearchRequest request) {
        return MAPPER.writeValueAsString(toJsonNode(request));
    }

    public static String writeQuery(Query query) {
        return PRETTY.writeValueAsString(toJsonNode(query));
    }

    public static String writeRetriever(Retriever retriever) {
        return PRETTY.writeValueAsString(RetrieverCodec.write(retriever));
    }

    public static JsonNode toJsonNode(SearchRequest request) {
        return RequestCodec.write(request);
    }

    public static JsonNode toJsonNode(Query query) {
        return QueryCodec.write(query);
    }

    private static <T> Validation<Seq<Diagnostic>, T> read(String json, BiFunction<RequestCodec, JsonNode, T> reader) {
        requireNonNull(json, "json");
        var problems = new Problems();
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(json)) {
            try {
                root = MAPPER.readTree(parser);
            } catch (JacksonException e) {
                // Constraint violations carry no location of their own; the parser knows where it stopped.
                var location = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                problems.add("$", "invalid JSON" + where(location) + ": " + firstLine(e.getOriginalMessage()),
                        Diagnostic.X_CONTENT_PARSE_EXCEPTION);
                return result(problems, null);
            } catch (NumberFormatException e) {
                // Jackson reports a decimal whose exponent no BigDecimal can hold (1e-2147483648) with a bare
                // NumberFormatException; the parser stands on that number.
                problems.add("$", "invalid JSON" + where(parser.currentTokenLocation()) + ": the number "
                        + abbreviated(parser.getString()) + " has an exponent out of range",
                        Diagnostic.X_CONTENT_PARSE_EXCEPTION);
                return result(problems, null);
            }
        }
        if (root == null || root.isMissingNode()) {
            problems.add("$", "expected a JSON object, got nothing", Diagnostic.PARSING_EXCEPTION);
            return result(problems, null);
        }
        return result(problems, reader.apply(new RequestCodec(problems), root));
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String abbreviated(String number) {
        return number.length() <= 40 ? number : number.substring(0, 20) + "..." + number.substring(number.length() - 15);
    }

    private static String firstLine(String message) {
        int cut = message.indexOf('\n');
        return cut < 0 ? message : message.substring(0, cut);
    }

    private static <T> Validation<Seq<Diagnostic>, T> result(Problems problems, T value) {
        if (!problems.isEmpty() || value == null) {
            if (problems.isEmpty()) {
                throw new IllegalStateException("the reader returned nothing without saying why");
            }
            return Validation.invalid(Vector.ofAll(problems.diagnostics()));
        }
        return Validation.valid(value);
    }

    private static <T> T orThrow(Validation<Seq<Diagnostic>, T> validation) {
        if (validation.isInvalid()) {
            throw new InvalidRequestException(validation.getError().toJavaList());
        }
        return validation.get();
    }
}
