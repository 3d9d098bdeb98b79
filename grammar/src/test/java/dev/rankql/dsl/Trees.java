package dev.rankql.dsl;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.Script;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tiny factories for expected trees in DSL tests: every option unset unless a test sets it with a wither. */
final class Trees {

    private static final Span S = Span.NONE;

    private Trees() {}

    static Query.Match match(String field, String text) {
        return new Query.Match(S, field, Value.of(text), none(), none(), none(), none(), none(), none(), none());
    }

    static Query.MultiMatch multiMatch(String text, String... fields) {
        return new Query.MultiMatch(S, Value.of(text), List.of(fields).stream().map(FieldRef::parse).toList(),
                none(), none(), none(), none(), none(), none(), none(), none(), none(), none());
    }

    static Query.Term term(String field, Value value) {
        return new Query.Term(S, field, value, none(), none(), none());
    }

    static Query.Exists exists(String field) {
        return new Query.Exists(S, field, none(), none());
    }

    static Query.MatchAll matchAll() {
        return new Query.MatchAll(S, none(), none());
    }

    static Query.Bool bool(List<Query> must, List<Query> should, List<Query> filter, List<Query> mustNot) {
        return new Query.Bool(S, must, should, filter, mustNot, none(), none(), none());
    }

    static Retriever.Standard standard(Query query) {
        return new Retriever.Standard(S, Optional.of(query), List.of(), none(), none(), List.of(), List.of(),
                none(), none());
    }

    static Retriever.Rescorer rescorer(Retriever child, Rescore... rescores) {
        return new Retriever.Rescorer(S, child, List.of(rescores), List.of(), none(), none());
    }

    static Rescore.LearningToRank ltr(String model, int window, Map<String, Value> params) {
        return new Rescore.LearningToRank(S, Optional.of(window), model, params);
    }

    static Rescore.QueryRescore queryRescore(Query query, Integer window) {
        return new Rescore.QueryRescore(S, Optional.ofNullable(window), query, none(), none(), none());
    }

    static Rescore.ScriptRescore scriptRescore(String source, Integer window) {
        return new Rescore.ScriptRescore(S, Optional.ofNullable(window), script(source));
    }

    static Script script(String source) {
        return new Script(S, source, none(), Map.of());
    }

    static SortField sort(String field, SortOrder order) {
        return new SortField(S, field, Optional.ofNullable(order));
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Value> params(Object... keysAndValues) {
        var map = new LinkedHashMap<String, Value>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
        }
        return map;
    }

    /** A builder over {@link SearchRequest}'s many options, for tests only. */
    static Req req() {
        return new Req();
    }

    static <T> Optional<T> none() {
        return Optional.empty();
    }

    static <T> Optional<T> some(T value) {
        return Optional.of(value);
    }

    /** Mutable request under construction. */
    static final class Req {
        Optional<String> index = none();
        Optional<Retriever> retriever = none();
        Optional<Query> query = none();
        List<Rescore> rescore = List.of();
        Optional<Integer> from = none();
        Optional<Integer> size = none();
        Optional<Float> minScore = none();
        Optional<Boolean> explain = none();
        Optional<Boolean> profile = none();
        Optional<dev.rankql.ast.SourceFilter> source = none();
        Optional<dev.rankql.ast.TrackTotalHits> trackTotalHits = none();
        Optional<dev.rankql.ast.Collapse> collapse = none();
        List<SortField> sort = List.of();
        List<Value> searchAfter = List.of();
        Optional<Integer> terminateAfter = none();
        Map<String, Value> ext = Map.of();

        Req index(String i) {
            index = some(i);
            return this;
        }

        Req retriever(Retriever r) {
            retriever = some(r);
            return this;
        }

        Req query(Query q) {
            query = some(q);
            return this;
        }

        Req rescore(Rescore... r) {
            rescore = List.of(r);
            return this;
        }

        Req from(int f) {
            from = some(f);
            return this;
        }

        Req size(int s) {
            size = some(s);
            return this;
        }

        Req minScore(float m) {
            minScore = some(m);
            return this;
        }

        Req explain(boolean e) {
            explain = some(e);
            return this;
        }

        Req profile(boolean p) {
            profile = some(p);
            return this;
        }

        Req source(dev.rankql.ast.SourceFilter s) {
            source = some(s);
            return this;
        }

        Req trackTotalHits(dev.rankql.ast.TrackTotalHits t) {
            trackTotalHits = some(t);
            return this;
        }

        Req collapse(String field) {
            collapse = some(new dev.rankql.ast.Collapse(S, field));
            return this;
        }

        Req sort(SortField... s) {
            sort = List.of(s);
            return this;
        }

        Req searchAfter(Value... v) {
            searchAfter = List.of(v);
            return this;
        }

        Req terminateAfter(int t) {
            terminateAfter = some(t);
            return this;
        }

        Req ext(Map<String, Value> e) {
            ext = e;
            return this;
        }

        SearchRequest build() {
            return new SearchRequest(S, index, retriever, query, rescore, from, size, minScore, explain, profile,
                    source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext);
        }
    }
}
