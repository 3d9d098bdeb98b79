package dev.rankql.engine.search;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.IndexSettings;
import dev.rankql.engine.mapping.Mappings;
import java.util.Map;

/** What a search needs to know about its index besides the Lucene searcher: name, settings and mapped fields. */
public record IndexView(String name, IndexSettings settings, Mappings mappings, Map<String, FieldMapping> fields) {

    public IndexView {
        requireNonNull(name, "name");
        requireNonNull(settings, "settings");
        requireNonNull(mappings, "mappings");
        fields = Map.copyOf(fields);
    }

    /** The concrete field {@code field} names: an alias's target, else {@code field} itself. */
    public String resolve(String field) {
        return mappings.resolve(field);
    }
}
