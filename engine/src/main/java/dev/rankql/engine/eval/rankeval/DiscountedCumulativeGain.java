package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Elasticsearch's {@code dcg}: the sum over the top k hits of {@code (2^rating - 1) / log2(rank + 1)}, optionally
 * divided by the ideal DCG.
 *
 * <p>An unrated hit gains nothing unless {@code unknown_doc_rating} gives it a rating, and keeps its rank either way.
 * The ideal DCG applies the same formula to all the query's ratings sorted in descending order, cut to as many
 * entries as there were hits (not k: fewer hits than k give a shorter ideal list, exactly as in Elasticsearch). When
 * normalizing and the ideal DCG is 0, the score is 0.
 *
 * @param normalize whether to report nDCG instead of DCG (default false)
 * @param unknownDocRating the rating given to unrated hits, if any (default none)
 * @param k the number of top hits evaluated (default 10)
 */
public record DiscountedCumulativeGain(boolean normalize, Optional<Integer> unknownDocRating, int k)
        implements RankEvalMetric {

    public DiscountedCumulativeGain {
        requireNonNull(unknownDocRating, "unknownDocRating");
        Hits.checkK(k);
    }

    /** Elasticsearch's defaults: not normalized, no rating for unrated hits, k = 10. */
    public DiscountedCumulativeGain() {
        this(false, Optional.empty(), DEFAULT_K);
    }

    @Override
    public String name() {
        return "dcg";
    }

    @Override
    public QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings) {
        List<RatedHit> hits = Hits.join(rankedDocIds, ratings, k);
        double dcg = 0;
        for (int i = 0; i < hits.size(); i++) {
            Optional<Integer> rating = hits.get(i).rating().or(() -> unknownDocRating);
            if (rating.isPresent()) {
                dcg += gain(rating.get(), i + 1);
            }
        }
        double ideal = 0;
        double score = dcg;
        if (normalize) {
            int[] all = ratings.values().stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(all);
            int depth = Math.min(hits.size(), all.length);
            for (int i = 0; i < depth; i++) {
                ideal += gain(all[all.length - 1 - i], i + 1);
            }
            score = ideal != 0 ? dcg / ideal : 0;
        }
        return QueryQuality.of(score, hits, new MetricDetail.Dcg(dcg, ideal, Hits.unrated(hits)));
    }

    private static double gain(int rating, int rank) {
        return (Math.pow(2, rating) - 1) / (Math.log(rank + 1) / Math.log(2));
    }
}
