package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * How to bind a model file to the caller's rows.
 *
 * @param features the caller's column names in order, if given: a model that names its features is rebound to these
 *     columns by name, a model that numbers them ({@code f0, f1, …}, RankLib ids) reads column {@code i} for feature
 *     {@code i}; a model that uses a feature outside the list is rejected
 * @param missingAsZero read every missing (NaN) input as {@code 0.0}, for models trained on zero-filled data
 */
public record LoadOptions(Optional<List<String>> features, boolean missingAsZero) {

    /** No feature list, missing values stay missing. */
    public static final LoadOptions DEFAULTS = new LoadOptions(Optional.empty(), false);

    public LoadOptions {
        requireNonNull(features, "features");
        features = features.map(List::copyOf);
        features.ifPresent(list -> {
            var seen = new HashSet<String>();
            for (String name : list) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("feature names must not be empty");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("feature [" + name + "] is listed twice");
                }
            }
        });
    }

    /** Options with the given feature list. */
    public static LoadOptions withFeatures(List<String> features) {
        return new LoadOptions(Optional.of(features), false);
    }

    /** These options with {@code missingAsZero} set as given. */
    public LoadOptions missingAsZero(boolean value) {
        return new LoadOptions(features, value);
    }
}
