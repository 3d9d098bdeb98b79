package dev.rankql.json;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.Script;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tiny factories that make expected trees read like the JSON they come from. */
final class T {

    private T() {}

    static Value v(Object value) {
        return switch (value) {
            case String s -> new Value.Str(s);
            case Integer i -> new Value.Int(i);
            case Long l -> new Value.Int(l);
            case Double d -> new Value.Dbl(d);
            case Boolean b -> new Value.Bool(b);
            default -> throw new IllegalArgumentException("no value for " + value);
        };
    }

    static Query.Match match(String field, Object text) {
        return new Query.Match(Span.NONE, field, v(text), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.MultiMatch multiMatch(Object text, String... fields) {
        return new Query.MultiMatch(Span.NONE, v(text), Arrays.stream(fields).map(FieldRef::parse).toList(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.MatchPhrase phrase(String field, String text) {
        return new Query.MatchPhrase(Span.NONE, field, text, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static Query.Term term(String field, Object value) {
        return new Query.Term(Span.NONE, field, v(value), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Terms terms(String field, Object... values) {
        return new Query.Terms(Span.NONE, field, Arrays.stream(values).map(T::v).toList(), Optional.empty(),
                Optional.empty());
    }

    static Query.Range range(String field, Object gte, Object lt) {
        return new Query.Range(Span.NONE, field, Optional.empty(), Optional.ofNullable(gte).map(T::v),
                Optional.ofNullable(lt).map(T::v), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static Query.Bool bool(List<Query> must, List<Query> should, List<Query> filter, List<Query> mustNot) {
        return new Query.Bool(Span.NONE, must, should, filter, mustNot, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static Query.Bool must(Query... queries) {
        return bool(List.of(queries), List.of(), List.of(), List.of());
    }

    static Query.Bool should(Query... queries) {
        return bool(List.of(), List.of(queries), List.of(), List.of());
    }

    static Query.Bool filter(Query... queries) {
        return bool(List.of(), List.of(), List.of(queries), List.of());
    }

    static Query.MatchAll matchAll() {
        return new Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty());
    }

    static Query.Exists exists(String field) {
        return new Query.Exists(Span.NONE, field, Optional.empty(), Optional.empty());
    }

    static Query.ConstantScore constantScore(Query filter, float boost) {
        return new Query.ConstantScore(Span.NONE, filter, Optional.of(boost), Optional.empty());
    }

    static Query.ScriptScore scriptScore(Query query, String source) {
        return new Query.ScriptScore(Span.NONE, query, script(source), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static Query.Prefix prefix(String field, String value) {
        return new Query.Prefix(Span.NONE, field, value, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Wildcard wildcard(String field, String value) {
        return new Query.Wildcard(Span.NONE, field, value, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Fuzzy fuzzy(String field, Object value) {
        return new Query.Fuzzy(Span.NONE, field, v(value), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Script script(String source) {
        return new Script(Span.NONE, source, Optional.empty(), Map.of());
    }

    /** The query, boosted. */
    @SuppressWarnings("unchecked")
    static <Q extends Query> Q boosted(Q query, float boost) {
        return (Q) switch (query) {
            case Query.Term t -> new Query.Term(Span.NONE, t.field(), t.value(), t.caseInsensitive(),
                    Optional.of(boost), t.name());
            case Query.Match m -> new Query.Match(Span.NONE, m.field(), m.query(), m.operator(),
                    m.minimumShouldMatch(), m.fuzziness(), m.analyzer(), m.zeroTermsQuery(), Optional.of(boost),
                    m.name());
            default -> throw new IllegalArgumentException("no boost helper for " + query);
        };
    }

    static Retriever.Standard standard(Query query) {
        return new Retriever.Standard(Span.NONE, Optional.of(query), List.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    static Retriever.Rescorer rescorer(Retriever child, Rescore... rescore) {
        return new Retriever.Rescorer(Span.NONE, child, List.of(rescore), List.of(), Optional.empty(),
                Optional.empty());
    }

    static Rescore.LearningToRank ltr(int window, String model, Map<String, Value> params) {
        return new Rescore.LearningToRank(Span.NONE, Optional.of(window), model, params);
    }

    static Rescore.QueryRescore queryRescore(Integer window, Query query, ScoreMode mode) {
        return new Rescore.QueryRescore(Span.NONE, Optional.ofNullable(window), query, Optional.empty(),
                Optional.empty(), Optional.ofNullable(mode));
    }

    static SortField sort(String field, SortOrder order) {
        return new SortField(Span.NONE, field, Optional.ofNullable(order));
    }

    static Req req() {
        return new Req();
    }

    /** A request under construction; every option starts unset. */
    static final class Req {
        private Optional<Retriever> retriever = Optional.empty();
        private Optional<Query> query = Optional.empty();
        private final List<Rescore> rescore = new ArrayList<>();
        private Optional<Integer> from = Optional.empty();
        private Optional<Integer> size = Optional.empty();
        private Optional<Float> minScore = Optional.empty();
        private Optional<Boolean> explain = Optional.empty();
        private Optional<SourceFilter> source = Optional.empty();
        private Optional<TrackTotalHits> trackTotalHits = Optional.empty();
        private Optional<Collapse> collapse = Optional.empty();
        private final List<SortField> sort = new ArrayList<>();
        private Map<String, Value> ext = Map.of();

        Req retriever(Retriever r) {
            retriever = Optional.of(r);
            return this;
        }

        Req query(Query q) {
            query = Optional.of(q);
            return this;
        }

        Req rescore(Rescore... r) {
            rescore.addAll(List.of(r));
            return this;
        }

        Req from(int f) {
            from = Optional.of(f);
            return this;
        }

        Req size(int s) {
            size = Optional.of(s);
            return this;
        }

        Req minScore(float m) {
            minScore = Optional.of(m);
            return this;
        }

        Req explain(boolean e) {
            explain = Optional.of(e);
            return this;
        }

        Req source(SourceFilter s) {
            source = Optional.of(s);
            return this;
        }

        Req trackTotalHits(TrackTotalHits t) {
            trackTotalHits = Optional.of(t);
            return this;
        }

        Req collapse(String field) {
            collapse = Optional.of(new Collapse(Span.NONE, field));
            return this;
        }

        Req sort(SortField... s) {
            sort.addAll(List.of(s));
            return this;
        }

        Req ext(Map<String, Value> e) {
            ext = e;
            return this;
        }

        SearchRequest build() {
            return new SearchRequest(Span.NONE, Optional.empty(), retriever, query, rescore, from, size, minScore,
                    explain, Optional.empty(), source, trackTotalHits, collapse, sort, List.of(), Optional.empty(),
                    ext);
        }
    }
}
