package dev.rankql.engine.search;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Value;
import dev.rankql.ast.ZeroTermsQuery;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Analyzers;
import dev.rankql.engine.mapping.DateFormats;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.NumberType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.automaton.RegExp;

/**
 * Compiles AST queries into Lucene queries with Elasticsearch's semantics, against one index's mappings and reader.
 *
 * <p>A compiler is used for one request; it records the {@code _name}d queries it meets for {@code matched_queries}.
 */
public final class QueryCompiler {

    private static final int DEFAULT_MAX_EXPANSIONS = 50;

    private final IndexView index;
    private final IndexReader reader;
    private final Map<String, org.apache.lucene.search.Query> named = new LinkedHashMap<>();
    private final CompiledQueries cache;
    /** Cleared when the compilation under way reads the index or the clock, or records a name: not to be cached. */
    private boolean cacheable;

    public QueryCompiler(IndexView index, IndexReader reader) {
        this(index, reader, null);
    }

    /** A compiler whose {@link #compileCached} reuses and fills {@code cache} (null: no cache). */
    public QueryCompiler(IndexView index, IndexReader reader, CompiledQueries cache) {
        this.index = index;
        this.reader = reader;
        this.cache = cache;
    }

    /**
     * {@link #compile}, reusing the cache's compilation of an equal query; a compilation is cached only when it
     * depends on nothing but the query and the mappings.
     */
    public org.apache.lucene.search.Query compileCached(Query query) {
        if (cache == null) {
            return compile(query);
        }
        var cached = cache.get(query);
        if (cached != null) {
            return cached;
        }
        cacheable = true;
        var compiled = compile(query);
        if (cacheable) {
            cache.put(query, compiled);
        }
        return compiled;
    }

    /** The queries compiled so far that carried a {@code _name}, by name. */
    public Map<String, org.apache.lucene.search.Query> namedQueries() {
        return named;
    }

    /** Records {@code query} under {@code name} for the hits' {@code matched_queries}, and returns it. */
    public org.apache.lucene.search.Query named(String name, org.apache.lucene.search.Query query) {
        named.put(name, query);
        return query;
    }

    /** Compiles {@code query}; throws {@link EngineException} for queries that cannot run on this index. */
    public org.apache.lucene.search.Query compile(Query query) {
        org.apache.lucene.search.Query compiled;
        try {
            compiled = compileInner(FieldAliases.resolve(query, index));
        } catch (EngineException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw EngineException.queryShard(index.name(), "failed to create query: " + e.getMessage());
        }
        var boosted = query.boost().filter(b -> b != 1f && !(compiled instanceof MatchNoDocsQuery))
                .<org.apache.lucene.search.Query>map(b -> new BoostQuery(compiled, b))
                .orElse(compiled);
        if (query.name().isPresent()) {
            named.put(query.name().get(), boosted);
            cacheable = false;
        }
        return boosted;
    }

    private org.apache.lucene.search.Query compileInner(Query query) {
        return switch (query) {
            case Query.Match m -> match(m);
            case Query.MultiMatch m -> multiMatch(m);
            case Query.MatchPhrase m -> phrase(m.field(), m.query(), m.slop().orElse(0), m.analyzer(),
                    m.zeroTermsQuery().orElse(ZeroTermsQuery.NONE));
            case Query.MatchPhrasePrefix m -> phrasePrefix(m.field(), m.query(), m.slop().orElse(0),
                    m.maxExpansions().orElse(DEFAULT_MAX_EXPANSIONS), m.analyzer());
            case Query.Term t -> term(t.field(), t.value(), t.caseInsensitive().orElse(false));
            case Query.Terms t -> terms(t);
            case Query.Range r -> range(r);
            case Query.Bool b -> bool(b);
            case Query.Exists e -> exists(e.field());
            case Query.Ids ids -> ids.values().isEmpty()
                    ? new MatchNoDocsQuery("no ids")
                    : new ConstantScoreQuery(new TermInSetQuery(FieldNames.ID, ids.values().stream().map(BytesRef::new).toList()));
            case Query.MatchAll m -> MatchAllDocsQuery.INSTANCE;
            case Query.MatchNone m -> MatchNoDocsQuery.INSTANCE;
            case Query.ConstantScore c -> new ConstantScoreQuery(compile(c.filter()));
            case Query.DisMax d -> new DisjunctionMaxQuery(d.queries().stream().map(this::compile).toList(), d.tieBreaker().orElse(0f));
            case Query.Prefix p -> prefix(p);
            case Query.Wildcard w -> wildcard(w);
            case Query.Fuzzy f -> fuzzy(f);
            case Query.RankFeature r -> {
                // A saturation without a pivot reads the index's statistics.
                cacheable = false;
                yield rankFeature(r);
            }
            case Query.ScriptScore s -> {
                cacheable = false;
                yield scriptScore(s);
            }
        };
    }

    private FieldMapping mapping(String field) {
        return index.fields().get(field);
    }

    private static String text(Value value) {
        return switch (value) {
            case Value.Str s -> s.value();
            case Value.Int i -> Long.toString(i.value());
            case Value.Dbl d -> dev.rankql.ast.Numbers.format(d.value());
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Null n -> "null";
            case Value.Arr a -> a.toString();
            case Value.Obj o -> o.toString();
        };
    }

    private Analyzer searchAnalyzer(FieldMapping.Text text, Optional<String> override) {
        var name = override.orElse(text.queryAnalyzer());
        return Analyzers.get(name).orElseThrow(() -> EngineException.queryShard(index.name(),
                "[match] analyzer [" + name + "] not found"));
    }

    private org.apache.lucene.search.Query zeroTerms(ZeroTermsQuery zeroTerms) {
        return zeroTerms == ZeroTermsQuery.ALL ? MatchAllDocsQuery.INSTANCE : new MatchNoDocsQuery("Matching no documents because no terms present");
    }

    private org.apache.lucene.search.Query match(Query.Match m) {
        var q = matchField(m.field(), text(m.query()), m.query(), m.operator().orElse(Operator.OR),
                m.minimumShouldMatch(), m.fuzziness(), m.analyzer());
        return q == null ? zeroTerms(m.zeroTermsQuery().orElse(ZeroTermsQuery.NONE)) : q;
    }

    /** The match query of one field, or null when analysis leaves no terms. */
    private org.apache.lucene.search.Query matchField(
            String field, String text, Value raw, Operator operator, Optional<String> msm, Optional<String> fuzziness,
            Optional<String> analyzer) {
        var mapping = mapping(field);
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + field + "]");
        }
        if (!(mapping instanceof FieldMapping.Text t)) {
            if (fuzziness.isPresent() && mapping instanceof FieldMapping.Keyword) {
                return fuzzyQuery(new Term(field, text), fuzziness.get(), 0, DEFAULT_MAX_EXPANSIONS, true);
            }
            return termQuery(field, mapping, raw, false);
        }
        var builder = new FuzzyAwareBuilder(searchAnalyzer(t, analyzer), fuzziness);
        var occur = operator == Operator.AND ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD;
        var q = builder.createBooleanQuery(field, text, occur);
        if (q == null) {
            return null;
        }
        return msm.map(spec -> applyMinimumShouldMatch(q, spec)).orElse(q);
    }

    private static org.apache.lucene.search.Query applyMinimumShouldMatch(org.apache.lucene.search.Query q, String spec) {
        if (!(q instanceof BooleanQuery bq)) {
            return q;
        }
        int optional = 0;
        for (var clause : bq.clauses()) {
            if (clause.occur() == BooleanClause.Occur.SHOULD) {
                optional++;
            }
        }
        int msm = MinimumShouldMatch.calculate(optional, spec);
        if (msm <= 0) {
            return q;
        }
        var builder = new BooleanQuery.Builder();
        bq.clauses().forEach(builder::add);
        builder.setMinimumNumberShouldMatch(msm);
        return builder.build();
    }

    /** Builds term queries, or fuzzy ones when the match query asked for fuzziness. */
    private static final class FuzzyAwareBuilder extends QueryBuilder {
        private final Optional<String> fuzziness;

        FuzzyAwareBuilder(Analyzer analyzer, Optional<String> fuzziness) {
            super(analyzer);
            this.fuzziness = fuzziness;
        }

        @Override
        protected org.apache.lucene.search.Query newTermQuery(Term term, float boost) {
            if (fuzziness.isPresent()) {
                return fuzzyQuery(term, fuzziness.get(), 0, DEFAULT_MAX_EXPANSIONS, true);
            }
            return super.newTermQuery(term, boost);
        }
    }

    /** Elasticsearch's fuzziness: {@code 0}, {@code 1}, {@code 2} or {@code AUTO[:low,high]} (default 3 and 6). */
    static int editDistance(String fuzziness, String term) {
        var spec = fuzziness.trim().toUpperCase(java.util.Locale.ROOT);
        if (spec.startsWith("AUTO")) {
            int low = 3;
            int high = 6;
            if (spec.startsWith("AUTO:")) {
                var parts = spec.substring(5).split(",");
                low = Integer.parseInt(parts[0].trim());
                high = Integer.parseInt(parts[1].trim());
            }
            int length = term.codePointCount(0, term.length());
            return length < low ? 0 : length < high ? 1 : 2;
        }
        try {
            float value = Float.parseFloat(spec);
            return Math.min(2, (int) value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid fuzziness [" + fuzziness + "]");
        }
    }

    private static org.apache.lucene.search.Query fuzzyQuery(
            Term term, String fuzziness, int prefixLength, int maxExpansions, boolean transpositions) {
        int edits = editDistance(fuzziness, term.text());
        if (edits == 0) {
            return new TermQuery(term);
        }
        return new FuzzyQuery(term, edits, prefixLength, maxExpansions, transpositions);
    }

    private org.apache.lucene.search.Query multiMatch(Query.MultiMatch m) {
        var type = m.type().orElse(MultiMatchType.BEST_FIELDS);
        var fields = expandFields(m.fields());
        var text = text(m.query());
        var operator = m.operator().orElse(Operator.OR);
        var zeroTerms = m.zeroTermsQuery().orElse(ZeroTermsQuery.NONE);
        float tieBreaker = m.tieBreaker().orElse(type == MultiMatchType.MOST_FIELDS ? 1f : 0f);
        if (type == MultiMatchType.CROSS_FIELDS) {
            cacheable = false;
            var q = CrossFields.build(this, reader, fields, text, operator, m.minimumShouldMatch(), m.analyzer(), tieBreaker);
            return q == null ? zeroTerms(zeroTerms) : q;
        }
        var perField = new ArrayList<org.apache.lucene.search.Query>();
        for (var field : fields) {
            org.apache.lucene.search.Query q = switch (type) {
                case BEST_FIELDS, MOST_FIELDS, CROSS_FIELDS -> matchField(field.field(), text, m.query(), operator,
                        m.minimumShouldMatch(), m.fuzziness(), m.analyzer());
                case PHRASE -> phraseOrNull(field.field(), text, m.slop().orElse(0), m.analyzer());
                case PHRASE_PREFIX -> phrasePrefix(field.field(), text, m.slop().orElse(0), DEFAULT_MAX_EXPANSIONS, m.analyzer());
                case BOOL_PREFIX -> throw EngineException.queryShard(index.name(),
                        "rankql does not support multi_match type [bool_prefix]");
            };
            if (q == null) {
                continue;
            }
            var boost = field.boost().orElse(1f);
            perField.add(boost == 1f ? q : new BoostQuery(q, boost));
        }
        if (perField.isEmpty()) {
            return zeroTerms(zeroTerms);
        }
        if (perField.size() == 1) {
            return perField.get(0);
        }
        return new DisjunctionMaxQuery(perField, tieBreaker);
    }

    /** Field names with wildcards expanded over the mapped fields; no fields means every text and keyword field. */
    List<FieldRef> expandFields(List<FieldRef> fields) {
        return FieldAliases.expand(fields, index);
    }

    /** The search analyzer of a text field, or null for other fields. */
    Analyzer analyzerFor(String field, Optional<String> override) {
        return mapping(field) instanceof FieldMapping.Text t ? searchAnalyzer(t, override) : null;
    }

    IndexView index() {
        return index;
    }

    private org.apache.lucene.search.Query phrase(String field, String text, int slop, Optional<String> analyzer, ZeroTermsQuery zero) {
        var q = phraseOrNull(field, text, slop, analyzer);
        return q == null ? zeroTerms(zero) : q;
    }

    private org.apache.lucene.search.Query phraseOrNull(String field, String text, int slop, Optional<String> analyzer) {
        var mapping = mapping(field);
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + field + "]");
        }
        if (!(mapping instanceof FieldMapping.Text t)) {
            return termQuery(field, mapping, new Value.Str(text), false);
        }
        return new QueryBuilder(searchAnalyzer(t, analyzer)).createPhraseQuery(field, text, slop);
    }

    private org.apache.lucene.search.Query phrasePrefix(String field, String text, int slop, int maxExpansions, Optional<String> analyzer) {
        // The last word's expansions come from the index's terms.
        cacheable = false;
        var mapping = mapping(field);
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + field + "]");
        }
        if (!(mapping instanceof FieldMapping.Text t)) {
            return new PrefixQuery(new Term(field, text));
        }
        var positions = new ArrayList<List<Term>>();
        var positionNumbers = new ArrayList<Integer>();
        try (TokenStream stream = searchAnalyzer(t, analyzer).tokenStream(field, text)) {
            var termAtt = stream.addAttribute(TermToBytesRefAttribute.class);
            var posAtt = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            int position = -1;
            while (stream.incrementToken()) {
                int increment = posAtt.getPositionIncrement();
                var term = new Term(field, BytesRef.deepCopyOf(termAtt.getBytesRef()));
                if (increment == 0 && !positions.isEmpty()) {
                    positions.get(positions.size() - 1).add(term);
                } else {
                    position += Math.max(increment, 1);
                    positions.add(new ArrayList<>(List.of(term)));
                    positionNumbers.add(position);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (positions.isEmpty()) {
            return null;
        }
        var last = positions.get(positions.size() - 1);
        var expanded = new ArrayList<Term>();
        try {
            var terms = MultiTerms.getTerms(reader, field);
            if (terms != null) {
                for (var prefixTerm : last) {
                    var termsEnum = terms.iterator();
                    var prefix = prefixTerm.bytes();
                    if (termsEnum.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
                        continue;
                    }
                    do {
                        var candidate = termsEnum.term();
                        if (!org.apache.lucene.util.StringHelper.startsWith(candidate, prefix)) {
                            break;
                        }
                        expanded.add(new Term(field, BytesRef.deepCopyOf(candidate)));
                    } while (expanded.size() < maxExpansions && termsEnum.next() != null);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (expanded.isEmpty()) {
            return new MatchNoDocsQuery("No terms supplied for phrase prefix");
        }
        var builder = new MultiPhraseQuery.Builder();
        builder.setSlop(slop);
        for (int i = 0; i < positions.size() - 1; i++) {
            builder.add(positions.get(i).toArray(Term[]::new), positionNumbers.get(i));
        }
        builder.add(expanded.toArray(Term[]::new), positionNumbers.get(positionNumbers.size() - 1));
        return builder.build();
    }

    private org.apache.lucene.search.Query term(String field, Value value, boolean caseInsensitive) {
        if (field.equals(FieldNames.ID)) {
            return new ConstantScoreQuery(new TermQuery(new Term(FieldNames.ID, text(value))));
        }
        var mapping = mapping(field);
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + field + "]");
        }
        return termQuery(field, mapping, value, caseInsensitive);
    }

    /** An exact-value query: a scored term for strings and booleans, a constant-score point query for numbers. */
    private org.apache.lucene.search.Query termQuery(String field, FieldMapping mapping, Value value, boolean caseInsensitive) {
        return switch (mapping) {
            case FieldMapping.Text t -> caseInsensitive ? caseInsensitiveTerm(field, text(value)) : new TermQuery(new Term(field, text(value)));
            case FieldMapping.Keyword k -> caseInsensitive ? caseInsensitiveTerm(field, text(value)) : new TermQuery(new Term(field, text(value)));
            case FieldMapping.Bool b -> new TermQuery(new Term(field, parseBoolean(value) ? "T" : "F"));
            case FieldMapping.Numeric n -> {
                if (n.type().isDecimal()) {
                    yield DoublePoint.newExactQuery(field, n.type().round(parseDouble(value)));
                }
                double d = parseDouble(value);
                if (d != Math.rint(d)) {
                    yield new MatchNoDocsQuery("value [" + text(value) + "] has a decimal part");
                }
                yield LongPoint.newExactQuery(field, wholeInRange(d, n.type(), text(value)));
            }
            case FieldMapping.Date d -> LongPoint.newExactQuery(field, parseDate(value, d.format()));
            case FieldMapping.RankFeature r -> throw new IllegalArgumentException(
                    "[rank_feature] fields do not support [term] queries");
            case FieldMapping.RankFeatures r -> throw new IllegalArgumentException(
                    "[rank_features] fields do not support [term] queries");
            case FieldMapping.DenseVector v -> throw new IllegalArgumentException(
                    "[dense_vector] fields do not support term queries");
            case FieldMapping.ObjectMapping o -> new MatchNoDocsQuery("object field [" + field + "]");
        };
    }

    private static org.apache.lucene.search.Query caseInsensitiveTerm(String field, String value) {
        var escaped = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                escaped.append(c);
            } else {
                escaped.append('\\').append(c);
            }
        }
        return new RegexpQuery(new Term(field, escaped.toString()), RegExp.NONE, RegExp.CASE_INSENSITIVE,
                org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
    }

    private static long wholeInRange(double value, NumberType type, String original) {
        if (value < type.min() || value > type.max()) {
            throw new IllegalArgumentException("Value [" + original + "] is out of range for " + (type == NumberType.INTEGER ? "an " : "a ") + type.typeName());
        }
        return (long) value;
    }

    private static double parseDouble(Value value) {
        return switch (value) {
            case Value.Int i -> i.value();
            case Value.Dbl d -> d.value();
            case Value.Str s -> {
                try {
                    yield Double.parseDouble(s.value().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("For input string: \"" + s.value() + "\"");
                }
            }
            case Value.Bool b -> throw new IllegalArgumentException("Can't parse boolean value [" + b.value() + "], expected a number");
            case Value.Null n -> throw new IllegalArgumentException("value cannot be null");
            case Value.Arr a -> throw new IllegalArgumentException("value must be a number, found an array");
            case Value.Obj o -> throw new IllegalArgumentException("value must be a number, found an object");
        };
    }

    private static boolean parseBoolean(Value value) {
        var text = text(value);
        return switch (text) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException("Can't parse boolean value [" + text + "], expected [true] or [false]");
        };
    }

    private long parseDate(Value value, String format) {
        if (value instanceof Value.Int i) {
            return i.value();
        }
        var text = text(value);
        if (text.equals("now")) {
            cacheable = false;
            return System.currentTimeMillis();
        }
        return DateFormats.parse(format, text);
    }

    private org.apache.lucene.search.Query terms(Query.Terms t) {
        if (t.values().isEmpty()) {
            return new MatchNoDocsQuery("no terms");
        }
        var mapping = mapping(t.field());
        if (t.field().equals(FieldNames.ID)) {
            return new ConstantScoreQuery(new TermInSetQuery(FieldNames.ID, t.values().stream().map(v -> new BytesRef(text(v))).toList()));
        }
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + t.field() + "]");
        }
        return switch (mapping) {
            case FieldMapping.Text x -> new ConstantScoreQuery(new TermInSetQuery(t.field(), t.values().stream().map(v -> new BytesRef(text(v))).toList()));
            case FieldMapping.Keyword x -> new ConstantScoreQuery(new TermInSetQuery(t.field(), t.values().stream().map(v -> new BytesRef(text(v))).toList()));
            case FieldMapping.Bool x -> new ConstantScoreQuery(new TermInSetQuery(t.field(), t.values().stream().map(v -> new BytesRef(parseBoolean(v) ? "T" : "F")).toList()));
            case FieldMapping.Numeric n -> {
                if (n.type().isDecimal()) {
                    yield DoublePoint.newSetQuery(t.field(), t.values().stream().mapToDouble(v -> n.type().round(parseDouble(v))).toArray());
                }
                yield LongPoint.newSetQuery(t.field(), t.values().stream().mapToDouble(QueryCompiler::parseDouble)
                        .filter(d -> d == Math.rint(d)).mapToLong(d -> wholeInRange(d, n.type(), Double.toString(d))).toArray());
            }
            case FieldMapping.Date d -> LongPoint.newSetQuery(t.field(), t.values().stream().mapToLong(v -> parseDate(v, d.format())).toArray());
            case FieldMapping.RankFeature r -> throw new IllegalArgumentException("[rank_feature] fields do not support [terms] queries");
            case FieldMapping.RankFeatures r -> throw new IllegalArgumentException("[rank_features] fields do not support [terms] queries");
            case FieldMapping.DenseVector v -> throw new IllegalArgumentException("[dense_vector] fields do not support term queries");
            case FieldMapping.ObjectMapping o -> MatchNoDocsQuery.INSTANCE;
        };
    }

    /**
     * A numeric range as Elasticsearch builds it for a field with points and doc values: Lucene picks the points when
     * the range leads the iteration, and checks doc values per document when another clause (or an LTR window) leads,
     * instead of collecting every match of the segment first.
     */
    private static org.apache.lucene.search.Query pointsOrDocValues(org.apache.lucene.search.Query points, String field,
            long lowerSortable, long upperSortable) {
        return new IndexOrDocValuesQuery(points,
                SortedNumericDocValuesField.newSlowRangeQuery(field, lowerSortable, upperSortable));
    }

    private org.apache.lucene.search.Query range(Query.Range r) {
        var mapping = mapping(r.field());
        if (mapping == null || mapping instanceof FieldMapping.ObjectMapping) {
            return new MatchNoDocsQuery("unmapped field [" + r.field() + "]");
        }
        var lower = r.gt().or(r::gte);
        var upper = r.lt().or(r::lte);
        boolean includeLower = r.gt().isEmpty();
        boolean includeUpper = r.lt().isEmpty();
        return switch (mapping) {
            case FieldMapping.Numeric n -> {
                if (n.type().isDecimal()) {
                    double lo = lower.map(v -> n.type().round(parseDouble(v))).orElse(Double.NEGATIVE_INFINITY);
                    double hi = upper.map(v -> n.type().round(parseDouble(v))).orElse(Double.POSITIVE_INFINITY);
                    if (!includeLower) {
                        lo = Math.nextUp(lo);
                    }
                    if (!includeUpper) {
                        hi = Math.nextDown(hi);
                    }
                    yield pointsOrDocValues(DoublePoint.newRangeQuery(r.field(), lo, hi), r.field(),
                            NumericUtils.doubleToSortableLong(lo), NumericUtils.doubleToSortableLong(hi));
                }
                long lo = Long.MIN_VALUE;
                long hi = Long.MAX_VALUE;
                if (lower.isPresent()) {
                    double d = parseDouble(lower.get());
                    lo = includeLower ? (long) Math.ceil(d) : (long) Math.floor(d) + 1;
                }
                if (upper.isPresent()) {
                    double d = parseDouble(upper.get());
                    hi = includeUpper ? (long) Math.floor(d) : (long) Math.ceil(d) - 1;
                }
                yield pointsOrDocValues(LongPoint.newRangeQuery(r.field(), lo, hi), r.field(), lo, hi);
            }
            case FieldMapping.Date d -> {
                var format = r.format().orElse(d.format());
                long lo = lower.map(v -> parseDate(v, format)).orElse(Long.MIN_VALUE);
                long hi = upper.map(v -> parseDate(v, format)).orElse(Long.MAX_VALUE);
                if (!includeLower && lo != Long.MAX_VALUE) {
                    lo++;
                }
                if (!includeUpper && hi != Long.MIN_VALUE) {
                    hi--;
                }
                yield pointsOrDocValues(LongPoint.newRangeQuery(r.field(), lo, hi), r.field(), lo, hi);
            }
            case FieldMapping.Keyword k -> TermRangeQuery.newStringRange(r.field(), lower.map(QueryCompiler::text).orElse(null),
                    upper.map(QueryCompiler::text).orElse(null), includeLower, includeUpper);
            case FieldMapping.Text t -> TermRangeQuery.newStringRange(r.field(), lower.map(QueryCompiler::text).orElse(null),
                    upper.map(QueryCompiler::text).orElse(null), includeLower, includeUpper);
            case FieldMapping.Bool b -> {
                long lo = lower.map(v -> parseBoolean(v) ? 1L : 0L).orElse(0L);
                long hi = upper.map(v -> parseBoolean(v) ? 1L : 0L).orElse(1L);
                var terms = new ArrayList<BytesRef>();
                for (long x = includeLower || lower.isEmpty() ? lo : lo + 1; x <= (includeUpper || upper.isEmpty() ? hi : hi - 1); x++) {
                    terms.add(new BytesRef(x == 1 ? "T" : "F"));
                }
                yield new ConstantScoreQuery(new TermInSetQuery(r.field(), terms));
            }
            case FieldMapping.RankFeature x -> throw new IllegalArgumentException("[rank_feature] fields do not support [range] queries");
            case FieldMapping.RankFeatures x -> throw new IllegalArgumentException("[rank_features] fields do not support [range] queries");
            case FieldMapping.DenseVector x -> throw new IllegalArgumentException("[dense_vector] fields do not support range queries");
            case FieldMapping.ObjectMapping o -> MatchNoDocsQuery.INSTANCE;
        };
    }

    private org.apache.lucene.search.Query bool(Query.Bool b) {
        var builder = new BooleanQuery.Builder();
        b.must().forEach(q -> builder.add(compile(q), BooleanClause.Occur.MUST));
        b.filter().forEach(q -> builder.add(compile(q), BooleanClause.Occur.FILTER));
        b.should().forEach(q -> builder.add(compile(q), BooleanClause.Occur.SHOULD));
        b.mustNot().forEach(q -> builder.add(compile(q), BooleanClause.Occur.MUST_NOT));
        if (b.must().isEmpty() && b.filter().isEmpty() && b.should().isEmpty()) {
            if (b.mustNot().isEmpty()) {
                return MatchAllDocsQuery.INSTANCE;
            }
            // Elasticsearch turns a purely negative bool into "everything except", scored 0.
            builder.add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER);
        }
        if (b.minimumShouldMatch().isPresent()) {
            int msm = MinimumShouldMatch.calculate(b.should().size(), b.minimumShouldMatch().get());
            if (msm > 0) {
                builder.setMinimumNumberShouldMatch(msm);
            }
        }
        return builder.build();
    }

    private org.apache.lucene.search.Query exists(String field) {
        var mapping = mapping(field);
        if (mapping == null) {
            return new MatchNoDocsQuery("unmapped field [" + field + "]");
        }
        var names = new LinkedHashSet<String>();
        names.add(field);
        if (mapping instanceof FieldMapping.ObjectMapping) {
            index.fields().keySet().stream().filter(n -> n.startsWith(field + ".")).forEach(names::add);
        }
        return new ConstantScoreQuery(new TermInSetQuery(FieldNames.FIELD_NAMES, names.stream().map(BytesRef::new).toList()));
    }

    private org.apache.lucene.search.Query prefix(Query.Prefix p) {
        if (p.caseInsensitive().orElse(false)) {
            var escaped = caseInsensitiveTerm(p.field(), p.value());
            return new RegexpQuery(new Term(p.field(), ((RegexpQuery) escaped).getRegexp().text() + ".*"), RegExp.NONE, RegExp.CASE_INSENSITIVE,
                org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new PrefixQuery(new Term(p.field(), p.value()));
    }

    private org.apache.lucene.search.Query wildcard(Query.Wildcard w) {
        if (w.caseInsensitive().orElse(false)) {
            var regex = new StringBuilder();
            for (int i = 0; i < w.value().length(); i++) {
                char c = w.value().charAt(i);
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
                }
            }
            return new RegexpQuery(new Term(w.field(), regex.toString()), RegExp.NONE, RegExp.CASE_INSENSITIVE,
                org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new WildcardQuery(new Term(w.field(), w.value()));
    }

    private org.apache.lucene.search.Query fuzzy(Query.Fuzzy f) {
        return fuzzyQuery(new Term(f.field(), text(f.value())), f.fuzziness().orElse("AUTO"), f.prefixLength().orElse(0),
                f.maxExpansions().orElse(DEFAULT_MAX_EXPANSIONS), f.transpositions().orElse(true));
    }

    private org.apache.lucene.search.Query rankFeature(Query.RankFeature r) {
        String luceneField;
        String feature;
        var mapping = mapping(r.field());
        if (mapping instanceof FieldMapping.RankFeature) {
            luceneField = FieldNames.FEATURE;
            feature = r.field();
        } else {
            int dot = r.field().lastIndexOf('.');
            if (dot > 0 && mapping(r.field().substring(0, dot)) instanceof FieldMapping.RankFeatures) {
                luceneField = r.field().substring(0, dot);
                feature = r.field().substring(dot + 1);
            } else if (mapping == null && dot < 0) {
                throw EngineException.queryShard(index.name(), "[rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not [unmapped]");
            } else {
                throw EngineException.queryShard(index.name(), "[rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not ["
                        + (mapping == null ? "unmapped" : mapping.typeName()) + "]");
            }
        }
        var function = r.function().orElse(new RankFeatureFunction.Saturation(Optional.empty()));
        return switch (function) {
            case RankFeatureFunction.Saturation s -> s.pivot().isPresent()
                    ? FeatureField.newSaturationQuery(luceneField, feature, 1f, s.pivot().get())
                    : FeatureField.newSaturationQuery(luceneField, feature);
            case RankFeatureFunction.Log l -> FeatureField.newLogQuery(luceneField, feature, 1f, l.scalingFactor());
            case RankFeatureFunction.Sigmoid s -> FeatureField.newSigmoidQuery(luceneField, feature, 1f, s.pivot(), s.exponent());
            case RankFeatureFunction.Linear l -> FeatureField.newLinearQuery(luceneField, feature, 1f);
        };
    }

    private org.apache.lucene.search.Query scriptScore(Query.ScriptScore s) {
        var inner = compile(s.query());
        var script = Scripts.compile(s.script(), index);
        return new ScriptScoreQuery(inner, script, s.minScore(), s.script().source());
    }

    /** Reads {@link TermStates} for blended cross-field queries. */
    TermStates termStates(Term term) throws IOException {
        cacheable = false;
        return TermStates.build(new org.apache.lucene.search.IndexSearcher(reader), term, true);
    }
}
