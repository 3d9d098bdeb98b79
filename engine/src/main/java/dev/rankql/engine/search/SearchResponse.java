package dev.rankql.engine.search;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.search.Explanation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A search result in Elasticsearch's shape; {@link #toJson()} renders the response body. {@code timedOut} says that
 * the search's {@code timeout} expired, so the hits, total and aggregations are those collected until then;
 * {@code terminatedEarly} that {@code terminate_after} stopped collecting matches, rendered as
 * {@code terminated_early: true}.
 */
public record SearchResponse(
        long tookMillis, Optional<Total> total, Optional<Float> maxScore, List<Hit> hits, Optional<ObjectNode> profile,
        List<TermsAggregator.Result> aggregations, boolean timedOut, boolean terminatedEarly, int shards) {

    public SearchResponse {
        if (shards < 0) {
            throw new IllegalArgumentException("shards must not be negative: " + shards);
        }
        requireNonNull(total, "total");
        requireNonNull(maxScore, "maxScore");
        hits = List.copyOf(hits);
        requireNonNull(profile, "profile");
        aggregations = List.copyOf(aggregations);
    }

    /** A response from one shard (one index) that {@code terminate_after} did not cut short. */
    public SearchResponse(long tookMillis, Optional<Total> total, Optional<Float> maxScore, List<Hit> hits,
            Optional<ObjectNode> profile, List<TermsAggregator.Result> aggregations, boolean timedOut) {
        this(tookMillis, total, maxScore, hits, profile, aggregations, timedOut, false, 1);
    }

    /** A complete response (not timed out). */
    public SearchResponse(long tookMillis, Optional<Total> total, Optional<Float> maxScore, List<Hit> hits,
            Optional<ObjectNode> profile, List<TermsAggregator.Result> aggregations) {
        this(tookMillis, total, maxScore, hits, profile, aggregations, false);
    }

    /** A complete response without a profile section or aggregations. */
    public SearchResponse(long tookMillis, Optional<Total> total, Optional<Float> maxScore, List<Hit> hits) {
        this(tookMillis, total, maxScore, hits, Optional.empty(), List.of(), false);
    }

    /** This response with Elasticsearch's {@code profile} section. */
    public SearchResponse withProfile(ObjectNode section) {
        return new SearchResponse(tookMillis, total, maxScore, hits, Optional.of(section), aggregations, timedOut,
                terminatedEarly, shards);
    }

    /** This response with the request's aggregations, rendered under {@code aggregations} in request order. */
    public SearchResponse withAggregations(List<TermsAggregator.Result> results) {
        return new SearchResponse(tookMillis, total, maxScore, hits, profile, results, timedOut, terminatedEarly, shards);
    }

    /** This response marked as cut short by the search's {@code timeout}. */
    public SearchResponse withTimedOut(boolean cutShort) {
        return new SearchResponse(tookMillis, total, maxScore, hits, profile, aggregations, cutShort, terminatedEarly,
                shards);
    }

    /** This response marked as stopped early by {@code terminate_after}. */
    public SearchResponse withTerminatedEarly(boolean stopped) {
        return new SearchResponse(tookMillis, total, maxScore, hits, profile, aggregations, timedOut, stopped, shards);
    }

    /** {@code hits.total}: a count that is exact ({@code eq}) or a lower bound ({@code gte}). */
    public record Total(long value, boolean exact) {}

    /** One named section of a collapsed hit's {@code inner_hits}: the group's count, best score and top documents. */
    public record InnerHits(Total total, Optional<Float> maxScore, List<Hit> hits) {

        public InnerHits {
            requireNonNull(total, "total");
            requireNonNull(maxScore, "maxScore");
            hits = List.copyOf(hits);
        }

        ObjectNode toJson(boolean restTotalHitsAsInt) {
            var node = Json.object();
            var hitsNode = node.putObject("hits");
            putTotal(hitsNode, Optional.of(total), restTotalHitsAsInt);
            putMaxScore(hitsNode, maxScore);
            var array = hitsNode.putArray("hits");
            hits.forEach(h -> array.add(h.toJson(restTotalHitsAsInt)));
            return node;
        }
    }

    /**
     * The document metadata a request can ask each hit to carry: {@code _version} ({@code version: true}) and
     * {@code _seq_no} with {@code _primary_term} ({@code seq_no_primary_term: true}); a local index has one primary
     * term, 1. {@code idHidden} leaves {@code _id} out of the hit, as {@code stored_fields: _none_} does.
     */
    public record Metadata(Optional<Long> version, Optional<Long> seqNo, boolean idHidden) {

        /** No metadata. */
        public static final Metadata NONE = new Metadata(Optional.empty(), Optional.empty());

        public Metadata {
            requireNonNull(version, "version");
            requireNonNull(seqNo, "seqNo");
        }

        /** Metadata that shows the hit's {@code _id}, as every hit does unless stored fields are {@code _none_}. */
        public Metadata(Optional<Long> version, Optional<Long> seqNo) {
            this(version, seqNo, false);
        }

        /** The same metadata with {@code _id} left out of the hit, as {@code stored_fields: _none_} asks. */
        public Metadata withoutId() {
            return new Metadata(version, seqNo, true);
        }
    }

    /**
     * One hit. {@code source} is the stored source as sent (or filtered); {@code fields} holds values such as the
     * collapse key; {@code sort} the sort values when sorted by a field; {@code luceneDoc} is the searcher-local
     * document number, useful to tests and explain; {@code rankql} holds rankql's per-hit additions (the logged LTR
     * features), rendered as {@code _rankql}.
     *
     * <p>A value class with a record's accessors, equality and string form; it is not a record so that a search can
     * hand over the stored source bytes and leave parsing them to the first {@link #source()} call, as Elasticsearch
     * keeps {@code _source} as bytes until something reads it.
     */
    public static final class Hit {
        private final String index;
        private final String id;
        private final Optional<Float> score;
        private final byte[] sourceBytes;
        private volatile Optional<JsonNode> source;
        private final Optional<Explanation> explanation;
        private final Map<String, List<Object>> fields;
        private final List<Object> sort;
        private final List<String> matchedQueries;
        private final int luceneDoc;
        private final Optional<ObjectNode> rankql;
        private final Metadata metadata;
        private final Map<String, InnerHits> innerHits;

        /** A hit with every part given. */
        public Hit(String index, String id, Optional<Float> score, Optional<JsonNode> source,
                Optional<Explanation> explanation, Map<String, List<Object>> fields, List<Object> sort,
                List<String> matchedQueries, int luceneDoc, Optional<ObjectNode> rankql) {
            this(index, id, score, null, requireNonNull(source, "source"), explanation, fields, sort, matchedQueries, luceneDoc,
                    rankql);
        }

        /** A hit without rankql additions. */
        public Hit(String index, String id, Optional<Float> score, Optional<JsonNode> source,
                Optional<Explanation> explanation, Map<String, List<Object>> fields, List<Object> sort,
                List<String> matchedQueries, int luceneDoc) {
            this(index, id, score, source, explanation, fields, sort, matchedQueries, luceneDoc, Optional.empty());
        }

        private Hit(String index, String id, Optional<Float> score, byte[] sourceBytes, Optional<JsonNode> source,
                Optional<Explanation> explanation, Map<String, List<Object>> fields, List<Object> sort,
                List<String> matchedQueries, int luceneDoc, Optional<ObjectNode> rankql) {
            this(index, id, score, sourceBytes, source, explanation, fields, sort, matchedQueries, luceneDoc, rankql,
                    Metadata.NONE, Map.of());
        }

        private Hit(String index, String id, Optional<Float> score, byte[] sourceBytes, Optional<JsonNode> source,
                Optional<Explanation> explanation, Map<String, List<Object>> fields, List<Object> sort,
                List<String> matchedQueries, int luceneDoc, Optional<ObjectNode> rankql, Metadata metadata,
                Map<String, InnerHits> innerHits) {
            this.metadata = requireNonNull(metadata, "metadata");
            this.innerHits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(innerHits));
            this.rankql = requireNonNull(rankql, "rankql");
            this.index = requireNonNull(index, "index");
            this.id = requireNonNull(id, "id");
            this.score = requireNonNull(score, "score");
            this.sourceBytes = sourceBytes;
            this.source = source;
            this.explanation = requireNonNull(explanation, "explanation");
            this.fields = Map.copyOf(fields);
            this.sort = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(sort));
            this.matchedQueries = List.copyOf(matchedQueries);
            this.luceneDoc = luceneDoc;
        }

        /** A hit whose source is the stored JSON {@code sourceBytes} (not copied), parsed when first read. */
        static Hit withStoredSource(String index, String id, Optional<Float> score, byte[] sourceBytes,
                Optional<Explanation> explanation, Map<String, List<Object>> fields, List<Object> sort,
                List<String> matchedQueries, int luceneDoc) {
            return new Hit(index, id, score, requireNonNull(sourceBytes, "sourceBytes"), null, explanation, fields, sort,
                    matchedQueries, luceneDoc, Optional.empty());
        }

        /** This hit with rankql's additions. */
        public Hit withRankql(Optional<ObjectNode> additions) {
            return new Hit(index, id, score, sourceBytes, source, explanation, fields, sort, matchedQueries, luceneDoc, additions,
                    metadata, innerHits);
        }

        /** This hit with the document metadata the request asked for. */
        public Hit withMetadata(Metadata value) {
            return new Hit(index, id, score, sourceBytes, source, explanation, fields, sort, matchedQueries, luceneDoc, rankql,
                    value, innerHits);
        }

        /** This hit with its group's inner hits, by section name in request order. */
        public Hit withInnerHits(Map<String, InnerHits> sections) {
            return new Hit(index, id, score, sourceBytes, source, explanation, fields, sort, matchedQueries, luceneDoc, rankql,
                    metadata, sections);
        }

        public Metadata metadata() {
            return metadata;
        }

        public Map<String, InnerHits> innerHits() {
            return innerHits;
        }

        public String index() {
            return index;
        }

        public String id() {
            return id;
        }

        public Optional<Float> score() {
            return score;
        }

        /** The source; a stored source is parsed on the first call (decimals kept as written), then kept. */
        public Optional<JsonNode> source() {
            var parsed = source;
            if (parsed == null) {
                JsonNode tree;
                try {
                    tree = Json.readSource(sourceBytes);
                } catch (tools.jackson.core.JacksonException e) {
                    tree = Json.object();
                }
                parsed = Optional.of(tree);
                source = parsed;
            }
            return parsed;
        }

        public Optional<Explanation> explanation() {
            return explanation;
        }

        public Map<String, List<Object>> fields() {
            return fields;
        }

        public List<Object> sort() {
            return sort;
        }

        public List<String> matchedQueries() {
            return matchedQueries;
        }

        public int luceneDoc() {
            return luceneDoc;
        }

        public Optional<ObjectNode> rankql() {
            return rankql;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Hit h && index.equals(h.index) && id.equals(h.id) && score.equals(h.score)
                    && source().equals(h.source()) && explanation.equals(h.explanation) && fields.equals(h.fields)
                    && sort.equals(h.sort) && matchedQueries.equals(h.matchedQueries) && luceneDoc == h.luceneDoc
                    && rankql.equals(h.rankql) && metadata.equals(h.metadata) && innerHits.equals(h.innerHits);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(index, id, score, source(), explanation, fields, sort, matchedQueries, luceneDoc, rankql,
                    metadata, innerHits);
        }

        @Override
        public String toString() {
            return "Hit[index=" + index + ", id=" + id + ", score=" + score + ", source=" + source() + ", explanation="
                    + explanation + ", fields=" + fields + ", sort=" + sort + ", matchedQueries=" + matchedQueries
                    + ", luceneDoc=" + luceneDoc + ", rankql=" + rankql + ", metadata=" + metadata + ", innerHits=" + innerHits + "]";
        }

        /** The hit as Elasticsearch renders it. */
        public ObjectNode toJson() {
            return toJson(false);
        }

        /** The hit as Elasticsearch renders it, inner hits' totals as plain numbers with {@code restTotalHitsAsInt}. */
        public ObjectNode toJson(boolean restTotalHitsAsInt) {
            var node = Json.object();
            node.put("_index", index);
            if (!metadata.idHidden()) {
                node.put("_id", id);
            }
            metadata.version().ifPresent(v -> node.put("_version", v));
            metadata.seqNo().ifPresent(v -> {
                node.put("_seq_no", v);
                node.put("_primary_term", 1);
            });
            if (score.isPresent()) {
                node.put("_score", score.get());
            } else {
                node.putNull("_score");
            }
            source().ifPresent(s -> node.set("_source", s));
            if (!fields.isEmpty()) {
                var f = node.putObject("fields");
                new java.util.TreeMap<>(fields).forEach((name, values) -> {
                    var array = f.putArray(name);
                    for (var v : values) {
                        switch (v) {
                            case null -> array.addNull();
                            case Long l -> array.add(l);
                            case Double d -> array.add(d);
                            case Float x -> array.add(x);
                            case Integer i -> array.add(i);
                            case Boolean b -> array.add(b);
                            case JsonNode j -> array.add(j);
                            default -> array.add(v.toString());
                        }
                    }
                });
            }
            if (!sort.isEmpty()) {
                var array = node.putArray("sort");
                for (var v : sort) {
                    switch (v) {
                        case null -> array.addNull();
                        case Long l -> array.add(l);
                        case Double d -> array.add(d);
                        default -> array.add(v.toString());
                    }
                }
            }
            if (!matchedQueries.isEmpty()) {
                var m = node.putArray("matched_queries");
                matchedQueries.forEach(m::add);
            }
            explanation.ifPresent(e -> node.set("_explanation", explanationJson(e)));
            rankql.ifPresent(r -> node.set("_rankql", r));
            if (!innerHits.isEmpty()) {
                var inner = node.putObject("inner_hits");
                innerHits.forEach((name, section) -> inner.set(name, section.toJson(restTotalHitsAsInt)));
            }
            return node;
        }
    }

    /** An explanation tree as Elasticsearch renders it: {@code value}, {@code description}, {@code details}. */
    public static ObjectNode explanationJson(Explanation explanation) {
        var node = Json.object();
        node.put("value", explanation.getValue().floatValue());
        node.put("description", explanation.getDescription());
        var details = node.putArray("details");
        for (var detail : explanation.getDetails()) {
            details.add(explanationJson(detail));
        }
        return node;
    }

    /** The response body: {@code took}, {@code timed_out}, {@code _shards}, {@code hits}. */
    public ObjectNode toJson() {
        return toJson(false);
    }

    /**
     * The response body; with {@code restTotalHitsAsInt} (Elasticsearch's {@code rest_total_hits_as_int} URL
     * parameter) {@code hits.total} is a plain number, -1 when hits were not counted.
     */
    public ObjectNode toJson(boolean restTotalHitsAsInt) {
        var node = Json.object();
        node.put("took", tookMillis);
        node.put("timed_out", timedOut);
        if (terminatedEarly) {
            node.put("terminated_early", true);
        }
        var shards = node.putObject("_shards");
        shards.put("total", this.shards);
        shards.put("successful", this.shards);
        shards.put("skipped", 0);
        shards.put("failed", 0);
        var hitsNode = node.putObject("hits");
        putTotal(hitsNode, total, restTotalHitsAsInt);
        putMaxScore(hitsNode, maxScore);
        var array = hitsNode.putArray("hits");
        hits.forEach(h -> array.add(h.toJson(restTotalHitsAsInt)));
        if (!aggregations.isEmpty()) {
            var aggs = node.putObject("aggregations");
            aggregations.forEach(a -> aggs.set(a.name(), a.toJson()));
        }
        profile.ifPresent(p -> node.set("profile", p));
        return node;
    }

    private static void putTotal(ObjectNode hitsNode, Optional<Total> total, boolean restTotalHitsAsInt) {
        if (restTotalHitsAsInt) {
            hitsNode.put("total", total.map(Total::value).orElse(-1L));
        } else {
            total.ifPresent(t -> {
                var totalNode = hitsNode.putObject("total");
                totalNode.put("value", t.value());
                totalNode.put("relation", t.exact() ? "eq" : "gte");
            });
        }
    }

    private static void putMaxScore(ObjectNode hitsNode, Optional<Float> maxScore) {
        if (maxScore.isPresent()) {
            hitsNode.put("max_score", maxScore.get());
        } else {
            hitsNode.putNull("max_score");
        }
    }
}
