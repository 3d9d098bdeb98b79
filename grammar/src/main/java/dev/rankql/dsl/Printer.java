package dev.rankql.dsl;

import static dev.rankql.dsl.Lexemes.identifierOrString;
import static dev.rankql.dsl.Lexemes.quote;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldAndFormat;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.HitOptions;
import dev.rankql.ast.InnerHits;
import dev.rankql.ast.Keyword;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.Numbers;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.Script;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The canonical DSL text of a tree: one clause per line, each rescorer pipe on its own indented line, options in a
 * fixed order and unset options left out.
 *
 * <p>A call, list or map that fits in {@link #WIDTH} columns stays on one line; a longer one puts each argument on
 * its own line, two spaces further in, and applies the same rule to each argument.
 */
final class Printer {

    /** The line width within which a call stays on one line. */
    static final int WIDTH = 100;

    private static final String PIPE = "  | RESCORE ";
    private static final String OPTION_INDENT = "    ";

    private Printer() {}

    static String request(SearchRequest r) {
        var lines = new ArrayList<String>();
        r.index().ifPresent(i -> lines.add("FROM " + identifierOrString(i)));
        r.retriever().ifPresent(t -> lines.add("RETRIEVE " + retriever(t, "RETRIEVE ".length())));
        r.query().ifPresent(q -> {
            var text = new StringBuilder("QUERY ").append(render(query(q), "QUERY ".length(), 0));
            r.rescore().forEach(s -> text.append("\n  RESCORE ").append(rescore(s, "  RESCORE ".length(), 2)));
            lines.add(text.toString());
        });
        if (r.query().isEmpty()) {
            r.rescore().forEach(s -> lines.add("RESCORE " + rescore(s, "RESCORE ".length(), 0)));
        }
        if (r.knn().size() == 1) {
            lines.add("KNN " + render(knnSearch(r.knn().getFirst()), "KNN ".length(), 0));
        } else if (!r.knn().isEmpty()) {
            lines.add("KNN " + render(list(r.knn(), Printer::knnSearch), "KNN ".length(), 0));
        }
        r.from().ifPresent(f -> lines.add("OFFSET " + f));
        r.size().ifPresent(s -> lines.add("SIZE " + s));
        r.minScore().ifPresent(m -> lines.add("MIN_SCORE " + Numbers.format(m)));
        if (!r.sort().isEmpty()) {
            lines.add("SORT " + join(r.sort(), Printer::sortField, ", "));
        }
        if (!r.searchAfter().isEmpty()) {
            lines.add("SEARCH_AFTER " + render(list(r.searchAfter(), Printer::value), 13, 0));
        }
        r.collapse().ifPresent(c -> lines.add(collapseClause(c)));
        r.source().ifPresent(s -> lines.add("SOURCE " + render(source(s), 7, 0)));
        r.trackTotalHits().ifPresent(t -> lines.add("TRACK_TOTAL_HITS " + switch (t) {
            case TrackTotalHits.Flag f -> Boolean.toString(f.enabled());
            case TrackTotalHits.UpTo u -> Integer.toString(u.limit());
        }));
        r.terminateAfter().ifPresent(t -> lines.add("TERMINATE_AFTER " + t));
        r.timeout().ifPresent(t -> lines.add("TIMEOUT " + quote(SearchRequest.formatTimeout(t))));
        r.explain().ifPresent(e -> lines.add(e ? "EXPLAIN" : "EXPLAIN false"));
        r.profile().ifPresent(p -> lines.add(p ? "PROFILE" : "PROFILE false"));
        hitOptions(r.hitOptions(), lines);
        if (!r.ext().isEmpty()) {
            lines.add("EXT " + render(map(r.ext()), 4, 0));
        }
        if (!r.aggregations().isEmpty()) {
            lines.add("AGGS " + render(aggregations(r.aggregations()), "AGGS ".length(), 0));
        }
        return String.join("\n", lines);
    }

    /** {@code COLLAPSE field}, each inner hits section and the concurrency limit on lines of their own. */
    private static String collapseClause(Collapse c) {
        var out = new StringBuilder("COLLAPSE ").append(identifierOrString(c.field()));
        for (var inner : c.innerHits()) {
            out.append("\n  INNER_HITS ").append(render(innerHits(inner), "  INNER_HITS ".length(), 2));
        }
        c.maxConcurrentGroupSearches().ifPresent(m -> out.append("\n  MAX_CONCURRENT_GROUP_SEARCHES ").append(m));
        return out.toString();
    }

    private static void hitOptions(HitOptions options, List<String> lines) {
        if (options.version()) {
            lines.add("VERSION");
        }
        if (options.seqNoPrimaryTerm()) {
            lines.add("SEQ_NO_PRIMARY_TERM");
        }
        if (options.trackScores()) {
            lines.add("TRACK_SCORES");
        }
        if (!options.fields().isEmpty()) {
            lines.add("FIELDS " + render(patterns(options.fields()), "FIELDS ".length(), 0));
        }
        if (!options.docvalueFields().isEmpty()) {
            lines.add("DOCVALUE_FIELDS " + render(docvalueFields(options.docvalueFields()), "DOCVALUE_FIELDS ".length(), 0));
        }
        options.storedFields().ifPresent(names -> lines.add("STORED_FIELDS " + (options.storedFieldsDisabled()
                ? HitOptions.NO_STORED_FIELDS
                : render(patterns(names), "STORED_FIELDS ".length(), 0))));
    }

    private static Node docvalueFields(List<FieldAndFormat> fields) {
        return list(fields, f -> f.format().isEmpty()
                ? new Text(identifierOrString(f.field()))
                : new Group("{", List.of(new Prefixed("field: ", new Text(identifierOrString(f.field()))),
                        new Prefixed("format: ", new Text(quote(f.format().get())))), "}"));
    }

    /** An inner hits section as a map with the JSON's keys, in the JSON writer's order. */
    private static Node innerHits(InnerHits inner) {
        var items = new ArrayList<Node>();
        inner.name().ifPresent(n -> items.add(new Prefixed("name: ", new Text(quote(n)))));
        inner.from().ifPresent(f -> items.add(new Prefixed("from: ", new Text(Integer.toString(f)))));
        inner.size().ifPresent(n -> items.add(new Prefixed("size: ", new Text(Integer.toString(n)))));
        if (!inner.sort().isEmpty()) {
            items.add(new Prefixed("sort: ", list(inner.sort(), f -> new Text(sortField(f)))));
        }
        inner.collapse().ifPresent(c -> items.add(new Prefixed("collapse: ", new Text(identifierOrString(c.field())))));
        inner.source().ifPresent(src -> items.add(new Prefixed("_source: ", source(src))));
        if (!inner.fields().isEmpty()) {
            items.add(new Prefixed("fields: ", patterns(inner.fields())));
        }
        if (!inner.docvalueFields().isEmpty()) {
            items.add(new Prefixed("docvalue_fields: ", docvalueFields(inner.docvalueFields())));
        }
        if (inner.version()) {
            items.add(new Prefixed("version: ", new Text("true")));
        }
        if (inner.seqNoPrimaryTerm()) {
            items.add(new Prefixed("seq_no_primary_term: ", new Text("true")));
        }
        if (inner.trackScores()) {
            items.add(new Prefixed("track_scores: ", new Text("true")));
        }
        return new Group("{", items, "}");
    }

    /** A standard retriever's {@code collapse:}: the field alone, or a map when it has inner hits or a limit. */
    private static Node retrieverCollapse(Collapse c) {
        if (c.innerHits().isEmpty() && c.maxConcurrentGroupSearches().isEmpty()) {
            return new Text(identifierOrString(c.field()));
        }
        var items = new ArrayList<Node>();
        items.add(new Prefixed("field: ", new Text(identifierOrString(c.field()))));
        if (!c.innerHits().isEmpty()) {
            items.add(new Prefixed("inner_hits: ", list(c.innerHits(), Printer::innerHits)));
        }
        c.maxConcurrentGroupSearches().ifPresent(m -> items.add(
                new Prefixed("max_concurrent_group_searches: ", new Text(Integer.toString(m)))));
        return new Group("{", items, "}");
    }

    private static Node source(SourceFilter source) {
        return switch (source) {
            case SourceFilter.Fetch f -> new Text(Boolean.toString(f.enabled()));
            case SourceFilter.Fields f when f.excludes().isEmpty() -> patterns(f.includes());
            case SourceFilter.Fields f -> {
                var entries = new ArrayList<Node>();
                if (!f.includes().isEmpty()) {
                    entries.add(new Prefixed("includes: ", patterns(f.includes())));
                }
                entries.add(new Prefixed("excludes: ", patterns(f.excludes())));
                yield new Group("{", entries, "}");
            }
        };
    }

    private static Node patterns(List<String> patterns) {
        return list(patterns, p -> new Text(identifierOrString(p)));
    }

    static String retriever(Retriever retriever) {
        return retriever(retriever, 0);
    }

    /** A pipe chain is printed from its innermost retriever outwards, without recursion. */
    private static String retriever(Retriever retriever, int column) {
        var pipes = new ArrayList<Retriever.Rescorer>();
        Retriever node = retriever;
        while (node instanceof Retriever.Rescorer r) {
            pipes.add(r);
            node = r.retriever();
        }
        var out = new StringBuilder(render(retrieverNode(node), column, 0));
        for (int i = pipes.size() - 1; i >= 0; i--) {
            var r = pipes.get(i);
            out.append('\n').append(PIPE).append(rescore(r.rescore().getFirst(), PIPE.length(), 2));
            for (var more : r.rescore().subList(1, r.rescore().size())) {
                out.append('\n').append(OPTION_INDENT).append("RESCORE ").append(rescore(more, 12, 4));
            }
            for (var filter : r.filter()) {
                out.append('\n').append(OPTION_INDENT).append("FILTER ").append(render(query(filter), 11, 4));
            }
            r.minScore().ifPresent(m -> out.append('\n').append(OPTION_INDENT).append("MIN_SCORE ")
                    .append(Numbers.format(m)));
            r.name().ifPresent(n -> out.append('\n').append(OPTION_INDENT).append("NAME ").append(quote(n)));
        }
        return out.toString();
    }

    /**
     * A retriever as a call; a rescorer pipe, which is not a call, is written in parentheses on one line, where a
     * compound retriever's child list holds it.
     */
    private static Node retrieverNode(Retriever retriever) {
        return switch (retriever) {
            case Retriever.Standard s -> standard(s);
            case Retriever.Knn k -> knn("knn", k.field(), k.queryVector(), k.k(), k.numCandidates(), k.similarity(),
                    k.filter())
                    .named("min_score", k.minScore().map(Numbers::format))
                    .named("name", k.name().map(Lexemes::quote))
                    .node();
            case Retriever.Rescorer r -> new Text("(" + flatPipes(r) + ")");
            case Retriever.Rrf r -> new Call("rrf")
                    .positional(list(r.retrievers(), c -> c.weight().isEmpty()
                            ? retrieverNode(c.retriever())
                            : new Call("retriever").positional(retrieverNode(c.retriever()))
                                    .named("weight", c.weight().map(Numbers::format)).node()))
                    .named("rank_window_size", r.rankWindowSize().map(String::valueOf))
                    .named("rank_constant", r.rankConstant().map(String::valueOf))
                    .namedNode("filter", queries(r.filter()))
                    .named("min_score", r.minScore().map(Numbers::format))
                    .named("name", r.name().map(Lexemes::quote))
                    .node();
            case Retriever.Linear l -> new Call("linear")
                    .positional(list(l.retrievers(), c -> c.weight().isEmpty() && c.normalizer().isEmpty()
                            ? retrieverNode(c.retriever())
                            : new Call("retriever").positional(retrieverNode(c.retriever()))
                                    .named("weight", c.weight().map(Numbers::format))
                                    .named("normalizer", c.normalizer().map(Keyword::keyword)).node()))
                    .named("rank_window_size", l.rankWindowSize().map(String::valueOf))
                    .named("normalizer", l.normalizer().map(Keyword::keyword))
                    .namedNode("filter", queries(l.filter()))
                    .named("min_score", l.minScore().map(Numbers::format))
                    .named("name", l.name().map(Lexemes::quote))
                    .node();
        };
    }

    /** A pipe chain on one line: {@code standard(q) | RESCORE ltr("m") WINDOW 10 FILTER q}. */
    private static String flatPipes(Retriever.Rescorer rescorer) {
        var pipes = new ArrayList<Retriever.Rescorer>();
        Retriever node = rescorer;
        while (node instanceof Retriever.Rescorer r) {
            pipes.add(r);
            node = r.retriever();
        }
        var out = new StringBuilder();
        flat(retrieverNode(node), out);
        for (int i = pipes.size() - 1; i >= 0; i--) {
            var r = pipes.get(i);
            for (int j = 0; j < r.rescore().size(); j++) {
                out.append(j == 0 ? " | RESCORE " : " RESCORE ");
                flat(rescoreCall(r.rescore().get(j)), out);
                r.rescore().get(j).windowSize().ifPresent(w -> out.append(" WINDOW ").append(w));
            }
            for (var filter : r.filter()) {
                out.append(" FILTER ");
                flat(query(filter), out);
            }
            r.minScore().ifPresent(m -> out.append(" MIN_SCORE ").append(Numbers.format(m)));
            r.name().ifPresent(n -> out.append(" NAME ").append(quote(n)));
        }
        return out.toString();
    }

    /** The fields that a knn retriever and a top-level knn search share, as a call to finish. */
    private static Call knn(String function, String field, QueryVector vector, Optional<Integer> k,
            Optional<Integer> numCandidates, Optional<Float> similarity, List<Query> filter) {
        // A vector stays on one line however long: one number a line would bury the options after it.
        return new Call(function)
                .positional(field(field))
                .positional(new Text(vector.toString()))
                .named("k", k.map(String::valueOf))
                .named("num_candidates", numCandidates.map(String::valueOf))
                .named("similarity", similarity.map(Numbers::format))
                .namedNode("filter", queries(filter));
    }

    private static Node knnSearch(KnnSearch knn) {
        return knn("knn", knn.field(), knn.queryVector(), knn.k(), knn.numCandidates(), knn.similarity(),
                knn.filter())
                .named("boost", knn.boost().map(Numbers::format))
                .named("name", knn.name().map(Lexemes::quote))
                .node();
    }

    private static Node aggregations(Map<String, Aggregation> aggregations) {
        var items = new ArrayList<Node>();
        aggregations.forEach((name, aggregation) -> items.add(new Prefixed(identifierOrString(name) + ": ",
                switch (aggregation) {
                    case Aggregation.Terms t -> new Call("terms")
                            .positional(field(t.field()))
                            .named("size", t.size().map(String::valueOf))
                            .node();
                })));
        return new Group("{", items, "}");
    }

    private static Node standard(Retriever.Standard s) {
        var call = new Call("standard");
        s.query().ifPresent(q -> call.positional(query(q)));
        call.namedNode("filter", queries(s.filter()));
        call.named("min_score", s.minScore().map(Numbers::format));
        call.namedNode("collapse", s.collapse().map(Printer::retrieverCollapse));
        if (!s.sort().isEmpty()) {
            call.namedNode("sort", Optional.of(list(s.sort(), f -> new Text(sortField(f)))));
        }
        if (!s.searchAfter().isEmpty()) {
            call.namedNode("search_after", Optional.of(list(s.searchAfter(), Printer::value)));
        }
        call.named("terminate_after", s.terminateAfter().map(String::valueOf));
        call.named("name", s.name().map(Lexemes::quote));
        return call.node();
    }

    private static String sortField(SortField sort) {
        return identifierOrString(sort.field()) + sort.order().map(o -> " " + o.name()).orElse("");
    }

    static String rescore(Rescore rescore) {
        return rescore(rescore, 0, 0);
    }

    private static String rescore(Rescore rescore, int column, int indent) {
        return render(rescoreCall(rescore), column, indent)
                + rescore.windowSize().map(w -> " WINDOW " + w).orElse("");
    }

    private static Node rescoreCall(Rescore rescore) {
        return switch (rescore) {
            case Rescore.LearningToRank l -> {
                var c = new Call("ltr").positional(quote(l.modelId()));
                if (!l.params().isEmpty()) {
                    c.namedNode("params", Optional.of(map(l.params())));
                }
                yield c.node();
            }
            case Rescore.QueryRescore q -> new Call("query")
                    .positional(query(q.rescoreQuery()))
                    .named("query_weight", q.queryWeight().map(Numbers::format))
                    .named("rescore_query_weight", q.rescoreQueryWeight().map(Numbers::format))
                    .named("score_mode", q.scoreMode().map(Keyword::keyword))
                    .node();
            case Rescore.ScriptRescore s -> script(s.script());
        };
    }

    private static Node script(Script script) {
        var c = new Call("script").positional(quote(script.source()));
        if (!script.params().isEmpty()) {
            c.namedNode("params", Optional.of(map(script.params())));
        }
        return c.named("lang", script.lang().map(Lexemes::identifierOrString)).node();
    }

    static String query(Query query, int column) {
        return render(query(query), column, 0);
    }

    private static Node query(Query query) {
        Call call = switch (query) {
            case Query.Match m -> new Call("match")
                    .positional(field(m.field()))
                    .positional(value(m.query()))
                    .named("operator", m.operator().map(Keyword::keyword))
                    .named("minimum_should_match", m.minimumShouldMatch().map(Printer::textOrInteger))
                    .named("fuzziness", m.fuzziness().map(Printer::textOrInteger))
                    .named("analyzer", m.analyzer().map(Lexemes::identifierOrString))
                    .named("zero_terms_query", m.zeroTermsQuery().map(Keyword::keyword));
            case Query.MultiMatch m -> {
                var c = new Call("multi_match").positional(value(m.query()));
                if (!m.fields().isEmpty()) {
                    c.namedNode("fields", Optional.of(list(m.fields(), f -> new Text(fieldRef(f)))));
                }
                yield c.named("type", m.type().map(Keyword::keyword))
                        .named("tie_breaker", m.tieBreaker().map(Numbers::format))
                        .named("operator", m.operator().map(Keyword::keyword))
                        .named("minimum_should_match", m.minimumShouldMatch().map(Printer::textOrInteger))
                        .named("fuzziness", m.fuzziness().map(Printer::textOrInteger))
                        .named("analyzer", m.analyzer().map(Lexemes::identifierOrString))
                        .named("slop", m.slop().map(String::valueOf))
                        .named("zero_terms_query", m.zeroTermsQuery().map(Keyword::keyword));
            }
            case Query.MatchPhrase m -> new Call("match_phrase")
                    .positional(field(m.field()))
                    .positional(quote(m.query()))
                    .named("slop", m.slop().map(String::valueOf))
                    .named("analyzer", m.analyzer().map(Lexemes::identifierOrString))
                    .named("zero_terms_query", m.zeroTermsQuery().map(Keyword::keyword));
            case Query.MatchPhrasePrefix m -> new Call("match_phrase_prefix")
                    .positional(field(m.field()))
                    .positional(quote(m.query()))
                    .named("slop", m.slop().map(String::valueOf))
                    .named("max_expansions", m.maxExpansions().map(String::valueOf))
                    .named("analyzer", m.analyzer().map(Lexemes::identifierOrString));
            case Query.Term t -> new Call("term")
                    .positional(field(t.field()))
                    .positional(value(t.value()))
                    .named("case_insensitive", t.caseInsensitive().map(String::valueOf));
            case Query.Terms t -> new Call("terms")
                    .positional(field(t.field()))
                    .positional(list(t.values(), Printer::value));
            case Query.Range r -> new Call("range")
                    .positional(field(r.field()))
                    .namedNode("gt", r.gt().map(Printer::value))
                    .namedNode("gte", r.gte().map(Printer::value))
                    .namedNode("lt", r.lt().map(Printer::value))
                    .namedNode("lte", r.lte().map(Printer::value))
                    .named("format", r.format().map(Lexemes::quote))
                    .named("time_zone", r.timeZone().map(Lexemes::quote));
            case Query.Bool b -> new Call("bool")
                    .namedNode("must", queries(b.must()))
                    .namedNode("should", queries(b.should()))
                    .namedNode("filter", queries(b.filter()))
                    .namedNode("must_not", queries(b.mustNot()))
                    .named("minimum_should_match", b.minimumShouldMatch().map(Printer::textOrInteger));
            case Query.Exists e -> new Call("exists").positional(field(e.field()));
            case Query.Ids i -> new Call("ids").positional(list(i.values(), v -> new Text(quote(v))));
            case Query.MatchAll m -> new Call("match_all");
            case Query.MatchNone m -> new Call("match_none");
            case Query.ConstantScore c -> new Call("constant_score").positional(query(c.filter()));
            case Query.DisMax d -> new Call("dis_max")
                    .positional(list(d.queries(), Printer::query))
                    .named("tie_breaker", d.tieBreaker().map(Numbers::format));
            case Query.Prefix p -> new Call("prefix")
                    .positional(field(p.field()))
                    .positional(quote(p.value()))
                    .named("case_insensitive", p.caseInsensitive().map(String::valueOf));
            case Query.Wildcard w -> new Call("wildcard")
                    .positional(field(w.field()))
                    .positional(quote(w.value()))
                    .named("case_insensitive", w.caseInsensitive().map(String::valueOf));
            case Query.Fuzzy f -> new Call("fuzzy")
                    .positional(field(f.field()))
                    .positional(value(f.value()))
                    .named("fuzziness", f.fuzziness().map(Printer::textOrInteger))
                    .named("prefix_length", f.prefixLength().map(String::valueOf))
                    .named("max_expansions", f.maxExpansions().map(String::valueOf))
                    .named("transpositions", f.transpositions().map(String::valueOf));
            case Query.RankFeature r -> {
                var c = new Call("rank_feature").positional(field(r.field()));
                r.function().ifPresent(f -> c.positional(rankFeatureFunction(f)));
                yield c;
            }
            case Query.ScriptScore s -> new Call("script_score")
                    .positional(query(s.query()))
                    .positional(s.script().lang().isEmpty() && s.script().params().isEmpty()
                            ? new Text(quote(s.script().source()))
                            : script(s.script()))
                    .named("min_score", s.minScore().map(Numbers::format));
        };
        return call.named("boost", query.boost().map(Numbers::format))
                .named("name", query.name().map(Lexemes::quote))
                .node();
    }

    private static Node rankFeatureFunction(RankFeatureFunction function) {
        return switch (function) {
            case RankFeatureFunction.Saturation s -> new Call("saturation")
                    .named("pivot", s.pivot().map(Numbers::format))
                    .node();
            case RankFeatureFunction.Log l -> new Call("log")
                    .named("scaling_factor", Optional.of(Numbers.format(l.scalingFactor())))
                    .node();
            case RankFeatureFunction.Sigmoid s -> new Call("sigmoid")
                    .named("pivot", Optional.of(Numbers.format(s.pivot())))
                    .named("exponent", Optional.of(Numbers.format(s.exponent())))
                    .node();
            case RankFeatureFunction.Linear l -> new Call("linear").node();
        };
    }

    /** One query bare, several as a list, none as nothing. */
    private static Optional<Node> queries(List<Query> queries) {
        return switch (queries.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(query(queries.getFirst()));
            default -> Optional.of(list(queries, Printer::query));
        };
    }

    /**
     * Options that Elasticsearch reads as a number or a string ({@code minimum_should_match}, {@code fuzziness}): a
     * whole number bare, since the parser keeps a number's text as written, else as a name or string.
     */
    private static String textOrInteger(String text) {
        return isSmallInteger(text) ? text : identifierOrString(text);
    }

    /** Whether {@code text} is an integer of at most nine digits, without a leading zero: -?(0|[1-9][0-9]{0,8}). */
    private static boolean isSmallInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 9 || (text.charAt(start) == '0' && digits > 1)) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String field(String field) {
        return identifierOrString(field);
    }

    private static String fieldRef(FieldRef ref) {
        return identifierOrString(ref.field()) + ref.boost().map(b -> "^" + Numbers.format(b)).orElse("");
    }

    private static Node value(Value value) {
        return switch (value) {
            case Value.Null n -> new Text("null");
            case Value.Bool b -> new Text(Boolean.toString(b.value()));
            case Value.Int i -> new Text(Long.toString(i.value()));
            case Value.Dbl d -> new Text(Numbers.format(d.value()));
            case Value.Str s -> new Text(quote(s.value()));
            case Value.Arr a -> list(a.values(), Printer::value);
            case Value.Obj o -> map(o.entries());
        };
    }

    private static Node map(Map<String, Value> entries) {
        var items = new ArrayList<Node>();
        entries.forEach((k, v) -> items.add(new Prefixed(identifierOrString(k) + ": ", value(v))));
        return new Group("{", items, "}");
    }

    private static <T> Node list(List<T> items, Function<T, Node> print) {
        return new Group("[", items.stream().map(print).toList(), "]");
    }

    private static <T> String join(List<T> items, Function<T, String> print, String separator) {
        var out = new StringJoiner(separator);
        items.forEach(i -> out.add(print.apply(i)));
        return out.toString();
    }

    /** A function call being printed: positional arguments first, then the named ones that are set. */
    private static final class Call {
        private final String function;
        private final List<Node> arguments = new ArrayList<>();

        Call(String function) {
            this.function = function;
        }

        Call positional(Node argument) {
            arguments.add(argument);
            return this;
        }

        Call positional(String argument) {
            return positional(new Text(argument));
        }

        Call named(String name, Optional<String> argument) {
            argument.ifPresent(a -> arguments.add(new Prefixed(name + ": ", new Text(a))));
            return this;
        }

        Call namedNode(String name, Optional<Node> argument) {
            argument.ifPresent(a -> arguments.add(new Prefixed(name + ": ", a)));
            return this;
        }

        Node node() {
            return new Group(function + "(", arguments, ")");
        }
    }

    /**
     * Layout: a piece of text, a prefix before a node, or a bracketed, comma-separated group that may break. Each
     * node knows its one-line width, so that choosing a layout never renders a sub-tree just to measure it.
     */
    private sealed interface Node permits Text, Prefixed, Group {
        /** The length of the node's one-line text. */
        int width();
    }

    private record Text(String text) implements Node {
        @Override
        public int width() {
            return text.length();
        }
    }

    private record Prefixed(String prefix, Node node, int width) implements Node {
        Prefixed(String prefix, Node node) {
            this(prefix, node, prefix.length() + node.width());
        }
    }

    private record Group(String open, List<Node> items, String close, int width) implements Node {
        Group(String open, List<Node> items, String close) {
            this(open, items, close, open.length() + close.length() + itemsWidth(items));
        }

        private static int itemsWidth(List<Node> items) {
            int width = 2 * Math.max(0, items.size() - 1);
            for (Node item : items) {
                width += item.width();
            }
            return width;
        }
    }

    /** Appends the node on one line, items separated by a comma and a space. */
    private static void flat(Node node, StringBuilder out) {
        switch (node) {
            case Text t -> out.append(t.text());
            case Prefixed p -> {
                out.append(p.prefix());
                flat(p.node(), out);
            }
            case Group g -> {
                out.append(g.open());
                for (int i = 0; i < g.items().size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    flat(g.items().get(i), out);
                }
                out.append(g.close());
            }
        }
    }

    /** A node on one line if it fits within {@link #WIDTH} from {@code column}, else its groups one item a line. */
    private static String render(Node node, int column, int indent) {
        var out = new StringBuilder(Math.min(node.width() + 16, 1 << 16));
        render(node, column, indent, out);
        return out.toString();
    }

    private static void render(Node node, int column, int indent, StringBuilder out) {
        if (column + node.width() <= WIDTH) {
            flat(node, out);
            return;
        }
        switch (node) {
            case Text t -> out.append(t.text());
            case Prefixed p -> {
                out.append(p.prefix());
                render(p.node(), column + p.prefix().length(), indent, out);
            }
            case Group g when g.items().isEmpty() -> flat(g, out);
            case Group g -> {
                out.append(g.open()).append('\n');
                for (int i = 0; i < g.items().size(); i++) {
                    out.repeat(' ', indent + 2);
                    render(g.items().get(i), indent + 2, indent + 2, out);
                    out.append(i + 1 < g.items().size() ? ",\n" : "\n");
                }
                out.repeat(' ', indent).append(g.close());
            }
        }
    }
}
