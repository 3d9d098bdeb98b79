package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.HitOptions;
import dev.rankql.ast.SortOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body options that shape each hit: collapse inner hits, version, sequence numbers, tracked scores, fields. */
class HitOptionsCodecTest {

    @Test
    void innerHitsAreReadWithEveryOptionAndWrittenBack() {
        var request = EsJson.parseSearch("""
                {"collapse": {"field": "shop", "max_concurrent_group_searches": 2, "inner_hits": [
                   {"name": "cheap", "from": 1, "size": 4, "sort": [{"price": "asc"}], "_source": false,
                    "fields": ["title", {"field": "tags"}], "version": true, "seq_no_primary_term": true,
                    "collapse": {"field": "brand"}},
                   {"name": "rest"}]},
                 "version": true, "seq_no_primary_term": true, "track_scores": true, "fields": ["price"]}""");
        var collapse = request.collapse().orElseThrow();
        assertThat(collapse.maxConcurrentGroupSearches()).contains(2);
        assertThat(collapse.innerHits()).hasSize(2);
        var cheap = collapse.innerHits().getFirst();
        assertThat(cheap.name()).contains("cheap");
        assertThat(cheap.from()).contains(1);
        assertThat(cheap.size()).contains(4);
        assertThat(cheap.sort().getFirst().order()).contains(SortOrder.ASC);
        assertThat(cheap.fields()).containsExactly("title", "tags");
        assertThat(cheap.collapse().orElseThrow().field()).isEqualTo("brand");
        assertThat(cheap.version()).isTrue();
        assertThat(cheap.seqNoPrimaryTerm()).isTrue();
        assertThat(request.hitOptions()).isEqualTo(new HitOptions(true, true, true, List.of("price")));

        assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
        assertThat(EsJson.parseSearch("{}").hitOptions().isDefault()).isTrue();
    }

    @Test
    void aCollapseInsideInnerHitsTakesOnlyAField() {
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"collapse": {"field": "shop", "inner_hits": {"collapse": {"field": "brand", "inner_hits": {"name": "x"}}}}}"""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.diagnostics().getFirst().type())
                        .isEqualTo(Diagnostic.X_CONTENT_PARSE_EXCEPTION));
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"collapse": {"field": "shop", "inner_hits": {"collapse": {"field": "brand", "collapse": {"field": "brand"}}}}}"""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.diagnostics().getFirst().type())
                        .isEqualTo(Diagnostic.X_CONTENT_PARSE_EXCEPTION));
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"collapse": {"field": "shop", "inner_hits": {"highlight": {}}}}"""))
                .hasMessageContaining("inner_hits option [highlight] is not supported by rankql");
    }
}
