package dev.rankql.engine.ltr;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.formats.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The deployed models of a data directory: Elasticsearch's {@code _ml/trained_models} API (put, get, delete) over
 * one JSON file per model, each written atomically, with rankql's explicit replace.
 *
 * <p>Lookups are lock-free reads of an immutable {@link DeployedModel}; writes are serialised. A replace publishes the
 * new model in one step, so a search that already holds the old one finishes on it.
 */
public final class ModelRegistry {

    /** The folder of the data directory that holds the models; index names cannot start with {@code _}. */
    public static final String FOLDER = "_models";

    private static final Pattern VALID_ID = Pattern.compile("[a-z0-9](?:[a-z0-9_\\-.]*[a-z0-9])?");
    private static final int MAX_ID_LENGTH = 64;
    private static final Set<String> BODY_FIELDS = Set.of("model_id", "description", "inference_config", "definition",
            "input", "tags", "metadata", "model_type", "estimated_operations", "estimated_heap_memory_usage_bytes",
            "model_size_bytes", "platform_architecture", "prefix_strings", "location", "license_level",
            "compressed_definition");

    private final Path folder;
    private final Map<String, DeployedModel> models = new ConcurrentHashMap<>();
    private final Object writes = new Object();
    /** Set while {@link #open} restores the stored models, whose text embedders need not be on the class path. */
    private boolean restoring;

    private ModelRegistry(Path folder) {
        this.folder = folder;
    }

    /** Opens the models stored under {@code dataDir}, creating nothing until the first put. */
    public static ModelRegistry open(Path dataDir) throws IOException {
        var registry = new ModelRegistry(dataDir.resolve(FOLDER));
        if (!Files.isDirectory(registry.folder)) {
            return registry;
        }
        registry.restoring = true;
        try (var files = Files.list(registry.folder)) {
            for (var file : files.sorted().toList()) {
                var name = file.getFileName().toString();
                if (!name.endsWith(".json")) {
                    // A leftover temporary file of an interrupted write: the previous version is still whole.
                    continue;
                }
                var stored = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
                var tags = new ArrayList<String>();
                stored.path("tags").forEach(tag -> tags.add(tag.asString()));
                var metadata = stored.path("metadata").isObject() ? (ObjectNode) stored.get("metadata") : Json.object();
                var model = registry.build(stored.get("model_id").asString(), textOf(stored, "description"),
                        stored.get("create_time").asLong(), stored.get("format").asString(), stored.get("model").asString(),
                        stored.get("inference_config"), tags, metadata);
                registry.models.put(model.id(), model);
            }
        } catch (JacksonException | EngineException | NullPointerException e) {
            throw new IOException("cannot restore the models in [" + registry.folder + "]: " + e.getMessage(), e);
        } finally {
            registry.restoring = false;
        }
        return registry;
    }

    /** The model {@code id}, if deployed. */
    public Optional<DeployedModel> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** The model {@code id}, else Elasticsearch's 404. */
    public DeployedModel require(String id) {
        var model = models.get(id);
        if (model == null) {
            throw notFound(id);
        }
        return model;
    }

    /** Elasticsearch's error for an unknown model id. */
    public static EngineException notFound(String id) {
        return new EngineException("resource_not_found_exception", "Could not find trained model [" + id + "]", 404);
    }

    /**
     * {@code PUT _ml/trained_models/<id>} with an Elasticsearch body ({@code inference_config}, {@code definition});
     * with {@code replace} an existing model is swapped instead of refused.
     */
    public ObjectNode putElasticsearch(String id, String bodyJson, boolean replace) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bodyJson);
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse trained model body: " + e.getOriginalMessage());
        }
        return putElasticsearch(id, body, replace);
    }

    /** {@link #putElasticsearch(String, String, boolean)} with a parsed body. */
    public ObjectNode putElasticsearch(String id, JsonNode body, boolean replace) {
        validateId(id);
        if (body == null || !body.isObject()) {
            throw EngineException.parsing("request body is required to be an object");
        }
        for (var key : body.propertyNames()) {
            if (!BODY_FIELDS.contains(key)) {
                throw new EngineException("x_content_parse_exception", "[trained_model_config] unknown field [" + key + "]", 400);
            }
        }
        if (body.has("model_id") && !body.get("model_id").asString("").equals(id)) {
            throw validation("Inconsistent model_id; '" + body.get("model_id").asString("") + "' specified in the body "
                    + "differs from '" + id + "' specified as a URL argument");
        }
        var tags = tags(body.get("tags"));
        var metadata = userMetadata(body.get("metadata"));
        validateTagsAndMetadata(id, tags, metadata);
        var config = body.get("inference_config");
        if (config == null || !config.isObject() || config.size() != 1) {
            throw validation("[inference_config] must be an object with exactly one inference type, such as "
                    + "[learning_to_rank]");
        }
        var type = config.propertyNames().iterator().next();
        var input = body.get("input");
        if (type.equals("learning_to_rank") && input != null && input.has("field_names")
                && input.get("field_names").size() > 0) {
            throw validation("cannot specify [input.field_names] for a model of type [learning_to_rank]");
        }
        var definition = body.get("definition");
        if (definition == null || !definition.isObject()) {
            throw validation("[definition] must be provided: rankql stores models with their definition");
        }
        try {
            EsTreeValidation.validate(definition);
        } catch (EngineException e) {
            throw new EngineException("status_exception", "Definition for [" + id + "] has validation failures.", 400,
                    Map.of(), Optional.of(e));
        }
        var target = EsTreeValidation.targetType(definition);
        if ((type.equals("learning_to_rank") || type.equals("regression")) && !target.equals("regression")) {
            throw new EngineException("status_exception", "Model [" + id + "] inference config type [" + type
                    + "] does not support definition target type [" + target + "]", 400);
        }
        var definitionOnly = Json.object();
        definitionOnly.set("definition", definition);
        var model = build(id, textOf(body, "description"), System.currentTimeMillis(), "es", Json.write(definitionOnly),
                config, tags, metadata);
        return store(model, replace);
    }

    /**
     * Deploys a model file of any format ({@code format} may be {@code auto}) with a feature set: a JSON list of
     * extractors, or an object with {@code feature_extractors} and {@code default_params}. The model's inputs are
     * matched to the extractors by name; a model input without an extractor is refused.
     */
    public ObjectNode putWithFeatures(String id, String format, String modelText, String featureSetJson,
            String description, boolean replace) {
        validateId(id);
        var config = featureSetConfig(featureSetJson);
        var ltr = config.get("learning_to_rank");
        String resolved;
        try {
            resolved = format.equalsIgnoreCase("auto") ? Models.detect(modelText).formatName() : format;
        } catch (ModelException e) {
            throw EngineException.illegalArgument("cannot read the model: " + e.getMessage());
        }
        // Unlike an Elasticsearch body, a feature set must name every model input: check before building.
        var names = FeatureExtractor.parseList(ltr.get("feature_extractors"), "feature_extractors").stream()
                .map(FeatureExtractor::featureName).toList();
        try {
            Models.load(resolved, modelText, LoadOptions.withFeatures(names));
        } catch (ModelException e) {
            throw EngineException.illegalArgument("the model's inputs do not match the feature set " + names + ": "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
        var model = build(id, description == null ? "" : description, System.currentTimeMillis(), resolved, modelText,
                config, List.of(), Json.object());
        return store(model, replace);
    }

    /** A feature set as an inference config: a list of extractors, or {@code feature_extractors} + {@code default_params}. */
    private static ObjectNode featureSetConfig(String featureSetJson) {
        JsonNode featureSet;
        try {
            featureSet = Json.MAPPER.readTree(featureSetJson);
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse the feature set: " + e.getOriginalMessage());
        }
        var config = Json.object();
        var ltr = config.putObject("learning_to_rank");
        if (featureSet.isArray()) {
            ltr.set("feature_extractors", featureSet);
        } else if (featureSet.isObject() && featureSet.has("feature_extractors")) {
            for (var key : featureSet.propertyNames()) {
                if (!key.equals("feature_extractors") && !key.equals("default_params")) {
                    throw EngineException.parsing("[feature set] unknown field [" + key + "]");
                }
            }
            featureSet.properties().forEach(e -> ltr.set(e.getKey(), e.getValue()));
        } else {
            throw EngineException.parsing("a feature set is a JSON list of extractors, or an object with "
                    + "[feature_extractors] and [default_params]");
        }
        return config;
    }

    /**
     * A feature set without a model, for feature logging: its extractors bound to a linear model that scores 0.
     * Nothing is stored or registered.
     */
    public DeployedModel featureSetOnly(String featureSetJson) {
        return build("_feature_set", "", System.currentTimeMillis(), "linear",
                "{\"type\": \"model/linear\", \"definition\": {}}", featureSetConfig(featureSetJson), List.of(), Json.object());
    }

    /**
     * {@code GET _ml/trained_models/<ids>}: {@code ids} is null, empty, {@code _all}, {@code *}, or a comma list of
     * ids and wildcard patterns; an id that matches nothing is Elasticsearch's 404.
     */
    public ObjectNode get(String ids) {
        return get(ids, List.of());
    }

    /**
     * {@link #get(String)} keeping only the models that carry every tag of {@code tags} (Elasticsearch's {@code tags}
     * URL parameter); an explicit id whose model lacks one is not found, as an id that matches nothing.
     */
    public ObjectNode get(String ids, List<String> tags) {
        var sorted = new TreeMap<String, DeployedModel>();
        models.forEach((id, model) -> {
            if (model.tags().containsAll(tags)) {
                sorted.put(id, model);
            }
        });
        var selected = new LinkedHashMap<String, DeployedModel>();
        if (ids == null || ids.isBlank() || ids.equals("_all") || ids.equals("*")) {
            selected.putAll(sorted);
        } else {
            for (var part : ids.split(",")) {
                var pattern = part.trim();
                if (pattern.contains("*")) {
                    var regex = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
                    sorted.forEach((k, v) -> {
                        if (regex.matcher(k).matches()) {
                            selected.put(k, v);
                        }
                    });
                } else {
                    var model = sorted.get(pattern);
                    if (model == null) {
                        throw notFound(pattern);
                    }
                    selected.put(pattern, model);
                }
            }
        }
        var response = Json.object();
        response.put("count", selected.size());
        var array = response.putArray("trained_model_configs");
        selected.values().forEach(m -> array.add(m.toJson()));
        return response;
    }

    /** {@code DELETE _ml/trained_models/<id>}. */
    public ObjectNode delete(String id) {
        synchronized (writes) {
            if (!models.containsKey(id)) {
                throw notFound(id);
            }
            try {
                Files.deleteIfExists(fileOf(id));
                fsyncFolder();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete model [" + id + "]", e);
            }
            var removed = models.remove(id);
            if (removed != null) {
                removed.bindings().clear();
            }
        }
        var response = Json.object();
        response.put("acknowledged", true);
        return response;
    }

    /** The ids of every deployed model, sorted. */
    public List<String> ids() {
        return new ArrayList<>(new TreeMap<>(models).keySet());
    }

    private ObjectNode store(DeployedModel model, boolean replace) {
        synchronized (writes) {
            checkTagsAgainstIds(model);
            if (!replace && models.containsKey(model.id())) {
                throw new EngineException("resource_already_exists_exception",
                        "Trained machine learning model [" + model.id() + "] already exists", 400);
            }
            var stored = Json.object();
            stored.put("model_id", model.id());
            stored.put("description", model.description());
            stored.put("create_time", model.createTime());
            stored.put("format", model.format());
            stored.set("inference_config", model.inferenceConfigJson());
            stored.put("model", model.modelText());
            var storedTags = stored.putArray("tags");
            model.tags().forEach(storedTags::add);
            stored.set("metadata", model.metadata());
            try {
                if (!Files.isDirectory(folder)) {
                    Files.createDirectories(folder);
                    // The new folder's entry in the data directory must be durable before the model is acknowledged.
                    fsync(folder.getParent());
                }
                var target = fileOf(model.id());
                var temp = folder.resolve(model.id() + ".json.tmp");
                try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    var bytes = java.nio.ByteBuffer.wrap(Json.write(stored).getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(true);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                fsyncFolder();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store model [" + model.id() + "]", e);
            }
            var previous = models.put(model.id(), model);
            if (previous != null) {
                // Searches in flight keep their bindings; new ones bind the new model, so the old cache is only memory.
                previous.bindings().clear();
            }
        }
        return model.toJson();
    }

    private void fsyncFolder() {
        fsync(folder);
    }

    private static void fsync(Path directory) {
        try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for syncing; the rename is still atomic there.
        }
    }

    private Path fileOf(String id) {
        validateId(id);
        return folder.resolve(id + ".json");
    }

    /** Builds a deployment from its stored parts; every check of a put happens here, so a reload repeats them. */
    private DeployedModel build(String id, String description, long createTime, String format, String modelText,
            JsonNode inferenceConfig, List<String> tags, ObjectNode metadata) {
        var type = inferenceConfig.propertyNames().iterator().next();
        try {
            if (!type.equals("learning_to_rank")) {
                var model = Models.load(format, modelText, LoadOptions.DEFAULTS);
                return new DeployedModel(id, description, createTime, format, modelText, model, Optional.empty(), type,
                        model.featureNames(), List.of(), new FeatureCache(), tags, metadata);
            }
            var body = inferenceConfig.get(type);
            if (!body.isObject()) {
                throw EngineException.parsing("[learning_to_rank] must be an object");
            }
            for (var key : body.propertyNames()) {
                if (!Set.of("feature_extractors", "default_params", "num_top_feature_importance_values").contains(key)) {
                    throw new EngineException("x_content_parse_exception", "[learning_to_rank] unknown field [" + key + "]",
                            400);
                }
            }
            var extractors = FeatureExtractor.parseList(body.get("feature_extractors"), "feature_extractors");
            Map<String, Object> defaults = new LinkedHashMap<>();
            var defaultParams = body.get("default_params");
            if (defaultParams != null && !defaultParams.isNull()) {
                if (!defaultParams.isObject()) {
                    throw EngineException.parsing("[default_params] must be an object");
                }
                defaults = Params.toJava(defaultParams);
            }
            var columns = new ArrayList<String>();
            extractors.forEach(e -> columns.add(e.featureName()));
            Model model;
            if (format.equals("es")) {
                // Elasticsearch reads a model input no extractor computes as missing; give it an always-NaN column.
                var declared = Models.load(format, modelText, LoadOptions.DEFAULTS);
                for (var name : declared.featureNames()) {
                    if (!columns.contains(name)) {
                        columns.add(name);
                    }
                }
            }
            try {
                model = Models.load(format, modelText, LoadOptions.withFeatures(columns));
            } catch (ModelException e) {
                throw EngineException.illegalArgument("the model's inputs do not match the feature set "
                        + extractors.stream().map(FeatureExtractor::featureName).toList() + ": " + e.getMessage());
            }
            var templates = new ArrayList<QueryTemplate>();
            for (int i = 0; i < extractors.size(); i++) {
                var extractor = extractors.get(i);
                JsonNode query = switch (extractor) {
                    case FeatureExtractor.QueryExtractor q -> q.query();
                    case FeatureExtractor.FilterExtractor f -> f.query();
                    case FeatureExtractor.TermStats t -> t.terms();
                    case FeatureExtractor.Proximity p -> p.terms();
                    case FeatureExtractor.Feedback f -> f.terms();
                    case FeatureExtractor.FieldValue f -> null;
                    case FeatureExtractor.OriginalScore o -> null;
                    case FeatureExtractor.ParamValue p -> null;
                    case FeatureExtractor.FieldLength f -> null;
                    case FeatureExtractor.VectorSimilarity v -> switch (v.queryVector()) {
                        case FeatureExtractor.GivenVector g -> null;
                        case FeatureExtractor.TextEmbedding t -> {
                            // A stored model is restored even when its embedder is gone from the class path (a
                            // program on the engine alone opening the command line's data): its searches then fail
                            // with the same message, and the other models keep working.
                            if (!restoring) {
                                t.checkEmbedder(v.featureName());
                            }
                            yield t.modelText();
                        }
                    };
                    case FeatureExtractor.WindowStat w -> null;
                };
                if (query == null) {
                    templates.add(null);
                    continue;
                }
                boolean isQuery = query.isObject();
                var where = "feature_extractors[" + i + "]." + extractor.type() + (isQuery ? ".query"
                        : extractor instanceof FeatureExtractor.VectorSimilarity
                                ? ".query_vector_builder.text_embedding.model_text" : ".terms");
                var template = QueryTemplate.compile(query, where);
                if (isQuery && !template.isTemplate()) {
                    try {
                        EsJson.parseQuery(query, "$." + where);
                    } catch (InvalidRequestException e) {
                        throw EngineException.parsing("[" + where + "] is not a valid query: " + e.getMessage());
                    }
                }
                templates.add(template);
            }
            return new DeployedModel(id, description, createTime, format, modelText, model,
                    Optional.of(new DeployedModel.LtrConfig(extractors, defaults)), type, columns, templates,
                    new FeatureCache(), tags, metadata);
        } catch (ModelException e) {
            throw EngineException.illegalArgument("cannot read the model: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
    }

    /** The body's {@code tags}: a list of strings, or none. */
    private static List<String> tags(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        var tags = new ArrayList<String>();
        if (node.isArray()) {
            for (var tag : node) {
                if (!tag.isString()) {
                    tags = null;
                    break;
                }
                tags.add(tag.asString());
            }
        }
        if (tags == null || !node.isArray()) {
            throw new EngineException("x_content_parse_exception",
                    "[trained_model_config] failed to parse field [tags]: expected a list of strings", 400);
        }
        return tags;
    }

    /** The body's user {@code metadata}: an object, or none. */
    private static ObjectNode userMetadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw new EngineException("x_content_parse_exception",
                    "[trained_model_config] failed to parse field [metadata]: expected an object", 400);
        }
        return (ObjectNode) node.deepCopy();
    }

    /**
     * Elasticsearch's checks of a new model's {@code tags} and {@code metadata}, all reported in one validation error:
     * tags are ids (lowercase alphanumerics, hyphens, underscores and dots, at most 64 characters), none equals the
     * model id, and the metadata entries Elasticsearch computes itself may not be set. rankql also keeps
     * {@code metadata.rankql} for its own details of the model.
     */
    private static void validateTagsAndMetadata(String id, List<String> tags, ObjectNode metadata) {
        var problems = new ArrayList<String>();
        var bad = tags.stream().filter(tag -> !VALID_ID.matcher(tag).matches() || tag.length() > MAX_ID_LENGTH).toList();
        if (!bad.isEmpty()) {
            problems.add("Invalid tags " + bad + "; must only can contain lowercase alphanumeric (a-z and 0-9), hyphens or "
                    + "underscores, must start and end with alphanumeric, and must be less than " + MAX_ID_LENGTH
                    + " characters.");
        }
        if (tags.contains(id)) {
            problems.add("none of the tags must equal the model_id");
        }
        for (var computed : List.of("total_feature_importance", "model_aliases")) {
            if (metadata.has(computed)) {
                problems.add("illegal to set [metadata." + computed + "] at inference model creation");
            }
        }
        if (metadata.has(DeployedModel.RANKQL_METADATA)) {
            problems.add("illegal to set [metadata." + DeployedModel.RANKQL_METADATA
                    + "] at inference model creation: rankql shows its own details of the model there");
        }
        if (problems.isEmpty()) {
            return;
        }
        var reason = new StringBuilder("Validation Failed: ");
        for (int i = 0; i < problems.size(); i++) {
            reason.append(i + 1).append(": ").append(problems.get(i)).append(';');
        }
        throw new EngineException("action_request_validation_exception", reason.toString(), 400);
    }

    /**
     * Elasticsearch's put-time checks that tags and model ids stay apart, so that one name never means both: a new
     * model's id may not be another model's tag, nor its tags another model's id.
     */
    private void checkTagsAgainstIds(DeployedModel model) {
        var others = models.values().stream().filter(m -> !m.id().equals(model.id())).toList();
        if (others.stream().anyMatch(m -> m.tags().contains(model.id()))) {
            throw new EngineException("status_exception",
                    "The provided model_id " + model.id() + " must not match existing tags.", 400);
        }
        if (model.tags().stream().anyMatch(tag -> others.stream().anyMatch(m -> m.id().equals(tag)))) {
            throw new EngineException("status_exception",
                    "The provided tags " + model.tags() + " must not match existing model_ids.", 400);
        }
    }

    private static void validateId(String id) {
        if (id == null || !VALID_ID.matcher(id).matches()) {
            throw validation("Invalid model_id; '" + id + "' can contain lowercase alphanumeric (a-z and 0-9), hyphens "
                    + "or underscores; must start and end with alphanumeric");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw validation("Invalid model_id; '" + id + "' cannot contain more than " + MAX_ID_LENGTH + " characters.");
        }
    }

    private static EngineException validation(String message) {
        return new EngineException("action_request_validation_exception", "Validation Failed: 1: " + message + ";", 400);
    }

    private static String textOf(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }
}
