package dev.rankql.cli;

import dev.rankql.engine.search.SearchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Renders search hits as a plain-text table for people: rank, {@code _id}, {@code _score} and a few source fields. */
public final class HitTable {

    /** Source values longer than this many code points are cut, ending in an ellipsis. */
    static final int MAX_CELL = 40;

    private static final int DEFAULT_COLUMNS = 3;

    private HitTable() {}

    /** The table of {@code response}'s hits with the {@code columns} source fields, or the first hit's first three. */
    public static String render(SearchResponse response, Optional<List<String>> columns) {
        var hits = response.hits();
        var fields = columns.orElseGet(() -> firstFields(hits));
        var header = new ArrayList<>(List.of("#", "_id", "_score"));
        header.addAll(fields);
        var rows = new ArrayList<List<String>>();
        rows.add(header);
        for (int i = 0; i < hits.size(); i++) {
            var hit = hits.get(i);
            var row = new ArrayList<String>();
            row.add(Integer.toString(i + 1));
            row.add(cut(hit.id()));
            row.add(hit.score().map(s -> String.format(Locale.ROOT, "%.4f", s)).orElse("-"));
            for (var field : fields) {
                row.add(hit.source().map(s -> cell(at(s, field))).orElse(""));
            }
            rows.add(row);
        }
        var text = new StringBuilder(layout(rows));
        var total = response.total()
                .map(t -> (t.exact() ? "" : "at least ") + t.value())
                .orElse("uncounted");
        text.append(hits.size()).append(hits.size() == 1 ? " hit" : " hits")
                .append(" shown of ").append(total)
                .append(", max_score ").append(response.maxScore().map(s -> String.format(Locale.ROOT, "%.4f", s)).orElse("-"))
                .append(", took ").append(response.tookMillis()).append(" ms\n");
        return text.toString();
    }

    /** The first top-level source fields of the first hit with a source. */
    private static List<String> firstFields(List<SearchResponse.Hit> hits) {
        for (var hit : hits) {
            if (hit.source().isPresent() && hit.source().get().isObject()) {
                return hit.source().get().propertyNames().stream().limit(DEFAULT_COLUMNS).toList();
            }
        }
        return List.of();
    }

    /** The value at a dotted path such as {@code brand.name}, or a missing node. */
    private static JsonNode at(JsonNode source, String path) {
        var direct = source.get(path);
        if (direct != null) {
            return direct;
        }
        var node = source;
        for (var part : path.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private static String cell(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        return cut(value.isString() ? value.asString() : value.toString());
    }

    private static String cut(String text) {
        var flat = text.replaceAll("\\s+", " ").strip();
        if (flat.codePointCount(0, flat.length()) <= MAX_CELL) {
            return flat;
        }
        return flat.substring(0, flat.offsetByCodePoints(0, MAX_CELL - 1)) + "…";
    }

    private static String layout(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        var widths = new int[columns];
        for (var row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).codePointCount(0, row.get(c).length()));
            }
        }
        var text = new StringBuilder();
        for (var row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                var value = row.get(c);
                int pad = widths[c] - value.codePointCount(0, value.length());
                // Numbers read best right-aligned: the rank and the score.
                boolean right = c == 0 || c == 2;
                if (right) {
                    line.append(" ".repeat(pad)).append(value);
                } else {
                    line.append(value).append(" ".repeat(pad));
                }
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
