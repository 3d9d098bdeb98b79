package dev.rankql.ast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hybrid nodes keep their invariants in their constructors and compare by content. */
class HybridNodesTest {

    private static final Retriever.Standard STANDARD = new Retriever.Standard(Span.NONE, Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty());

    private static Retriever.Knn knn(Optional<Integer> k, Optional<Integer> numCandidates) {
        return new Retriever.Knn(Span.NONE, "v", QueryVector.of(1, 2), k, numCandidates, Optional.empty(), List.of(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void queryVectorsAreCopiedAndCompareByValue() {
        var values = new float[] {1, 2, 3};
        var vector = new QueryVector(values);
        values[0] = 9;
        assertThat(vector.get(0)).isEqualTo(1f);
        vector.values()[1] = 9;
        assertThat(vector.get(1)).isEqualTo(2f);
        assertThat(vector).isEqualTo(QueryVector.of(1, 2, 3)).hasSameHashCodeAs(QueryVector.of(1, 2, 3))
                .isNotEqualTo(QueryVector.of(1, 2));
        assertThat(vector.dims()).isEqualTo(3);
        assertThat(QueryVector.of(-0f)).isEqualTo(QueryVector.of(0f));
        assertThatThrownBy(() -> QueryVector.of()).hasMessage("[query_vector] must not be empty");
        assertThatThrownBy(() -> QueryVector.of(1, Float.NaN))
                .hasMessage("[query_vector] must contain finite numbers, found [NaN] at [1]");
    }

    @Test
    void knnChecksKAndNumCandidatesAsElasticsearchDoes() {
        assertThat(knn(Optional.of(10), Optional.of(10)).k()).contains(10);
        assertThat(knn(Optional.empty(), Optional.of(5)).numCandidates()).contains(5);
        assertThatThrownBy(() -> knn(Optional.of(0), Optional.empty())).hasMessage("[k] must be greater than 0");
        assertThatThrownBy(() -> knn(Optional.of(10), Optional.of(9)))
                .hasMessage("[num_candidates] cannot be less than [k]");
        assertThatThrownBy(() -> knn(Optional.empty(), Optional.of(10_001)))
                .hasMessage("[num_candidates] cannot exceed [10000]");
        assertThatThrownBy(() -> knn(Optional.empty(), Optional.of(0)))
                .hasMessage("[num_candidates] must be greater than 0");
        assertThatThrownBy(() -> new KnnSearch(Span.NONE, "v", QueryVector.of(1), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.of(-1f), Optional.empty()))
                .hasMessage("negative [boost] are not allowed.");
    }

    @Test
    void compoundRetrieversNeedChildrenAndValidSettingsAndApplyElasticsearchsDefaults() {
        var rrf = new Retriever.Rrf(Span.NONE, List.of(Retriever.Rrf.Component.of(STANDARD)), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        assertThat(rrf.effectiveRankWindowSize()).isEqualTo(10);
        assertThat(rrf.effectiveRankConstant()).isEqualTo(60);
        assertThat(rrf.retrievers().getFirst().effectiveWeight()).isEqualTo(1f);
        assertThat(RequestValidation.window(rrf)).hasValue(10);
        assertThat(RequestValidation.window(STANDARD)).isEmpty();
        assertThatThrownBy(() -> new Retriever.Rrf(Span.NONE, List.of(), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty())).hasMessage("[rrf] must provide [retrievers] or [query]");
        assertThatThrownBy(() -> new Retriever.Rrf(Span.NONE, rrf.retrievers(), Optional.of(-1), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty()))
                .hasMessage("[rank_window_size] parameter cannot be negative, found [-1]");
        assertThatThrownBy(() -> new Retriever.Rrf(Span.NONE, rrf.retrievers(), Optional.of(0), Optional.of(0),
                List.of(), Optional.empty(), Optional.empty()))
                .hasMessage("[rank_constant] must be greater or equal to [1] for [rrf]");
        assertThatThrownBy(() -> new Retriever.Linear.Component(Span.NONE, STANDARD, Optional.of(-0.5f),
                Optional.empty())).hasMessage("[weight] must be non-negative");
        var paging = new Retriever.Standard(Span.NONE, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.of(5), Optional.empty());
        assertThatThrownBy(() -> Retriever.Rrf.Component.of(paging))
                .hasMessage("[terminate_after] cannot be used in children of compound retrievers");
        var child = new Retriever.Linear.Component(Span.NONE, STANDARD, Optional.empty(), Optional.empty());
        assertThat(child.effectiveNormalizer(Optional.of(ScoreNormalizer.L2_NORM))).isEqualTo(ScoreNormalizer.L2_NORM);
        assertThat(child.effectiveNormalizer(Optional.empty())).isEqualTo(ScoreNormalizer.NONE);
        assertThat(new Retriever.Linear.Component(Span.NONE, STANDARD, Optional.empty(),
                Optional.of(ScoreNormalizer.MINMAX)).effectiveNormalizer(Optional.of(ScoreNormalizer.L2_NORM)))
                .isEqualTo(ScoreNormalizer.MINMAX);
    }

    @Test
    void requestsHoldKnnAndAggregationsAndRefuseKnnBesideARetriever() {
        var terms = new Aggregation.Terms(Span.NONE, "genre", Optional.empty());
        assertThat(terms.effectiveSize()).isEqualTo(10);
        assertThat(terms.type()).isEqualTo("terms");
        assertThatThrownBy(() -> new Aggregation.Terms(Span.NONE, "genre", Optional.of(0)))
                .hasMessage("[size] must be greater than 0. Found [0]");
        var search = new KnnSearch(Span.NONE, "v", QueryVector.of(1), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        var request = SearchRequest.empty();
        assertThat(request.knn()).isEmpty();
        assertThat(request.aggregations()).isEmpty();
        assertThatThrownBy(() -> new SearchRequest(Span.NONE, Optional.empty(), Optional.of(STANDARD),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Map.of(), List.of(search), Map.of()))
                .hasMessage("cannot specify [retriever] and [knn]");
        var withPage = new SearchRequest(Span.NONE, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                Map.of(), List.of(search), Map.of("g", terms)).withPage(Optional.of(5),
                Optional.of(7));
        assertThat(withPage.knn()).containsExactly(search);
        assertThat(withPage.aggregations()).containsEntry("g", terms);
        assertThat(withPage.from()).contains(5);
        assertThat(withPage.size()).contains(7);
    }
}
