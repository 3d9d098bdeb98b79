package dev.rankql.bench.rescore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The benchmark's twenty query-time features, each written twice: as the {@code query_extractor} rankql deploys
 * (templated on {@code {{query_text}}}), and as the Lucene query (or doc-values read) a hand-written program uses.
 *
 * <p>Sixteen are text features on {@code title} and {@code content} (BM25 of match, and, phrase, sloppy phrase,
 * multi_match best/most fields, minimum_should_match, boosted and constant-score forms), two read numeric fields
 * through {@code script_score}, two are numeric range filters; every one is an Elasticsearch query.
 */
public final class RescoreFeatures {

    /** The request parameter every text feature is templated on. */
    public static final String PARAM = "query_text";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One feature: its name and extractor query as deployed, and its hand-written Lucene form. */
    public sealed interface Feature {
        /** The feature's name. */
        String name();

        /** The {@code query_extractor} query, a JSON object with {@code {{query_text}}} where the text goes. */
        String queryTemplate();

        /** A query-dependent Lucene query; null from {@code build} means the feature matches nothing. */
        record Text(String name, String queryTemplate, Function<String, Query> build) implements Feature {}

        /** A query-independent Lucene query (a numeric range), scoring 1 where it matches. */
        record Filter(String name, String queryTemplate, Query query) implements Feature {}

        /** The first value of a numeric field, read from doc values ({@code script_score} in rankql). */
        record Field(String name, String queryTemplate, String field, boolean decimal) implements Feature {}
    }

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final QueryBuilder builder = new QueryBuilder(analyzer);
    private final List<Feature> features;

    /** The twenty features of the goal configuration. */
    public RescoreFeatures() {
        this(20);
    }

    /**
     * A feature set of {@code count} extractors, 5, 20 or 50: the five are a subset of the twenty (the matches, the
     * title phrase, best fields, popularity); the fifty add thirty more of the same kinds with other slops, boosts,
     * tie breakers and range bounds, as templated production feature sets do.
     */
    public RescoreFeatures(int count) {
        var twenty = twenty();
        features = switch (count) {
            case 5 -> twenty.stream().filter(f -> List.of("title_match", "content_match", "title_phrase", "best_fields",
                    "popularity").contains(f.name())).toList();
            case 20 -> List.copyOf(twenty);
            case 50 -> {
                var all = new ArrayList<>(twenty);
                all.addAll(thirtyMore());
                yield List.copyOf(all);
            }
            default -> throw new IllegalArgumentException("feature sets have 5, 20 or 50 extractors, not " + count);
        };
    }

    private List<Feature> thirtyMore() {
        var list = new ArrayList<Feature>();
        for (var field : List.of("title", "content")) {
            for (int slop : new int[] {1, 2, 5}) {
                list.add(text(field + "_phrase_slop" + slop, "{\"match_phrase\":{\"" + field + "\":{\"query\":\"{{query_text}}\","
                        + "\"slop\":" + slop + "}}}", t -> builder.createPhraseQuery(field, t, slop)));
            }
        }
        for (var pair : List.of(List.of("title", "0.5"), List.of("title", "2"), List.of("content", "0.5"), List.of("content", "3"))) {
            var field = pair.get(0);
            float boost = Float.parseFloat(pair.get(1));
            list.add(text(field + "_match_x" + pair.get(1), "{\"match\":{\"" + field + "\":{\"query\":\"{{query_text}}\","
                    + "\"boost\":" + pair.get(1) + "}}}",
                    t -> boost(builder.createBooleanQuery(field, t, BooleanClause.Occur.SHOULD), boost)));
        }
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_and_x2", "{\"match\":{\"" + field + "\":{\"query\":\"{{query_text}}\",\"operator\":\"and\","
                    + "\"boost\":2}}}", t -> boost(builder.createBooleanQuery(field, t, BooleanClause.Occur.MUST), 2f)));
        }
        list.add(text("title_phrase_x2", "{\"match_phrase\":{\"title\":{\"query\":\"{{query_text}}\",\"boost\":2}}}",
                t -> boost(builder.createPhraseQuery("title", t, 0), 2f)));
        list.add(text("content_phrase_x3", "{\"match_phrase\":{\"content\":{\"query\":\"{{query_text}}\",\"boost\":3}}}",
                t -> boost(builder.createPhraseQuery("content", t, 0), 3f)));
        list.add(text("content_filter", "{\"constant_score\":{\"filter\":{\"match\":{\"content\":\"{{query_text}}\"}}}}",
                t -> constant(builder.createBooleanQuery("content", t, BooleanClause.Occur.SHOULD))));
        list.add(text("title_phrase_filter", "{\"constant_score\":{\"filter\":{\"match_phrase\":{\"title\":"
                + "\"{{query_text}}\"}}}}", t -> constant(builder.createPhraseQuery("title", t, 0))));
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_and_filter", "{\"constant_score\":{\"filter\":{\"match\":{\"" + field + "\":{\"query\":"
                    + "\"{{query_text}}\",\"operator\":\"and\"}}}}}",
                    t -> constant(builder.createBooleanQuery(field, t, BooleanClause.Occur.MUST))));
        }
        for (var tie : List.of("0.1", "0.5", "0.7")) {
            float tieBreaker = Float.parseFloat(tie);
            list.add(text("title2_tie" + tie, "{\"multi_match\":{\"query\":\"{{query_text}}\",\"fields\":[\"title^2\",\"content\"],"
                    + "\"tie_breaker\":" + tie + "}}", t -> disMax(t, 2f, tieBreaker)));
        }
        list.add(text("most_fields_title2", "{\"multi_match\":{\"query\":\"{{query_text}}\",\"fields\":[\"title^2\",\"content\"],"
                + "\"type\":\"most_fields\"}}", t -> disMax(t, 2f, 1f)));
        for (int bound : new int[] {10, 50, 500}) {
            list.add(new Feature.Filter("price_lte_" + bound, "{\"range\":{\"price\":{\"lte\":" + bound + "}}}",
                    DoublePoint.newRangeQuery("price", Double.NEGATIVE_INFINITY, bound)));
        }
        list.add(new Feature.Filter("price_gte_900", "{\"range\":{\"price\":{\"gte\":900}}}",
                DoublePoint.newRangeQuery("price", 900, Double.POSITIVE_INFINITY)));
        for (int bound : new int[] {100, 1000, 100_000}) {
            list.add(new Feature.Filter("popularity_gte_" + bound, "{\"range\":{\"popularity\":{\"gte\":" + bound + "}}}",
                    LongPoint.newRangeQuery("popularity", bound, Long.MAX_VALUE)));
        }
        list.add(new Feature.Filter("popularity_lte_50", "{\"range\":{\"popularity\":{\"lte\":50}}}",
                LongPoint.newRangeQuery("popularity", Long.MIN_VALUE, 50)));
        return list;
    }

    private List<Feature> twenty() {
        var list = new ArrayList<Feature>();
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_match", "{\"match\":{\"" + field + "\":\"{{query_text}}\"}}",
                    t -> builder.createBooleanQuery(field, t, BooleanClause.Occur.SHOULD)));
        }
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_and", "{\"match\":{\"" + field + "\":{\"query\":\"{{query_text}}\",\"operator\":\"and\"}}}",
                    t -> builder.createBooleanQuery(field, t, BooleanClause.Occur.MUST)));
        }
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_phrase", "{\"match_phrase\":{\"" + field + "\":\"{{query_text}}\"}}",
                    t -> builder.createPhraseQuery(field, t, 0)));
        }
        list.add(text("title_phrase_slop", "{\"match_phrase\":{\"title\":{\"query\":\"{{query_text}}\",\"slop\":3}}}",
                t -> builder.createPhraseQuery("title", t, 3)));
        list.add(text("content_phrase_slop", "{\"match_phrase\":{\"content\":{\"query\":\"{{query_text}}\",\"slop\":10}}}",
                t -> builder.createPhraseQuery("content", t, 10)));
        list.add(text("best_fields", "{\"multi_match\":{\"query\":\"{{query_text}}\",\"fields\":[\"title\",\"content\"]}}",
                t -> disMax(t, 1f, 0f)));
        list.add(text("most_fields", "{\"multi_match\":{\"query\":\"{{query_text}}\",\"fields\":[\"title\",\"content\"],"
                + "\"type\":\"most_fields\"}}", t -> disMax(t, 1f, 1f)));
        list.add(text("title_boosted", "{\"multi_match\":{\"query\":\"{{query_text}}\",\"fields\":[\"title^3\",\"content\"],"
                + "\"tie_breaker\":0.3}}", t -> disMax(t, 3f, 0.3f)));
        for (var field : List.of("title", "content")) {
            list.add(text(field + "_all_but_one", "{\"match\":{\"" + field + "\":{\"query\":\"{{query_text}}\","
                    + "\"minimum_should_match\":\"-1\"}}}", t -> allButOne(field, t)));
        }
        list.add(text("title_filter", "{\"constant_score\":{\"filter\":{\"match\":{\"title\":\"{{query_text}}\"}}}}",
                t -> constant(builder.createBooleanQuery("title", t, BooleanClause.Occur.SHOULD))));
        list.add(text("content_phrase_filter", "{\"constant_score\":{\"filter\":{\"match_phrase\":{\"content\":"
                + "\"{{query_text}}\"}}}}", t -> constant(builder.createPhraseQuery("content", t, 0))));
        list.add(text("content_boosted", "{\"match\":{\"content\":{\"query\":\"{{query_text}}\",\"boost\":2}}}",
                t -> boost(builder.createBooleanQuery("content", t, BooleanClause.Occur.SHOULD), 2f)));
        list.add(new Feature.Field("popularity", "{\"script_score\":{\"query\":{\"match_all\":{}},"
                + "\"script\":{\"source\":\"doc['popularity'].value\"}}}", "popularity", false));
        list.add(new Feature.Field("price", "{\"script_score\":{\"query\":{\"match_all\":{}},"
                + "\"script\":{\"source\":\"doc['price'].value\"}}}", "price", true));
        list.add(new Feature.Filter("cheap", "{\"range\":{\"price\":{\"lte\":100}}}",
                DoublePoint.newRangeQuery("price", Double.NEGATIVE_INFINITY, 100)));
        list.add(new Feature.Filter("popular", "{\"range\":{\"popularity\":{\"gte\":10000}}}",
                LongPoint.newRangeQuery("popularity", 10_000, Long.MAX_VALUE)));
        return list;
    }

    private static Feature text(String name, String template, Function<String, Query> build) {
        return new Feature.Text(name, template, build);
    }

    /** The features, in column order. */
    public List<Feature> features() {
        return features;
    }

    /** The feature names, in column order. */
    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    /** The number of features. */
    public int size() {
        return features.size();
    }

    /** The feature set rankql deploys with the model: a JSON list of {@code query_extractor}s. */
    public String featureSetJson() {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (var feature : features) {
            var extractor = list.addObject().putObject("query_extractor");
            extractor.put("feature_name", feature.name());
            extractor.set("query", MAPPER.readTree(feature.queryTemplate()));
        }
        return MAPPER.writeValueAsString(list);
    }

    /** The Lucene query of feature {@code i} for {@code text}, or null for a field feature or a text without terms. */
    public Query luceneQuery(int i, String text) {
        return switch (features.get(i)) {
            case Feature.Text t -> t.build().apply(text);
            case Feature.Filter f -> f.query();
            case Feature.Field f -> null;
        };
    }

    /** The first pass every window comes from: multi_match best_fields over title and content, tie breaker 0.3. */
    public Query firstPass(String text) {
        var q = disMax(text, 1f, 0.3f);
        return q == null ? new org.apache.lucene.search.MatchNoDocsQuery() : q;
    }

    private Query disMax(String text, float titleBoost, float tieBreaker) {
        var perField = new ArrayList<Query>();
        var title = builder.createBooleanQuery("title", text, BooleanClause.Occur.SHOULD);
        if (title != null) {
            perField.add(boost(title, titleBoost));
        }
        var content = builder.createBooleanQuery("content", text, BooleanClause.Occur.SHOULD);
        if (content != null) {
            perField.add(content);
        }
        if (perField.isEmpty()) {
            return null;
        }
        return perField.size() == 1 ? perField.get(0) : new DisjunctionMaxQuery(perField, tieBreaker);
    }

    private Query allButOne(String field, String text) {
        var q = builder.createBooleanQuery(field, text, BooleanClause.Occur.SHOULD);
        if (!(q instanceof BooleanQuery bool) || bool.clauses().size() < 2) {
            return q;
        }
        var copy = new BooleanQuery.Builder();
        bool.clauses().forEach(copy::add);
        copy.setMinimumNumberShouldMatch(bool.clauses().size() - 1);
        return copy.build();
    }

    private static Query constant(Query q) {
        return q == null ? null : new ConstantScoreQuery(q);
    }

    private static Query boost(Query q, float boost) {
        return q == null || boost == 1f ? q : new BoostQuery(q, boost);
    }
}
