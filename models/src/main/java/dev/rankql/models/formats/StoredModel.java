package dev.rankql.models.formats;

import dev.rankql.models.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Unwraps the o19s/OpenSearch stored-model envelope {@code {"model": {"model": {"type", "definition",
 * "feature_normalizers"}}}}.
 *
 * @param definition the model definition (parsed when the envelope holds it as a JSON string)
 * @param normalizers the envelope's feature normalizers, in the order written
 */
record StoredModel(Json definition, List<Normalizer> normalizers) {

    /**
     * A feature normalizer of the envelope: {@code (value - shift) / scale} in float, as o19s computes it.
     *
     * @param where the normalizer's JSON path
     */
    record Normalizer(String feature, float shift, float scale, String where) {}

    /** The envelope of the given {@code type} around {@code root}, or empty when {@code root} is not an envelope. */
    static Optional<StoredModel> of(Json root, String type) {
        Json current = root;
        for (int depth = 0; depth < 2 && current.has("model") && current.field("model").isObject(); depth++) {
            current = current.field("model");
        }
        if (!current.isObject() || !current.has("definition") || !current.has("type")) {
            return Optional.empty();
        }
        Json typeNode = current.field("type");
        if (!typeNode.string().equals(type)) {
            throw typeNode.error("expected type [" + type + "], got [" + typeNode.string() + "]");
        }
        Json definition = current.field("definition");
        Json parsed = !definition.isString() ? definition
                : type.equals(XgboostFormat.RAW_TYPE) ? Json.parseTrees(definition.string(), true)
                : Json.parse(definition.string());
        var normalizers = new ArrayList<Normalizer>();
        var given = current.optional("feature_normalizers");
        if (given.isPresent()) {
            for (String feature : given.get().propertyNames()) {
                normalizers.add(normalizer(feature, given.get().field(feature)));
            }
        }
        return Optional.of(new StoredModel(parsed, normalizers));
    }

    /** The definition of an envelope of the given {@code type}, or {@code root} itself. */
    static Json definition(Json root, String type) {
        return of(root, type).map(StoredModel::definition).orElse(root);
    }

    private static Normalizer normalizer(String feature, Json spec) {
        var kinds = spec.propertyNames();
        if (kinds.size() != 1) {
            throw spec.error("expected one of [standard] or [min_max], got " + kinds);
        }
        String kind = kinds.get(0);
        Json params = spec.field(kind);
        return switch (kind) {
            case "standard" -> {
                float mean = params.field("mean").float32();
                float deviation = params.field("standard_deviation").float32();
                if (!(deviation > 0) || Float.isInfinite(deviation)) {
                    throw params.field("standard_deviation").error("standard_deviation must be a positive number, got "
                            + deviation);
                }
                yield new Normalizer(feature, mean, deviation, params.path());
            }
            case "min_max" -> {
                float minimum = params.field("minimum").float32();
                float maximum = params.field("maximum").float32();
                if (!(minimum < maximum) || Float.isInfinite(maximum - minimum)) {
                    throw params.error("minimum " + minimum + " must be below maximum " + maximum);
                }
                yield new Normalizer(feature, minimum, maximum - minimum, params.path());
            }
            default -> throw spec.error("unknown feature normalizer [" + kind + "]: expected standard or min_max");
        };
    }

    /** Fails when a normalizer names a feature the model does not have. */
    static ModelException unknownFeature(Normalizer normalizer) {
        return new ModelException(normalizer.where(), "feature normalizer for [" + normalizer.feature()
                + "], which is not a feature of the model");
    }
}
