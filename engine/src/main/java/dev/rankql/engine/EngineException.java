package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A request error in Elasticsearch's terms: an error {@code type}, a {@code reason} and the HTTP status. */
public final class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;
    private final Map<String, String> metadata;
    private final transient Optional<EngineException> causedBy;

    /** An error with extra root-cause fields such as {@code index} or {@code resource.id}. */
    public EngineException(
            String type, String reason, int status, Map<String, String> metadata, Optional<EngineException> causedBy) {
        super(reason, causedBy.orElse(null));
        this.type = requireNonNull(type, "type");
        this.status = status;
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.causedBy = requireNonNull(causedBy, "causedBy");
    }

    /** An error without extra fields. */
    public EngineException(String type, String reason, int status) {
        this(type, reason, status, Map.of(), Optional.empty());
    }

    /** Elasticsearch's error type, e.g. {@code index_not_found_exception}. */
    public String type() {
        return type;
    }

    /** Elasticsearch's reason text. */
    public String reason() {
        return getMessage();
    }

    /** The HTTP status Elasticsearch answers with. */
    public int status() {
        return status;
    }

    /** The extra fields written beside {@code type} and {@code reason}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The nested cause, rendered as {@code caused_by}. */
    public Optional<EngineException> causedBy() {
        return causedBy;
    }

    /** {@code 400 illegal_argument_exception}. */
    public static EngineException illegalArgument(String reason) {
        return new EngineException("illegal_argument_exception", reason, 400);
    }

    /** {@code 404 index_not_found_exception}: {@code no such index [name]}. */
    public static EngineException indexNotFound(String index) {
        return new EngineException(
                "index_not_found_exception",
                "no such index [" + index + "]",
                404,
                orderedMap("resource.type", "index_or_alias", "resource.id", index, "index_uuid", "_na_", "index", index),
                Optional.empty());
    }

    /** {@code 400 resource_already_exists_exception}. */
    public static EngineException alreadyExists(String index) {
        return new EngineException(
                "resource_already_exists_exception",
                "index [" + index + "] already exists",
                400,
                orderedMap("index_uuid", "_na_", "index", index),
                Optional.empty());
    }

    /** {@code 400 invalid_index_name_exception}: {@code Invalid index name [name], why}. */
    public static EngineException invalidIndexName(String index, String why) {
        return new EngineException(
                "invalid_index_name_exception",
                "Invalid index name [" + index + "], " + why,
                400,
                orderedMap("index_uuid", "_na_", "index", index),
                Optional.empty());
    }

    /** {@code 400 mapper_parsing_exception}. */
    public static EngineException mapperParsing(String reason) {
        return new EngineException("mapper_parsing_exception", reason, 400);
    }

    /** {@code 400 mapper_parsing_exception} with a nested cause. */
    public static EngineException mapperParsing(String reason, EngineException cause) {
        return new EngineException("mapper_parsing_exception", reason, 400, Map.of(), Optional.of(cause));
    }

    /** {@code 400 document_parsing_exception}: a document that does not fit the mappings. */
    public static EngineException documentParsing(String reason) {
        return new EngineException("document_parsing_exception", reason, 400);
    }

    /** {@code 400 document_parsing_exception} with a nested cause. */
    public static EngineException documentParsing(String reason, EngineException cause) {
        return new EngineException("document_parsing_exception", reason, 400, Map.of(), Optional.of(cause));
    }

    /** {@code 400 parsing_exception}, as Elasticsearch raises for malformed request bodies. */
    public static EngineException parsing(String reason) {
        return new EngineException("parsing_exception", reason, 400);
    }

    /** {@code 400 query_shard_exception}: a query that cannot run against this index. */
    public static EngineException queryShard(String index, String reason) {
        return new EngineException("query_shard_exception", reason, 400, orderedMap("index", index), Optional.empty());
    }

    /**
     * Elasticsearch's wrapper for errors raised while a shard runs the query ({@code search_phase_execution_exception},
     * "all shards failed"), whose root cause is {@code cause}; the status is the cause's.
     */
    public static EngineException shardFailure(String index, EngineException cause) {
        if (cause.type.equals(SEARCH_PHASE)) {
            return cause;
        }
        return new EngineException(SEARCH_PHASE, "all shards failed", cause.status, orderedMap("phase", "query", "index", index),
                Optional.of(cause));
    }

    private static final String SEARCH_PHASE = "search_phase_execution_exception";

    /**
     * Error types that Elasticsearch renders from plain Java (or x-content) exceptions, not from its own exception
     * class; {@code root_cause} stops above them.
     */
    private static final java.util.Set<String> NOT_ELASTICSEARCH = java.util.Set.of("illegal_argument_exception",
            "illegal_state_exception", "number_format_exception", "arithmetic_exception", "json_parse_exception",
            "x_content_parse_exception", "date_time_parse_exception", "unsupported_operation_exception");

    /**
     * What Elasticsearch lists as {@code root_cause}: it follows {@code caused_by} while the cause is one of its own
     * exceptions (a failed shard's cause always), and stops at the last of them.
     */
    public EngineException rootCause() {
        if (causedBy.isEmpty()) {
            return this;
        }
        var cause = causedBy.get();
        return type.equals(SEARCH_PHASE) || !NOT_ELASTICSEARCH.contains(cause.type) ? cause.rootCause() : this;
    }

    /** The error object itself: {@code type}, {@code reason}, extra fields and {@code caused_by}. */
    public ObjectNode toErrorObject() {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("type", type);
        node.put("reason", getMessage());
        if (type.equals(SEARCH_PHASE) && causedBy.isPresent()) {
            node.put("phase", metadata.get("phase"));
            node.put("grouped", true);
            var shard = node.putArray("failed_shards").addObject();
            shard.put("shard", 0);
            shard.put("index", metadata.get("index"));
            shard.put("node", "rankql");
            shard.set("reason", causedBy.get().toErrorObject());
        } else {
            metadata.forEach(node::put);
        }
        causedBy.ifPresent(c -> node.set("caused_by", c.toErrorObject()));
        return node;
    }

    /** Elasticsearch's error body: {@code {"error": {"root_cause": [...], "type", "reason", ...}, "status": N}}. */
    public ObjectNode toJson() {
        var error = JsonNodeFactory.instance.objectNode();
        var rootCause = rootCause().toErrorObject();
        rootCause.remove("caused_by");
        error.putArray("root_cause").add(rootCause);
        toErrorObject().properties().forEach(e -> error.set(e.getKey(), e.getValue()));
        var body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        body.put("status", status);
        return body;
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
