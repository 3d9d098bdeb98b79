package dev.rankql.engine;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.Script;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tiny factories for AST trees in tests, so that requests read like their JSON. */
final class Ast {

    private Ast() {}

    static Query.Match match(String field, String text) {
        return new Query.Match(Span.NONE, field, Value.of(text), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Match match(String field, String text, Operator operator, String msm) {
        return new Query.Match(Span.NONE, field, Value.of(text), Optional.ofNullable(operator), Optional.ofNullable(msm),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Match fuzzyMatch(String field, String text, String fuzziness) {
        return new Query.Match(Span.NONE, field, Value.of(text), Optional.empty(), Optional.empty(), Optional.of(fuzziness),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.MultiMatch multiMatch(String text, MultiMatchType type, Float tieBreaker, String... fields) {
        return new Query.MultiMatch(Span.NONE, Value.of(text), Arrays.stream(fields).map(FieldRef::parse).toList(),
                Optional.ofNullable(type), Optional.ofNullable(tieBreaker), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.MatchPhrase phrase(String field, String text, int slop) {
        return new Query.MatchPhrase(Span.NONE, field, text, Optional.of(slop), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static Query.MatchPhrasePrefix phrasePrefix(String field, String text) {
        return new Query.MatchPhrasePrefix(Span.NONE, field, text, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static Query.Term term(String field, Value value) {
        return new Query.Term(Span.NONE, field, value, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Terms terms(String field, Value... values) {
        return new Query.Terms(Span.NONE, field, List.of(values), Optional.empty(), Optional.empty());
    }

    static Query.Range range(String field, Value gte, Value lt) {
        return new Query.Range(Span.NONE, field, Optional.empty(), Optional.ofNullable(gte), Optional.ofNullable(lt),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Query.Bool bool(List<Query> must, List<Query> should, List<Query> filter, List<Query> mustNot, String msm) {
        return new Query.Bool(Span.NONE, must, should, filter, mustNot, Optional.ofNullable(msm), Optional.empty(), Optional.empty());
    }

    static Query.Exists exists(String field) {
        return new Query.Exists(Span.NONE, field, Optional.empty(), Optional.empty());
    }

    static Query.Ids ids(String... ids) {
        return new Query.Ids(Span.NONE, List.of(ids), Optional.empty(), Optional.empty());
    }

    static Query.MatchAll matchAll() {
        return new Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty());
    }

    static Query.MatchAll matchAll(float boost) {
        return new Query.MatchAll(Span.NONE, Optional.of(boost), Optional.empty());
    }

    static Query.ConstantScore constantScore(Query filter, float boost) {
        return new Query.ConstantScore(Span.NONE, filter, Optional.of(boost), Optional.empty());
    }

    static Query.DisMax disMax(float tieBreaker, Query... queries) {
        return new Query.DisMax(Span.NONE, List.of(queries), Optional.of(tieBreaker), Optional.empty(), Optional.empty());
    }

    static Query.ScriptScore scriptScore(Query query, String source, Map<String, Value> params) {
        return new Query.ScriptScore(Span.NONE, query, script(source, params), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Script script(String source, Map<String, Value> params) {
        return new Script(Span.NONE, source, Optional.empty(), params);
    }

    static Query named(Query.Term term, String name) {
        return new Query.Term(Span.NONE, term.field(), term.value(), Optional.empty(), Optional.empty(), Optional.of(name));
    }

    static Rescore.QueryRescore queryRescore(Integer window, Query query, Float queryWeight, Float rescoreWeight, ScoreMode mode) {
        return new Rescore.QueryRescore(Span.NONE, Optional.ofNullable(window), query, Optional.ofNullable(queryWeight),
                Optional.ofNullable(rescoreWeight), Optional.ofNullable(mode));
    }

    static Rescore.ScriptRescore scriptRescore(Integer window, String source) {
        return new Rescore.ScriptRescore(Span.NONE, Optional.ofNullable(window), script(source, Map.of()));
    }

    static Retriever.Standard standard(Query query, Query... filters) {
        return new Retriever.Standard(Span.NONE, Optional.ofNullable(query), List.of(filters), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    static Retriever.Rescorer rescorer(Retriever child, List<Query> filters, Rescore... rescores) {
        return new Retriever.Rescorer(Span.NONE, child, List.of(rescores), filters, Optional.empty(), Optional.empty());
    }

    /** A classic request: query, rescores, from/size (null for unset). */
    static SearchRequest search(Query query, Integer from, Integer size, Rescore... rescores) {
        return new SearchRequest(Span.NONE, Optional.empty(), Optional.empty(), Optional.ofNullable(query), List.of(rescores),
                Optional.ofNullable(from), Optional.ofNullable(size), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of());
    }

    static SearchRequest withMinScore(SearchRequest r, float minScore) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), Optional.of(minScore),
                r.explain(), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), r.sort(), r.searchAfter(),
                r.terminateAfter(), r.ext());
    }

    static SearchRequest withExplain(SearchRequest r) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                Optional.of(true), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), r.sort(), r.searchAfter(),
                r.terminateAfter(), r.ext());
    }

    static SearchRequest withCollapse(SearchRequest r, String field) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), r.source(), r.trackTotalHits(), Optional.of(new Collapse(Span.NONE, field)), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext());
    }

    static SearchRequest withSort(SearchRequest r, SortField... sort) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), List.of(sort), r.searchAfter(),
                r.terminateAfter(), r.ext());
    }

    static SearchRequest withTrackTotalHits(SearchRequest r, dev.rankql.ast.TrackTotalHits tth) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), r.source(), Optional.of(tth), r.collapse(), r.sort(), r.searchAfter(),
                r.terminateAfter(), r.ext());
    }

    static SearchRequest withSource(SearchRequest r, dev.rankql.ast.SourceFilter filter) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), Optional.of(filter), r.trackTotalHits(), r.collapse(), r.sort(), r.searchAfter(),
                r.terminateAfter(), r.ext());
    }

    /** A retriever request with top-level size/from (null for unset). */
    static SearchRequest retriever(Retriever retriever, Integer from, Integer size) {
        return new SearchRequest(Span.NONE, Optional.empty(), Optional.of(retriever), Optional.empty(), List.of(),
                Optional.ofNullable(from), Optional.ofNullable(size), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of());
    }

    static SortField sort(String field, dev.rankql.ast.SortOrder order) {
        return new SortField(Span.NONE, field, Optional.ofNullable(order));
    }
}
