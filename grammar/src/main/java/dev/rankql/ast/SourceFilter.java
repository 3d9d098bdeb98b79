package dev.rankql.ast;

import java.util.List;

/** The {@code _source} option: fetch it or not, or fetch only some fields. */
public sealed interface SourceFilter {

    /** {@code _source: true|false}. */
    record Fetch(boolean enabled) implements SourceFilter {}

    /** {@code _source: {includes: [...], excludes: [...]}}; field patterns may use {@code *}. */
    record Fields(List<String> includes, List<String> excludes) implements SourceFilter {
        public Fields {
            includes = List.copyOf(includes);
            excludes = List.copyOf(excludes);
        }
    }
}
