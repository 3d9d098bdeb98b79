package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.ltr.FeatureExtractor;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.JsonNode;

/**
 * The {@code feedback} extractor bound to one request: RM3 pseudo-relevance feedback, whose expanded query is built
 * from the window itself when the rescorer fills the column, because the feedback documents are the window's best.
 */
final class FeedbackColumn {

    private final FeatureExtractor.Feedback extractor;
    private final Analyzer analyzer;
    private final List<Term> queryTerms;

    private FeedbackColumn(FeatureExtractor.Feedback extractor, Analyzer analyzer, List<Term> queryTerms) {
        this.extractor = extractor;
        this.analyzer = analyzer;
        this.queryTerms = queryTerms;
    }

    /** Analyses {@code text} for the extractor's field (which must be a text field). */
    static FeedbackColumn bind(QueryCompiler compiler, FeatureExtractor.Feedback extractor, String text) {
        var queryTerms = QueryTerms.of(compiler, extractor.field(), text, extractor.featureName());
        return new FeedbackColumn(extractor, compiler.analyzerFor(extractor.field(), Optional.empty()), queryTerms);
    }

    /**
     * Fills column {@code c} of {@code matrix} for the first {@code n} documents of {@code sortedDocs} (ascending doc
     * ids), whose scores before this rescorer are {@code previous}.
     */
    void fill(IndexSearcher searcher, int[] sortedDocs, int n, float[] previous, float[] matrix, int width, int c)
            throws IOException {
        var weights = expandedQuery(searcher, sortedDocs, n, previous);
        if (weights.isEmpty()) {
            return;
        }
        var builder = new BooleanQuery.Builder();
        for (var entry : weights.entrySet()) {
            builder.add(new BoostQuery(new TermQuery(entry.getKey()), entry.getValue().floatValue()), BooleanClause.Occur.SHOULD);
        }
        var weight = searcher.createWeight(searcher.rewrite(builder.build()), ScoreMode.COMPLETE, 1f);
        var leaves = searcher.getIndexReader().leaves();
        int r = 0;
        while (r < n) {
            var leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
            int end = leaf.docBase + leaf.reader().maxDoc();
            var scorer = weight.scorer(leaf);
            var iterator = scorer == null ? null : scorer.iterator();
            for (; r < n && sortedDocs[r] < end; r++) {
                if (iterator == null) {
                    continue;
                }
                int target = sortedDocs[r] - leaf.docBase;
                if (iterator.docID() < target) {
                    iterator.advance(target);
                }
                if (iterator.docID() == target) {
                    matrix[r * width + c] = scorer.score();
                }
            }
        }
    }

    /**
     * The RM3 query: {@code original_weight} spread evenly over the query's distinct terms plus the rest spread over
     * the expansion terms by their feedback probability renormalised, Σ_d w_d · tf(t, d) / |d|, where w_d is the
     * document's share of the feedback documents' (non-negative) scores, or 1 / docs when none is positive.
     */
    Map<Term, Double> expandedQuery(IndexSearcher searcher, int[] sortedDocs, int n, float[] previous) throws IOException {
        var feedback = feedbackRows(n, previous);
        double scoreSum = 0;
        for (int row : feedback) {
            scoreSum += positive(previous[row]);
        }
        var probability = new HashMap<BytesRef, Double>();
        var storedFields = searcher.storedFields();
        for (int row : feedback) {
            var tokens = tokens(storedFields.document(sortedDocs[row], Set.of(FieldNames.SOURCE)).getBinaryValue(FieldNames.SOURCE));
            if (tokens.isEmpty()) {
                continue;
            }
            double docWeight = scoreSum > 0 ? positive(previous[row]) / scoreSum : 1.0 / feedback.size();
            double share = docWeight / tokens.size();
            for (var token : tokens) {
                probability.merge(token, share, Double::sum);
            }
        }
        var reader = searcher.getIndexReader();
        double documents = reader.getDocCount(extractor.field());
        var candidates = new ArrayList<Map.Entry<BytesRef, Double>>();
        for (var entry : probability.entrySet()) {
            candidates.add(entry);
        }
        // Most probable first; equal probabilities in term order, so that the expansion never depends on hashing.
        candidates.sort(Map.Entry.<BytesRef, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        var expansion = new ArrayList<Map.Entry<BytesRef, Double>>();
        double expansionSum = 0;
        for (var entry : candidates) {
            if (expansion.size() == extractor.expansionTerms()) {
                break;
            }
            if (extractor.maxDocFraction() < 1
                    && reader.docFreq(new Term(extractor.field(), entry.getKey())) > extractor.maxDocFraction() * documents) {
                continue;
            }
            expansion.add(entry);
            expansionSum += entry.getValue();
        }
        // Without expansion terms the query keeps all the weight, and without query terms the expansion does.
        double originalWeight = expansionSum > 0 ? extractor.originalWeight() : 1;
        var weights = new LinkedHashMap<Term, Double>();
        if (!queryTerms.isEmpty()) {
            double each = originalWeight / queryTerms.size();
            for (var term : queryTerms) {
                weights.put(term, each);
            }
        }
        double expansionWeight = queryTerms.isEmpty() ? 1 : 1 - originalWeight;
        if (expansionSum > 0 && expansionWeight > 0) {
            for (var entry : expansion) {
                weights.merge(new Term(extractor.field(), entry.getKey()), expansionWeight * entry.getValue() / expansionSum,
                        Double::sum);
            }
        }
        weights.values().removeIf(w -> !(w > 0));
        return weights;
    }

    /** Of the first {@code n} rows, those of the {@code docs} highest previous scores; equal scores keep doc-id order. */
    private List<Integer> feedbackRows(int n, float[] previous) {
        var rows = new ArrayList<Integer>(n);
        for (int r = 0; r < n; r++) {
            rows.add(r);
        }
        rows.sort((a, b) -> Float.compare(previous[b], previous[a]));
        return rows.subList(0, Math.min(extractor.docs(), rows.size()));
    }

    private static double positive(float score) {
        return score > 0 && Float.isFinite(score) ? score : 0;
    }

    /** The field's analysed tokens in the document's {@code _source}, repeated as often as they occur. */
    private List<BytesRef> tokens(BytesRef source) {
        var tokens = new ArrayList<BytesRef>();
        if (source == null) {
            return tokens;
        }
        JsonNode node = Json.readSource(source.bytes, source.offset, source.length);
        for (var part : extractor.field().split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null) {
            return tokens;
        }
        if (node.isArray()) {
            for (var value : node) {
                analyse(value, tokens);
            }
        } else {
            analyse(node, tokens);
        }
        return tokens;
    }

    private void analyse(JsonNode value, List<BytesRef> tokens) {
        if (!value.isString()) {
            return;
        }
        try (var stream = analyzer.tokenStream(extractor.field(), value.asString())) {
            var termAtt = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(BytesRef.deepCopyOf(termAtt.getBytesRef()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument("feature [" + extractor.featureName() + "]: " + e.getMessage());
        }
    }
}
