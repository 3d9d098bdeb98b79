package dev.rankql.models.formats;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one JSON object of feature values ({@code {"bm25": 12.5, "clicks": null}}) into a model's row.
 *
 * <p>A feature that is absent, {@code null} or the string {@code "NaN"} is missing (NaN); keys that name no feature
 * of the model are ignored, as Elasticsearch ignores feature values no tree uses. Any other value is rejected with an
 * {@link IllegalArgumentException} that names the feature. A reader is immutable and can be shared.
 */
public final class RowReader {

    private static final JsonMapper MAPPER = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
            .streamReadConstraints(Json.constraints()).build()).build();

    private final List<String> featureNames;
    private final Map<String, Integer> columns = new HashMap<>();

    /** A reader for rows of the given columns, usually {@code model.featureNames()}. */
    public RowReader(List<String> featureNames) {
        this.featureNames = List.copyOf(featureNames);
        for (int i = 0; i < this.featureNames.size(); i++) {
            columns.put(this.featureNames.get(i), i);
        }
    }

    /** Reads one row into {@code row[0 .. featureCount)}. */
    public void read(String json, double[] row) {
        if (row.length < featureNames.size()) {
            throw new IllegalArgumentException("the row array holds " + row.length + " values, "
                    + featureNames.size() + " are needed");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a row is a JSON object of feature values");
        }
        java.util.Arrays.fill(row, 0, featureNames.size(), Double.NaN);
        for (var entry : node.properties()) {
            Integer column = columns.get(entry.getKey());
            if (column == null) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (value.isNumber()) {
                row[column] = value.doubleValue();
            } else if (value.isNull() || value.isString() && value.stringValue().equals("NaN")) {
                row[column] = Double.NaN;
            } else {
                throw new IllegalArgumentException("feature [" + entry.getKey() + "] must be a number, null or \"NaN\","
                        + " got " + value);
            }
        }
    }

    /** Reads one row into a new array. */
    public double[] read(String json) {
        double[] row = new double[featureNames.size()];
        read(json, row);
        return row;
    }
}
