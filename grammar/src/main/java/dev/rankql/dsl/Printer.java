package dev.rankql.dsl;

import static dev.rankql.dsl.Lexemes.identifierOrString;
import static dev.rankql.dsl.Lexemes.quote;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Keyword;
import dev.rankql.ast.Numbers;
import dev.rankql.ast.Query;
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
 * The canonical DSL text of a tree: one clause per line, each rescorer pipe on its own indented line, every query on
 * one line, options in a fixed order and unset options left out.
 */
final class Printer {

    private static final String PIPE_INDENT = "  ";
    private static final String OPTION_INDENT = "    ";

    private Printer() {}

    static String request(SearchRequest r) {
        var lines = new ArrayList<String>();
        r.index().ifPresent(i -> lines.add("FROM " + identifierOrString(i)));
        r.retriever().ifPresent(t -> lines.add("RETRIEVE " + retriever(t)));
        r.query().ifPresent(q -> {
            var text = new StringBuilder("QUERY ").append(query(q));
            r.rescore().forEach(s -> text.append('\n').append(PIPE_INDENT).append("RESCORE ").append(rescore(s)));
            lines.add(text.toString());
        });
        if (r.query().isEmpty()) {
            r.rescore().forEach(s -> lines.add("RESCORE " + rescore(s)));
        }
        r.from().ifPresent(f -> lines.add("OFFSET " + f));
        r.size().ifPresent(s -> lines.add("SIZE " + s));
        r.minScore().ifPresent(m -> lines.add("MIN_SCORE " + Numbers.format(m)));
        if (!r.sort().isEmpty()) {
            lines.add("SORT " + join(r.sort(), Printer::sortField, ", "));
        }
        if (!r.searchAfter().isEmpty()) {
            lines.add("SEARCH_AFTER " + list(r.searchAfter(), Printer::value));
        }
        r.collapse().ifPresent(c -> lines.add("COLLAPSE " + identifierOrString(c.field())));
        r.source().ifPresent(s -> lines.add("SOURCE " + source(s)));
        r.trackTotalHits().ifPresent(t -> lines.add("TRACK_TOTAL_HITS " + switch (t) {
            case TrackTotalHits.Flag f -> Boolean.toString(f.enabled());
            case TrackTotalHits.UpTo u -> Integer.toString(u.limit());
        }));
        r.terminateAfter().ifPresent(t -> lines.add("TERMINATE_AFTER " + t));
        r.explain().ifPresent(e -> lines.add(e ? "EXPLAIN" : "EXPLAIN false"));
        r.profile().ifPresent(p -> lines.add(p ? "PROFILE" : "PROFILE false"));
        if (!r.ext().isEmpty()) {
            lines.add("EXT " + map(r.ext()));
        }
        return String.join("\n", lines);
    }

    private static String source(SourceFilter source) {
        return switch (source) {
            case SourceFilter.Fetch f -> Boolean.toString(f.enabled());
            case SourceFilter.Fields f when f.excludes().isEmpty() -> list(f.includes(), Lexemes::identifierOrString);
            case SourceFilter.Fields f -> {
                var entries = new StringJoiner(", ", "{", "}");
                if (!f.includes().isEmpty()) {
                    entries.add("includes: " + list(f.includes(), Lexemes::identifierOrString));
                }
                entries.add("excludes: " + list(f.excludes(), Lexemes::identifierOrString));
                yield entries.toString();
            }
        };
    }

    /** A pipe chain is printed from its innermost retriever outwards, without recursion. */
    static String retriever(Retriever retriever) {
        var pipes = new ArrayList<Retriever.Rescorer>();
        Retriever node = retriever;
        while (node instanceof Retriever.Rescorer r) {
            pipes.add(r);
            node = r.retriever();
        }
        var out = new StringBuilder(switch (node) {
            case Retriever.Standard s -> standard(s);
            case Retriever.Rescorer r -> throw new IllegalStateException("unreachable: the loop unwrapped it");
        });
        for (int i = pipes.size() - 1; i >= 0; i--) {
            var r = pipes.get(i);
            out.append('\n').append(PIPE_INDENT).append("| RESCORE ").append(rescore(r.rescore().getFirst()));
            for (var more : r.rescore().subList(1, r.rescore().size())) {
                out.append('\n').append(OPTION_INDENT).append("RESCORE ").append(rescore(more));
            }
            for (var filter : r.filter()) {
                out.append('\n').append(OPTION_INDENT).append("FILTER ").append(query(filter));
            }
            r.minScore().ifPresent(m -> out.append('\n').append(OPTION_INDENT).append("MIN_SCORE ")
                    .append(Numbers.format(m)));
            r.name().ifPresent(n -> out.append('\n').append(OPTION_INDENT).append("NAME ").append(quote(n)));
        }
        return out.toString();
    }

    private static String standard(Retriever.Standard s) {
        var call = new Call("standard");
        s.query().ifPresent(q -> call.positional(query(q)));
        call.named("filter", queries(s.filter()));
        call.named("min_score", s.minScore().map(Numbers::format));
        call.named("collapse", s.collapse().map(Collapse::field).map(Lexemes::identifierOrString));
        if (!s.sort().isEmpty()) {
            call.named("sort", Optional.of(list(s.sort(), Printer::sortField)));
        }
        if (!s.searchAfter().isEmpty()) {
            call.named("search_after", Optional.of(list(s.searchAfter(), Printer::value)));
        }
        call.named("terminate_after", s.terminateAfter().map(String::valueOf));
        call.named("name", s.name().map(Lexemes::quote));
        return call.toString();
    }

    private static String sortField(SortField sort) {
        return identifierOrString(sort.field()) + sort.order().map(o -> " " + o.name()).orElse("");
    }

    static String rescore(Rescore rescore) {
        String call = switch (rescore) {
            case Rescore.LearningToRank l -> {
                var c = new Call("ltr").positional(quote(l.modelId()));
                if (!l.params().isEmpty()) {
                    c.named("params", Optional.of(map(l.params())));
                }
                yield c.toString();
            }
            case Rescore.QueryRescore q -> new Call("query")
                    .positional(query(q.rescoreQuery()))
                    .named("query_weight", q.queryWeight().map(Numbers::format))
                    .named("rescore_query_weight", q.rescoreQueryWeight().map(Numbers::format))
                    .named("score_mode", q.scoreMode().map(Keyword::keyword))
                    .toString();
            case Rescore.ScriptRescore s -> script(s.script());
        };
        return call + rescore.windowSize().map(w -> " WINDOW " + w).orElse("");
    }

    private static String script(Script script) {
        var c = new Call("script").positional(quote(script.source()));
        if (!script.params().isEmpty()) {
            c.named("params", Optional.of(map(script.params())));
        }
        return c.named("lang", script.lang().map(Lexemes::identifierOrString)).toString();
    }

    static String query(Query query) {
        Call call = switch (query) {
            case Query.Match m -> new Call("match")
                    .positional(field(m.field()))
                    .positional(value(m.query()))
                    .named("operator", m.operator().map(Keyword::keyword))
                    .named("minimum_should_match", m.minimumShouldMatch().map(Lexemes::identifierOrString))
                    .named("fuzziness", m.fuzziness().map(Lexemes::identifierOrString))
                    .named("analyzer", m.analyzer().map(Lexemes::identifierOrString))
                    .named("zero_terms_query", m.zeroTermsQuery().map(Keyword::keyword));
            case Query.MultiMatch m -> {
                var c = new Call("multi_match").positional(value(m.query()));
                if (!m.fields().isEmpty()) {
                    c.named("fields", Optional.of(list(m.fields(), Printer::fieldRef)));
                }
                yield c.named("type", m.type().map(Keyword::keyword))
                        .named("tie_breaker", m.tieBreaker().map(Numbers::format))
                        .named("operator", m.operator().map(Keyword::keyword))
                        .named("minimum_should_match", m.minimumShouldMatch().map(Lexemes::identifierOrString))
                        .named("fuzziness", m.fuzziness().map(Lexemes::identifierOrString))
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
                    .named("gt", r.gt().map(Printer::value))
                    .named("gte", r.gte().map(Printer::value))
                    .named("lt", r.lt().map(Printer::value))
                    .named("lte", r.lte().map(Printer::value))
                    .named("format", r.format().map(Lexemes::quote))
                    .named("time_zone", r.timeZone().map(Lexemes::quote));
            case Query.Bool b -> new Call("bool")
                    .named("must", queries(b.must()))
                    .named("should", queries(b.should()))
                    .named("filter", queries(b.filter()))
                    .named("must_not", queries(b.mustNot()))
                    .named("minimum_should_match", b.minimumShouldMatch().map(Lexemes::identifierOrString));
            case Query.Exists e -> new Call("exists").positional(field(e.field()));
            case Query.Ids i -> new Call("ids").positional(list(i.values(), Lexemes::quote));
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
                    .named("fuzziness", f.fuzziness().map(Lexemes::identifierOrString))
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
                            ? quote(s.script().source())
                            : script(s.script()))
                    .named("min_score", s.minScore().map(Numbers::format));
        };
        return call.named("boost", query.boost().map(Numbers::format))
                .named("name", query.name().map(Lexemes::quote))
                .toString();
    }

    private static String rankFeatureFunction(RankFeatureFunction function) {
        return switch (function) {
            case RankFeatureFunction.Saturation s -> new Call("saturation")
                    .named("pivot", s.pivot().map(Numbers::format))
                    .toString();
            case RankFeatureFunction.Log l -> new Call("log")
                    .named("scaling_factor", Optional.of(Numbers.format(l.scalingFactor())))
                    .toString();
            case RankFeatureFunction.Sigmoid s -> new Call("sigmoid")
                    .named("pivot", Optional.of(Numbers.format(s.pivot())))
                    .named("exponent", Optional.of(Numbers.format(s.exponent())))
                    .toString();
            case RankFeatureFunction.Linear l -> "linear()";
        };
    }

    /** One query bare, several as a list, none as nothing. */
    private static Optional<String> queries(List<Query> queries) {
        return switch (queries.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(query(queries.getFirst()));
            default -> Optional.of(list(queries, Printer::query));
        };
    }

    private static String field(String field) {
        return identifierOrString(field);
    }

    private static String fieldRef(FieldRef ref) {
        return identifierOrString(ref.field()) + ref.boost().map(b -> "^" + Numbers.format(b)).orElse("");
    }

    static String value(Value value) {
        return switch (value) {
            case Value.Null n -> "null";
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Int i -> Long.toString(i.value());
            case Value.Dbl d -> Numbers.format(d.value());
            case Value.Str s -> quote(s.value());
            case Value.Arr a -> list(a.values(), Printer::value);
            case Value.Obj o -> map(o.entries());
        };
    }

    private static String map(Map<String, Value> entries) {
        var out = new StringJoiner(", ", "{", "}");
        entries.forEach((k, v) -> out.add(identifierOrString(k) + ": " + value(v)));
        return out.toString();
    }

    private static <T> String list(List<T> items, Function<T, String> print) {
        return "[" + join(items, print, ", ") + "]";
    }

    private static <T> String join(List<T> items, Function<T, String> print, String separator) {
        var out = new StringJoiner(separator);
        items.forEach(i -> out.add(print.apply(i)));
        return out.toString();
    }

    /** A function call being printed: positional arguments first, then the named ones that are set. */
    private static final class Call {
        private final String function;
        private final List<String> arguments = new ArrayList<>();

        Call(String function) {
            this.function = function;
        }

        Call positional(String argument) {
            arguments.add(argument);
            return this;
        }

        Call named(String name, Optional<String> argument) {
            argument.ifPresent(a -> arguments.add(name + ": " + a));
            return this;
        }

        @Override
        public String toString() {
            return function + "(" + String.join(", ", arguments) + ")";
        }
    }
}
