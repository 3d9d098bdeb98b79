package dev.rankql.engine.ltr;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import dev.rankql.models.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A deployed model: its id, the loaded model, its LTR configuration (absent for a model deployed with another
 * inference type), and what {@code GET _ml/trained_models} shows. Immutable: a replace publishes a new instance, so a
 * search holding this one finishes on it.
 *
 * @param id the model id
 * @param description the body's description, possibly empty
 * @param createTime epoch milliseconds of the deploy
 * @param format the model file's format name ({@code es} for an Elasticsearch body)
 * @param modelText the model file's text as deployed, kept so that the registry can store and reload it
 * @param model the loaded model, whose columns are {@link #columns()}
 * @param ltr the LTR configuration, or empty for a non-LTR inference config
 * @param inferenceType the name of the inference config ({@code learning_to_rank}, {@code regression}, ...)
 * @param columns the matrix columns: every extractor's feature in list order, then model inputs no extractor
 *     computes (always missing, as in Elasticsearch)
 * @param templates one compiled template per extractor with a query or a terms text (null for the others), in
 *     extractor order
 * @param bindings this deployment's cache of request bindings (cleared when it is replaced or deleted)
 * @param tags the body's {@code tags}, in the order given
 * @param metadata the body's user {@code metadata} object (empty when none), shown with rankql's own {@code rankql}
 *     entry added
 */
public record DeployedModel(
        String id,
        String description,
        long createTime,
        String format,
        String modelText,
        Model model,
        Optional<LtrConfig> ltr,
        String inferenceType,
        List<String> columns,
        List<QueryTemplate> templates,
        FeatureCache bindings,
        List<String> tags,
        ObjectNode metadata) {

    /** The key of {@code metadata} under which {@code GET _ml/trained_models} shows rankql's own model details. */
    public static final String RANKQL_METADATA = "rankql";

    /** A deployment with an empty binding cache, no tags and no user metadata. */
    public DeployedModel(String id, String description, long createTime, String format, String modelText, Model model,
            Optional<LtrConfig> ltr, String inferenceType, List<String> columns, List<QueryTemplate> templates) {
        this(id, description, createTime, format, modelText, model, ltr, inferenceType, columns, templates,
                new FeatureCache());
    }

    /** A deployment with no tags and no user metadata. */
    public DeployedModel(String id, String description, long createTime, String format, String modelText, Model model,
            Optional<LtrConfig> ltr, String inferenceType, List<String> columns, List<QueryTemplate> templates,
            FeatureCache bindings) {
        this(id, description, createTime, format, modelText, model, ltr, inferenceType, columns, templates, bindings,
                List.of(), Json.object());
    }

    public DeployedModel {
        requireNonNull(id, "id");
        requireNonNull(description, "description");
        requireNonNull(format, "format");
        requireNonNull(modelText, "modelText");
        requireNonNull(model, "model");
        requireNonNull(ltr, "ltr");
        requireNonNull(inferenceType, "inferenceType");
        columns = List.copyOf(columns);
        templates = java.util.Collections.unmodifiableList(new ArrayList<>(templates));
        requireNonNull(bindings, "bindings");
        tags = List.copyOf(tags);
        metadata = requireNonNull(metadata, "metadata").deepCopy();
        if (metadata.has(RANKQL_METADATA)) {
            throw new IllegalArgumentException("[metadata." + RANKQL_METADATA + "] is rankql's own entry");
        }
    }

    /** The user metadata, a copy: the deployment stays immutable. */
    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** The inference config as Elasticsearch shows it. */
    public ObjectNode inferenceConfigJson() {
        var node = Json.object();
        if (ltr.isPresent()) {
            var body = node.putObject("learning_to_rank");
            var extractors = body.putArray("feature_extractors");
            ltr.get().extractors().forEach(e -> extractors.add(e.toJson()));
            if (!ltr.get().defaultParams().isEmpty()) {
                body.set("default_params", ltr.get().defaultParamsJson());
            }
            // Elasticsearch always writes it, and its typed clients require it; rankql computes no feature importance.
            body.put("num_top_feature_importance_values", 0);
        } else {
            node.putObject(inferenceType);
        }
        return node;
    }

    /** This model as one entry of {@code GET _ml/trained_models}'s {@code trained_model_configs}. */
    public ObjectNode toJson() {
        var node = Json.object();
        node.put("model_id", id);
        node.put("model_type", "tree_ensemble");
        node.put("created_by", "api_user");
        node.put("version", "12.0.0");
        node.put("create_time", createTime);
        node.put("model_size_bytes", modelText.length());
        node.put("estimated_operations", 0);
        node.put("license_level", "platinum");
        if (!description.isEmpty()) {
            node.put("description", description);
        }
        var tagArray = node.putArray("tags");
        tags.forEach(tagArray::add);
        node.putObject("input").putArray("field_names");
        node.set("inference_config", inferenceConfigJson());
        var userMetadata = metadata.deepCopy();
        node.set("metadata", userMetadata);
        var rankql = userMetadata.putObject(RANKQL_METADATA);
        rankql.put("format", format);
        rankql.put("model_class", model.getClass().getSimpleName());
        var inputs = rankql.putArray("model_features");
        model.featureNames().forEach(inputs::add);
        node.putObject("location").putObject("index").put("name", ".ml-inference-native-000002");
        return node;
    }

    /**
     * The LTR part of a deployment: its extractors and default params.
     *
     * @param extractors the feature extractors, in list order
     * @param defaultParams the {@code default_params}, as plain Java values
     */
    public record LtrConfig(List<FeatureExtractor> extractors, Map<String, Object> defaultParams) {
        public LtrConfig {
            extractors = List.copyOf(extractors);
            defaultParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defaultParams));
        }

        /** The default params as a JSON object. */
        public JsonNode defaultParamsJson() {
            return Json.MAPPER.valueToTree(defaultParams);
        }
    }
}
