package dev.rankql.engine.mapping;

import dev.rankql.engine.EngineException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mappings of an index: the field tree of {@code properties}, the {@code dynamic} policy, a flat view by
 * full field path ({@code title}, {@code title.keyword}, {@code author.name}), and the field aliases ({@code aliases}:
 * full alias path to the full path of the concrete field it stands for).
 */
public record Mappings(Map<String, FieldMapping> properties, Dynamic dynamic, boolean dateDetection, Map<String, String> aliases) {

    /** What happens to fields that the mappings do not know. */
    public enum Dynamic {
        TRUE("true"),
        FALSE("false"),
        STRICT("strict");

        private final String text;

        Dynamic(String text) {
            this.text = text;
        }

        /** The value as written in JSON. */
        public String text() {
            return text;
        }
    }

    /** Parameters Elasticsearch accepts that change nothing in a one-shard, source-storing engine. */
    private static final Set<String> ACCEPTED_PARAMETERS = Set.of(
            "store", "doc_values", "norms", "boost", "similarity", "index_options", "term_vector",
            "eager_global_ordinals", "fielddata", "meta", "position_increment_gap", "search_quote_analyzer",
            "coerce", "ignore_malformed", "index", "locale", "split_queries_on_whitespace");

    public Mappings {
        properties = Map.copyOf(properties);
        aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
    }

    /** Mappings without field aliases. */
    public Mappings(Map<String, FieldMapping> properties, Dynamic dynamic, boolean dateDetection) {
        this(properties, dynamic, dateDetection, Map.of());
    }

    /** Mappings with no fields and dynamic mapping on. */
    public static Mappings empty() {
        return new Mappings(Map.of(), Dynamic.TRUE, true);
    }

    /**
     * The concrete field {@code name} stands for: the target of a field alias, else {@code name} itself. Every place a
     * search reads a field name resolves it here, so an alias works wherever its target does.
     */
    public String resolve(String name) {
        return aliases.getOrDefault(name, name);
    }

    /** Parses a {@code mappings} object of a create-index body. */
    public static Mappings parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return empty();
        }
        if (!node.isObject()) {
            throw EngineException.mapperParsing("Failed to parse mapping: Expected map for property [mappings] on field [_doc] but got a class " + nodeClass(node));
        }
        Mappings parsed;
        try {
            var dynamic = Dynamic.TRUE;
            boolean dateDetection = true;
            Map<String, FieldMapping> properties = Map.of();
            var aliases = new LinkedHashMap<String, String>();
            var unsupported = new LinkedHashMap<String, String>();
            for (var entry : node.properties()) {
                switch (entry.getKey()) {
                    case "properties" -> properties = parseProperties(entry.getValue(), "", aliases);
                    case "dynamic" -> dynamic = parseDynamic(entry.getValue());
                    case "date_detection" -> dateDetection = entry.getValue().asBoolean();
                    case "_source", "_meta", "numeric_detection", "dynamic_date_formats", "_routing" -> {
                        // Accepted for compatibility: _source is always stored whole and numeric detection stays off.
                    }
                    default -> unsupported.put(entry.getKey(), entry.getValue().toString());
                }
            }
            if (!unsupported.isEmpty()) {
                var text = new StringBuilder();
                unsupported.forEach((k, v) -> text.append(" [").append(k).append(" : ").append(v).append(']'));
                throw EngineException.mapperParsing("Root mapping definition has unsupported parameters: " + text);
            }
            parsed = new Mappings(properties, dynamic, dateDetection, aliases);
        } catch (EngineException e) {
            if (e.getMessage().startsWith("Failed to parse mapping") || e.getMessage().startsWith("Root mapping")) {
                throw e;
            }
            throw EngineException.mapperParsing("Failed to parse mapping: " + e.getMessage(), e);
        }
        // Elasticsearch checks aliases once the whole mapping is built, outside the parse errors' wrapping.
        parsed.validateAliases();
        return parsed;
    }

    /** Elasticsearch's checks of every alias's {@code path}: a concrete field, neither itself, an object nor an alias. */
    private void validateAliases() {
        if (aliases.isEmpty()) {
            return;
        }
        var flat = flatten();
        aliases.forEach((name, path) -> {
            var prefix = "Invalid [path] value [" + path + "] for field alias [" + name + "]: ";
            if (path.equals(name)) {
                throw EngineException.mapperParsing(prefix + "an alias cannot refer to itself.");
            }
            if (aliases.containsKey(path)) {
                throw EngineException.mapperParsing(prefix + "an alias cannot refer to another alias.");
            }
            var target = flat.get(path);
            if (target == null || target instanceof FieldMapping.ObjectMapping) {
                throw EngineException.mapperParsing(prefix + "an alias must refer to an existing field in the mappings.");
            }
        });
    }

    private static String nodeClass(JsonNode node) {
        return node.isArray() ? "java.util.ArrayList" : node.isString() ? "java.lang.String" : "java.lang.Object";
    }

    private static Dynamic parseDynamic(JsonNode value) {
        var text = value.asString();
        for (var d : Dynamic.values()) {
            if (d.text.equals(text)) {
                return d;
            }
        }
        if (text.equals("runtime")) {
            throw EngineException.mapperParsing("dynamic [runtime] is not supported by rankql");
        }
        throw EngineException.mapperParsing("Could not convert [dynamic] to boolean");
    }

    private static Map<String, FieldMapping> parseProperties(JsonNode node, String prefix, Map<String, String> aliases) {
        if (!node.isObject()) {
            throw EngineException.mapperParsing("Expected map for property [properties] but got " + Json.tokenName(node));
        }
        var result = new LinkedHashMap<String, FieldMapping>();
        for (var entry : node.properties()) {
            var name = entry.getKey();
            if (name.isEmpty()) {
                throw EngineException.mapperParsing("field name cannot be an empty string");
            }
            if (name.contains(".")) {
                // Elasticsearch expands dotted names into objects.
                var first = name.substring(0, name.indexOf('.'));
                var rest = name.substring(name.indexOf('.') + 1);
                var inner = Json.object();
                inner.putObject("properties").set(rest, entry.getValue());
                var existing = result.get(first);
                var parsed = (FieldMapping.ObjectMapping) parseField(first, prefix + first, inner, aliases);
                if (existing instanceof FieldMapping.ObjectMapping obj) {
                    var merged = new LinkedHashMap<>(obj.properties());
                    merged.putAll(parsed.properties());
                    result.put(first, new FieldMapping.ObjectMapping(merged));
                } else {
                    result.put(first, parsed);
                }
                continue;
            }
            if (isAlias(entry.getValue())) {
                aliases.put(prefix + name, aliasPath(name, entry.getValue()));
                result.remove(name);
                continue;
            }
            aliases.remove(prefix + name);
            result.put(name, parseField(name, prefix + name, entry.getValue(), aliases));
        }
        return result;
    }

    private static boolean isAlias(JsonNode node) {
        return node.isObject() && node.has("type") && node.get("type").asString().equals("alias");
    }

    /** The {@code path} of the alias mapping {@code node} of field {@code name}, which has no other parameter. */
    private static String aliasPath(String name, JsonNode node) {
        var path = node.get("path");
        if (path == null || path.isNull() || !path.isValueNode()) {
            throw EngineException.mapperParsing("The [path] property must be specified for field [" + name + "].");
        }
        var text = new StringBuilder();
        node.properties().forEach(e -> {
            if (!e.getKey().equals("type") && !e.getKey().equals("path")) {
                text.append(" [").append(e.getKey()).append(" : ").append(e.getValue()).append(']');
            }
        });
        if (!text.isEmpty()) {
            throw EngineException.mapperParsing("Mapping definition for [" + name + "] has unsupported parameters: " + text);
        }
        return path.asString();
    }

    private static FieldMapping parseField(String name, String path, JsonNode node, Map<String, String> aliases) {
        if (!node.isObject()) {
            throw EngineException.mapperParsing("Expected map for property [fields] on field [" + name + "] but got a class " + nodeClass(node));
        }
        // A field without a type is an object, as in Elasticsearch.
        var type = node.has("type") ? node.get("type").asString() : "object";
        var params = new LinkedHashMap<String, JsonNode>();
        node.properties().forEach(e -> {
            if (!e.getKey().equals("type")) {
                params.put(e.getKey(), e.getValue());
            }
        });
        var number = NumberType.byName(type);
        boolean storable = number != null || List.of("text", "keyword", "boolean", "date").contains(type);
        boolean store = storable && storeParam(name, params.remove("store"));
        FieldMapping mapping = switch (type) {
            case "text" -> {
                var analyzer = analyzerParam(params.remove("analyzer"));
                var searchAnalyzer = Optional.ofNullable(params.remove("search_analyzer")).map(Mappings::analyzerParam);
                if (searchAnalyzer.isPresent() && analyzer == null) {
                    analyzer = "standard";
                }
                yield new FieldMapping.Text(analyzer == null ? "standard" : analyzer, searchAnalyzer, subFields(params, name, path),
                        store);
            }
            case "keyword" -> {
                var ignoreAbove = Optional.ofNullable(params.remove("ignore_above")).map(JsonNode::asInt);
                var normalizer = params.remove("normalizer");
                if (normalizer != null && !normalizer.isNull()) {
                    throw EngineException.mapperParsing("normalizer [" + normalizer.asString() + "] not found for field [" + name + "]");
                }
                params.remove("null_value");
                yield new FieldMapping.Keyword(ignoreAbove, subFields(params, name, path), store);
            }
            case "boolean" -> new FieldMapping.Bool(subFields(params, name, path), store);
            case "date" -> {
                var format = params.remove("format");
                var text = format == null ? DateFormats.DEFAULT : format.asString();
                try {
                    DateFormats.validate(text);
                } catch (IllegalArgumentException e) {
                    throw EngineException.mapperParsing("Error parsing [format] on field [" + name + "]: " + e.getMessage());
                }
                yield new FieldMapping.Date(text, subFields(params, name, path), store);
            }
            case "rank_feature" -> new FieldMapping.RankFeature(positiveImpact(params.remove("positive_score_impact")));
            case "rank_features" -> new FieldMapping.RankFeatures(positiveImpact(params.remove("positive_score_impact")));
            case "dense_vector" -> denseVector(name, params);
            case "object" -> {
                var props = params.remove("properties");
                params.remove("dynamic");
                params.remove("enabled");
                yield new FieldMapping.ObjectMapping(props == null ? Map.of() : parseProperties(props, path + ".", aliases));
            }
            default -> {
                if (number == null) {
                    throw EngineException.mapperParsing("No handler for type [" + type + "] declared on field [" + name + "]");
                }
                params.remove("scaling_factor");
                yield new FieldMapping.Numeric(number, subFields(params, name, path), store);
            }
        };
        for (var key : params.keySet()) {
            if (!ACCEPTED_PARAMETERS.contains(key)) {
                throw EngineException.mapperParsing("unknown parameter [" + key + "] on mapper [" + name + "] of type [" + type + "]");
            }
        }
        return mapping;
    }

    /** The {@code store} parameter: a boolean, or its string form, as Elasticsearch's boolean parameters read. */
    private static boolean storeParam(String name, JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString() && (node.stringValue().equals("true") || node.stringValue().equals("false"))) {
            return Boolean.parseBoolean(node.stringValue());
        }
        throw EngineException.mapperParsing("Failed to parse value [" + scalar(node) + "] as only [true] or [false] are allowed.");
    }

    private static FieldMapping.DenseVector denseVector(String name, Map<String, JsonNode> params) {
        var dimsNode = params.remove("dims");
        if (dimsNode == null || dimsNode.isNull()) {
            // Elasticsearch would take the dimensions from the first document; rankql needs them up front.
            throw EngineException.mapperParsing("Missing required parameter [dims] for field [" + name + "] of type [dense_vector]");
        }
        if (!dimsNode.isIntegralNumber()) {
            throw EngineException.mapperParsing("Property [dims] on field [" + name + "] must be an integer but got [" + scalar(dimsNode) + "]");
        }
        var elementType = params.remove("element_type");
        if (elementType != null && !elementType.asString().equals("float")) {
            throw EngineException.mapperParsing("rankql supports only [element_type: float] on field [" + name + "], got ["
                    + scalar(elementType) + "]");
        }
        var similarityNode = params.remove("similarity");
        var similarity = VectorSimilarity.COSINE;
        if (similarityNode != null && !similarityNode.isNull()) {
            similarity = VectorSimilarity.byName(similarityNode.asString()).orElseThrow(() -> EngineException.mapperParsing(
                    "Unknown value [" + scalar(similarityNode) + "] for field [similarity] - accepted values are [l2_norm, dot_product, cosine, max_inner_product]"));
        }
        var indexNode = params.remove("index");
        boolean indexed = indexNode == null || indexNode.asBoolean();
        Optional<VectorIndexOptions> options = Optional.empty();
        var optionsNode = params.remove("index_options");
        if (optionsNode != null && !optionsNode.isNull()) {
            if (!indexed) {
                throw EngineException.mapperParsing("Field [index_options] can only be specified for a field of type [dense_vector] when it is indexed");
            }
            options = Optional.of(indexOptions(optionsNode));
        }
        try {
            return new FieldMapping.DenseVector(dimsNode.asInt(), similarity, indexed, options);
        } catch (IllegalArgumentException e) {
            throw EngineException.mapperParsing(e.getMessage());
        }
    }

    private static String scalar(JsonNode node) {
        return node.isString() ? node.asString() : node.toString();
    }

    private static VectorIndexOptions indexOptions(JsonNode node) {
        if (!node.isObject()) {
            throw EngineException.mapperParsing("Expected map for property [index_options] but got " + Json.tokenName(node));
        }
        var typeNode = node.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw EngineException.mapperParsing("[index_options] requires field [type] to be configured");
        }
        VectorIndexOptions.Type type = null;
        for (var t : VectorIndexOptions.Type.values()) {
            if (t.esName().equals(typeNode.asString())) {
                type = t;
            }
        }
        if (type == null) {
            throw EngineException.mapperParsing("Unsupported index options type [" + typeNode.asString()
                    + "]; rankql supports [hnsw, int8_hnsw]");
        }
        int m = VectorIndexOptions.DEFAULT_M;
        int ef = VectorIndexOptions.DEFAULT_EF_CONSTRUCTION;
        for (var entry : node.properties()) {
            switch (entry.getKey()) {
                case "type" -> {
                    // Read above.
                }
                case "m" -> m = entry.getValue().asInt();
                case "ef_construction" -> ef = entry.getValue().asInt();
                case "confidence_interval", "rescore_vector" -> {
                    // Quantization tuning Elasticsearch accepts; Lucene's format chooses its own.
                }
                default -> throw EngineException.mapperParsing("Mapping definition for [index_options] has unsupported parameters: ["
                        + entry.getKey() + " : " + entry.getValue() + "]");
            }
        }
        try {
            return new VectorIndexOptions(type, m, ef);
        } catch (IllegalArgumentException e) {
            throw EngineException.mapperParsing(e.getMessage());
        }
    }

    private static boolean positiveImpact(JsonNode node) {
        return node == null || node.asBoolean();
    }

    private static String analyzerParam(JsonNode node) {
        if (node == null) {
            return null;
        }
        var name = node.asString();
        if (!Analyzers.exists(name)) {
            throw EngineException.mapperParsing("analyzer [" + name + "] has not been configured in mappings");
        }
        return name;
    }

    private static Map<String, FieldMapping> subFields(Map<String, JsonNode> params, String name, String path) {
        var fields = params.remove("fields");
        if (fields == null) {
            return Map.of();
        }
        if (!fields.isObject()) {
            throw EngineException.mapperParsing("Expected map for property [fields] on field [" + name + "] but got a class " + nodeClass(fields));
        }
        var result = new LinkedHashMap<String, FieldMapping>();
        for (var entry : fields.properties()) {
            if (isAlias(entry.getValue())) {
                throw EngineException.mapperParsing("Type [alias] cannot be used in multi field");
            }
            var sub = parseField(entry.getKey(), path + "." + entry.getKey(), entry.getValue(), Map.of());
            if (sub instanceof FieldMapping.ObjectMapping) {
                throw EngineException.mapperParsing("Type [object] cannot be used in multi field");
            }
            result.put(entry.getKey(), sub);
        }
        return result;
    }

    /** Every field by its full path, sub-fields and object children included. */
    public Map<String, FieldMapping> flatten() {
        var result = new TreeMap<String, FieldMapping>();
        flatten(properties, "", result);
        return Collections.unmodifiableMap(result);
    }

    private static void flatten(Map<String, FieldMapping> props, String prefix, Map<String, FieldMapping> out) {
        props.forEach((name, mapping) -> {
            var path = prefix + name;
            out.put(path, mapping);
            if (mapping instanceof FieldMapping.ObjectMapping obj) {
                flatten(obj.properties(), path + ".", out);
            }
            flatten(mapping.fields(), path + ".", out);
        });
    }

    /** These mappings with {@code mapping} added at the dotted {@code path}, creating parent objects. */
    public Mappings with(String path, FieldMapping mapping) {
        return new Mappings(insert(properties, List.of(path.split("\\.", -1)), mapping), dynamic, dateDetection, aliases);
    }

    private static Map<String, FieldMapping> insert(Map<String, FieldMapping> props, List<String> path, FieldMapping mapping) {
        var copy = new LinkedHashMap<>(props);
        var head = path.get(0);
        if (path.size() == 1) {
            copy.put(head, mapping);
            return copy;
        }
        var existing = copy.get(head);
        var children = existing instanceof FieldMapping.ObjectMapping obj ? obj.properties() : Map.<String, FieldMapping>of();
        copy.put(head, new FieldMapping.ObjectMapping(insert(children, path.subList(1, path.size()), mapping)));
        return copy;
    }

    /** The mappings as Elasticsearch renders them: {@code {"dynamic": ..., "properties": {...}}}, names sorted. */
    public ObjectNode toJson() {
        var node = Json.object();
        if (dynamic != Dynamic.TRUE) {
            node.put("dynamic", dynamic.text());
        }
        if (!dateDetection) {
            node.put("date_detection", false);
        }
        var props = propertiesJson(properties, "");
        if (!props.isEmpty()) {
            node.set("properties", props);
        }
        return node;
    }

    /** The {@code properties} of the object at {@code prefix} ("" for the root), its aliases included, names sorted. */
    private ObjectNode propertiesJson(Map<String, FieldMapping> props, String prefix) {
        var sorted = new TreeMap<String, ObjectNode>();
        props.forEach((name, mapping) -> sorted.put(name, fieldJson(mapping, prefix + name + ".")));
        aliases.forEach((alias, path) -> {
            if (alias.startsWith(prefix) && alias.indexOf('.', prefix.length()) < 0) {
                var node = Json.object();
                node.put("type", "alias");
                node.put("path", path);
                sorted.put(alias.substring(prefix.length()), node);
            }
        });
        var node = Json.object();
        sorted.forEach(node::set);
        return node;
    }

    private ObjectNode subFieldsJson(Map<String, FieldMapping> fields) {
        // Sub-fields are never objects, so no alias can sit under them.
        var node = Json.object();
        new TreeMap<>(fields).forEach((name, mapping) -> node.set(name, fieldJson(mapping, "")));
        return node;
    }

    private ObjectNode fieldJson(FieldMapping mapping, String prefix) {
        var node = Json.object();
        switch (mapping) {
            case FieldMapping.Text t -> {
                node.put("type", "text");
                if (!t.analyzer().equals("standard") || t.searchAnalyzer().isPresent()) {
                    node.put("analyzer", t.analyzer());
                }
                t.searchAnalyzer().ifPresent(a -> node.put("search_analyzer", a));
            }
            case FieldMapping.Keyword k -> {
                node.put("type", "keyword");
                k.ignoreAbove().ifPresent(i -> node.put("ignore_above", i));
            }
            case FieldMapping.Numeric n -> node.put("type", n.typeName());
            case FieldMapping.Bool b -> node.put("type", "boolean");
            case FieldMapping.Date d -> {
                node.put("type", "date");
                if (!d.format().equals(DateFormats.DEFAULT)) {
                    node.put("format", d.format());
                }
            }
            case FieldMapping.RankFeature r -> {
                node.put("type", "rank_feature");
                if (!r.positiveScoreImpact()) {
                    node.put("positive_score_impact", false);
                }
            }
            case FieldMapping.RankFeatures r -> {
                node.put("type", "rank_features");
                if (!r.positiveScoreImpact()) {
                    node.put("positive_score_impact", false);
                }
            }
            case FieldMapping.DenseVector v -> {
                node.put("type", "dense_vector");
                node.put("dims", v.dims());
                if (!v.indexed()) {
                    node.put("index", false);
                }
                node.put("similarity", v.similarity().esName());
                v.indexOptions().ifPresent(o -> {
                    var options = node.putObject("index_options");
                    options.put("type", o.type().esName());
                    options.put("m", o.m());
                    options.put("ef_construction", o.efConstruction());
                });
            }
            case FieldMapping.ObjectMapping o -> {
                var props = propertiesJson(o.properties(), prefix);
                if (!props.isEmpty()) {
                    node.set("properties", props);
                } else {
                    node.put("type", "object");
                }
            }
        }
        if (mapping.store()) {
            node.put("store", true);
        }
        if (!mapping.fields().isEmpty()) {
            node.set("fields", subFieldsJson(mapping.fields()));
        }
        return node;
    }
}
