package dev.rankql.engine.search;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Query;
import dev.rankql.engine.mapping.FieldMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Field aliases in queries: a query's own field names replaced by the concrete fields they stand for, and
 * {@code multi_match} field patterns expanded over aliases the way Elasticsearch expands them.
 */
final class FieldAliases {

    private FieldAliases() {}

    /**
     * {@code query} with its own field (not its sub-queries', which are compiled, and so resolved, one by one)
     * replaced by the concrete field of {@code index} it names; the query itself when it names no alias.
     */
    static Query resolve(Query query, IndexView index) {
        var aliases = index.mappings().aliases();
        if (aliases.isEmpty()) {
            return query;
        }
        return switch (query) {
            case Query.Match m -> aliases.containsKey(m.field())
                    ? new Query.Match(m.span(), index.resolve(m.field()), m.query(), m.operator(), m.minimumShouldMatch(),
                            m.fuzziness(), m.analyzer(), m.zeroTermsQuery(), m.boost(), m.name())
                    : m;
            case Query.MatchPhrase m -> aliases.containsKey(m.field())
                    ? new Query.MatchPhrase(m.span(), index.resolve(m.field()), m.query(), m.slop(), m.analyzer(),
                            m.zeroTermsQuery(), m.boost(), m.name())
                    : m;
            case Query.MatchPhrasePrefix m -> aliases.containsKey(m.field())
                    ? new Query.MatchPhrasePrefix(m.span(), index.resolve(m.field()), m.query(), m.slop(), m.maxExpansions(),
                            m.analyzer(), m.boost(), m.name())
                    : m;
            case Query.Term t -> aliases.containsKey(t.field())
                    ? new Query.Term(t.span(), index.resolve(t.field()), t.value(), t.caseInsensitive(), t.boost(), t.name())
                    : t;
            case Query.Terms t -> aliases.containsKey(t.field())
                    ? new Query.Terms(t.span(), index.resolve(t.field()), t.values(), t.boost(), t.name())
                    : t;
            case Query.Range r -> aliases.containsKey(r.field())
                    ? new Query.Range(r.span(), index.resolve(r.field()), r.gt(), r.gte(), r.lt(), r.lte(), r.format(),
                            r.timeZone(), r.boost(), r.name())
                    : r;
            case Query.Exists e -> aliases.containsKey(e.field())
                    ? new Query.Exists(e.span(), index.resolve(e.field()), e.boost(), e.name())
                    : e;
            case Query.Prefix p -> aliases.containsKey(p.field())
                    ? new Query.Prefix(p.span(), index.resolve(p.field()), p.value(), p.caseInsensitive(), p.boost(), p.name())
                    : p;
            case Query.Wildcard w -> aliases.containsKey(w.field())
                    ? new Query.Wildcard(w.span(), index.resolve(w.field()), w.value(), w.caseInsensitive(), w.boost(), w.name())
                    : w;
            case Query.Fuzzy f -> aliases.containsKey(f.field())
                    ? new Query.Fuzzy(f.span(), index.resolve(f.field()), f.value(), f.fuzziness(), f.prefixLength(),
                            f.maxExpansions(), f.transpositions(), f.boost(), f.name())
                    : f;
            case Query.RankFeature r -> aliases.containsKey(r.field())
                    ? new Query.RankFeature(r.span(), index.resolve(r.field()), r.function(), r.boost(), r.name())
                    : r;
            // multi_match expands its fields itself (expand below); the others name no field or only sub-queries.
            case Query.MultiMatch m -> m;
            case Query.Bool b -> b;
            case Query.Ids i -> i;
            case Query.MatchAll m -> m;
            case Query.MatchNone m -> m;
            case Query.ConstantScore c -> c;
            case Query.DisMax d -> d;
            case Query.ScriptScore s -> s;
        };
    }

    /**
     * The fields of a {@code multi_match}: every pattern ({@code *} matches any characters; no fields means
     * {@code *}) expanded over the mapped text and keyword fields and the aliases of such fields. As in Elasticsearch,
     * an alias that a pattern matches together with its target counts once, as its target; each field keeps the boost
     * of the first pattern that named it. The returned names are concrete fields, ready to compile.
     */
    static List<FieldRef> expand(List<FieldRef> fields, IndexView index) {
        var patterns = fields.isEmpty() ? List.of(FieldRef.of("*")) : fields;
        // Keyed by the name Elasticsearch keys the field by: the target when the pattern matched it too, else the alias.
        var result = new LinkedHashMap<String, FieldRef>();
        for (var ref : patterns) {
            if (!ref.field().contains("*")) {
                result.putIfAbsent(ref.field(), new FieldRef(index.resolve(ref.field()), ref.boost()));
                continue;
            }
            var regex = Pattern.compile(Pattern.quote(ref.field()).replace("*", "\\E.*\\Q"));
            var matched = new LinkedHashMap<String, String>();
            index.fields().forEach((name, mapping) -> {
                if (regex.matcher(name).matches() && searchable(mapping)) {
                    matched.put(name, name);
                }
            });
            for (Map.Entry<String, String> alias : index.mappings().aliases().entrySet()) {
                if (regex.matcher(alias.getKey()).matches() && searchable(index.fields().get(alias.getValue()))) {
                    matched.put(alias.getKey(), alias.getValue());
                }
            }
            matched.forEach((name, target) -> {
                var key = matched.containsKey(target) ? target : name;
                result.putIfAbsent(key, new FieldRef(target, ref.boost()));
            });
        }
        return List.copyOf(result.values());
    }

    private static boolean searchable(FieldMapping mapping) {
        return mapping instanceof FieldMapping.Text || mapping instanceof FieldMapping.Keyword;
    }
}
