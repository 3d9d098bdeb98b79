package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.FieldAndFormat;
import dev.rankql.ast.HitOptions;
import dev.rankql.ast.SortOrder;
import java.util.List;
import java.util.Optional;
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

    @Test
    void docValueAndStoredFieldsAreReadAndWrittenBack() {
        var request = EsJson.parseSearch("""
                {"docvalue_fields": ["tag", {"field": "when", "format": "epoch_millis"}, {"field": "p*"}],
                 "stored_fields": ["title", "pages"],
                 "collapse": {"field": "shelf", "inner_hits": {"docvalue_fields": [{"field": "pages", "format": "0.0"}]}},
                 "terminate_after": 7}""");
        var options = request.hitOptions();
        assertThat(options.docvalueFields()).containsExactly(FieldAndFormat.of("tag"),
                new FieldAndFormat("when", Optional.of("epoch_millis")), FieldAndFormat.of("p*"));
        assertThat(options.storedFields()).contains(List.of("title", "pages"));
        assertThat(request.collapse().orElseThrow().innerHits().getFirst().docvalueFields())
                .containsExactly(new FieldAndFormat("pages", Optional.of("0.0")));
        assertThat(request.terminateAfter()).contains(7);
        assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
        assertThat(EsJson.writeSearchCompact(request)).contains("\"docvalue_fields\":[\"tag\",{\"field\":\"when\",\"format\":\"epoch_millis\"},\"p*\"]");

        var none = EsJson.parseSearch("""
                {"stored_fields": "_none_"}""");
        assertThat(none.hitOptions().storedFieldsDisabled()).isTrue();
        assertThat(EsJson.parseSearch(EsJson.writeSearch(none))).isEqualTo(none);
        var empty = EsJson.parseSearch("""
                {"stored_fields": []}""");
        assertThat(empty.hitOptions().storedFields()).contains(List.of());
        assertThat(empty.hitOptions().storedFieldsDisabled()).isFalse();
        assertThat(EsJson.parseSearch(EsJson.writeSearch(empty))).isEqualTo(empty);
    }

    @Test
    void badDocValueAndStoredFieldsGetPositionedErrors() {
        assertThat(problems("""
                {"docvalue_fields": "tag"}""")).containsExactly("$.docvalue_fields");
        assertThat(problems("""
                {"docvalue_fields": ["tag", 3, {"format": "x"}, {"field": "a", "fromat": "x"}]}"""))
                .containsExactly("$.docvalue_fields[1]", "$.docvalue_fields[2]", "$.docvalue_fields[3].fromat");
        assertThat(problems("""
                {"collapse": {"field": "s", "inner_hits": {"docvalue_fields": [{"field": 1}]}}}"""))
                .containsExactly("$.collapse.inner_hits.docvalue_fields[0].field");
        assertThat(problems("""
                {"stored_fields": ["a", 1]}""")).containsExactly("$.stored_fields[1]");
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"stored_fields": ["_none_", "title"]}"""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.diagnostics().getFirst().path()).isEqualTo("$.stored_fields");
                    assertThat(e.diagnostics().getFirst().message()).isEqualTo("cannot combine _none_ with other fields");
                });
        assertThatThrownBy(() -> new HitOptions(false, false, false, List.of(), List.of(), Optional.of(List.of("_none_", "x"))))
                .hasMessage("cannot combine _none_ with other fields");
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"stored_fields": "_none_", "_source": ["title"], "fields": ["title"]}"""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.diagnostics()).extracting(Diagnostic::message)
                        .containsExactly("[stored_fields] cannot be disabled if [_source] is requested",
                                "[stored_fields] cannot be disabled when using the [fields] option"));
        assertThat(EsJson.parseSearch("""
                {"stored_fields": "_none_", "_source": false}""").hitOptions().storedFieldsDisabled()).isTrue();
    }

    private static List<String> problems(String body) {
        try {
            EsJson.parseSearch(body);
        } catch (InvalidRequestException e) {
            return e.diagnostics().stream().map(Diagnostic::path).toList();
        }
        throw new AssertionError("no problem found in " + body);
    }
}
