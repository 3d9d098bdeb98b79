package dev.rankql.models.formats;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Entry point for tools: list the formats, load a model by format name or by detection, convert it. */
public final class Models {

    private Models() {}

    /** Every format rankql reads, in the order {@code rankql model formats} lists them. */
    public static List<ModelFormat> formats() {
        return List.of(ModelFormat.values());
    }

    /** Loads a model file in the named format ({@code auto} detects it). */
    public static Model load(String format, Path file, LoadOptions options) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot read the model file: " + e.getMessage(), e);
        }
        return load(format, text, options);
    }

    /** Loads a model from its text in the named format ({@code auto} detects it). */
    public static Model load(String format, String text, LoadOptions options) {
        if (format.equalsIgnoreCase("auto")) {
            Json root = parseForDetection(text);
            ModelFormat detected = detect(text, root);
            // The tree read for detection is the one the XGBoost reader wants; the other formats read the text again.
            return detected == ModelFormat.XGBOOST ? XgboostFormat.read(root, options) : detected.read(text, options);
        }
        ModelFormat resolved = ModelFormat.byName(format).orElseThrow(() -> new ModelException("",
                "unknown model format [" + format + "]: expected one of " + Arrays.stream(ModelFormat.values())
                        .map(ModelFormat::formatName)
                        .collect(Collectors.joining(", "))));
        return resolved.read(text, options);
    }

    /** Tells the format of a model file from its shape, or fails when it is ambiguous. */
    public static ModelFormat detect(String text) {
        return detect(text, parseForDetection(text));
    }

    /** The JSON tree of a model file that is not in one of the text formats, or null. */
    private static Json parseForDetection(String text) {
        return textFormat(text) != null ? null : Json.parseTrees(text);
    }

    private static ModelFormat textFormat(String text) {
        if (LightGbmFormat.looksLike(text)) {
            return ModelFormat.LIGHTGBM;
        }
        if (RankLibFormat.looksLike(text)) {
            return ModelFormat.RANKLIB;
        }
        return null;
    }

    private static ModelFormat detect(String text, Json root) {
        if (root == null) {
            return textFormat(text);
        }
        if (root.isArray()) {
            return ModelFormat.XGBOOST_DUMP;
        }
        if (root.isObject()) {
            if (root.has("learner")) {
                return ModelFormat.XGBOOST;
            }
            if (root.has("tree_info") && root.has("max_feature_idx")) {
                return ModelFormat.LIGHTGBM_JSON;
            }
            if (root.has("class") && root.has("params") && root.has("features")) {
                return ModelFormat.SOLR;
            }
            if (root.has("splits")) {
                return ModelFormat.XGBOOST_DUMP;
            }
            if (root.has("definition") && root.field("definition").isObject()
                    || root.has("trained_model") || root.has("ensemble") || root.has("tree")) {
                if (!root.has("type")) {
                    return ModelFormat.ES;
                }
            }
            Json stored = root;
            for (int depth = 0; depth < 2 && stored.has("model") && stored.field("model").isObject(); depth++) {
                stored = stored.field("model");
            }
            if (stored.has("type") && stored.field("type").isString()) {
                String type = stored.field("type").string();
                if (type.equals("model/xgboost+json+raw")) {
                    return ModelFormat.XGBOOST;
                }
                if (type.equals("model/linear")) {
                    return ModelFormat.LINEAR;
                }
                if (type.equals("model/xgboost+json")) {
                    return ModelFormat.XGBOOST_DUMP;
                }
            }
        }
        throw root.error("cannot tell the model format; give it with --format");
    }

    /**
     * Writes a tree model as the body of an Elasticsearch {@code PUT _ml/trained_models/<id>} request.
     *
     * @param description the body's {@code description}
     */
    public static String toElasticsearch(Model model, String description) {
        return EsWriter.write(model, description);
    }
}
