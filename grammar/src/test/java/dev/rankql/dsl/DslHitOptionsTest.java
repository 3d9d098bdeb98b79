package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.json.EsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hit option clauses ({@code VERSION}, {@code SEQ_NO_PRIMARY_TERM}, {@code TRACK_SCORES}, {@code FIELDS},
 * {@code DOCVALUE_FIELDS}, {@code STORED_FIELDS}) and a collapse's {@code INNER_HITS} and
 * {@code MAX_CONCURRENT_GROUP_SEARCHES}: each text builds the tree of its JSON twin and prints back as pinned here.
 */
class DslHitOptionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " <=> ", quoteCharacter = '`', textBlock = """
            VERSION <=> {"version": true}
            VERSION false <=> {}
            SEQ_NO_PRIMARY_TERM TRACK_SCORES <=> {"seq_no_primary_term": true, "track_scores": true}
            `FIELDS [title, "odd name", date*]` <=> {"fields": ["title", "odd name", "date*"]}
            FIELDS title <=> {"fields": ["title"]}
            `DOCVALUE_FIELDS [tag, {field: when, format: "epoch_millis"}]` <=> `{"docvalue_fields": ["tag", {"field": "when", "format": "epoch_millis"}]}`
            STORED_FIELDS _none_ <=> {"stored_fields": "_none_"}
            STORED_FIELDS [] <=> {"stored_fields": []}
            `STORED_FIELDS [title, pages]` <=> {"stored_fields": ["title", "pages"]}
            TERMINATE_AFTER 100 <=> {"terminate_after": 100}
            COLLAPSE shop MAX_CONCURRENT_GROUP_SEARCHES 4 <=> {"collapse": {"field": "shop", "max_concurrent_group_searches": 4}}
            `COLLAPSE shop INNER_HITS {name: "cheap", size: 2, sort: [price ASC], docvalue_fields: [price]} INNER_HITS {}` <=> `{"collapse": {"field": "shop", "inner_hits": [{"name": "cheap", "size": 2, "sort": [{"price": "asc"}], "docvalue_fields": ["price"]}, {}]}}`
            `RETRIEVE standard(match(t, "x"), collapse: {field: shop, inner_hits: {from: 1, _source: false, version: true}})` <=> `{"retriever": {"standard": {"query": {"match": {"t": {"query": "x"}}}, "collapse": {"field": "shop", "inner_hits": {"from": 1, "_source": false, "version": true}}}}}`
            """)
    void textAndJsonBuildTheSameTree(String text, String json) {
        var fromText = Dsl.parseRequest(text);
        assertThat(fromText).isEqualTo(EsJson.parseSearch(json));
        assertThat(Dsl.parseRequest(Dsl.print(fromText))).isEqualTo(fromText);
    }

    @Test
    void everyOptionPrintsInItsCanonicalPlace() {
        var request = EsJson.parseSearch("""
                {"query": {"match_all": {}}, "terminate_after": 50, "version": true, "seq_no_primary_term": true,
                 "track_scores": true, "fields": ["title"], "docvalue_fields": [{"field": "when", "format": "yyyy"}, "tag"],
                 "stored_fields": ["title", "pages"], "_source": false,
                 "collapse": {"field": "shop", "max_concurrent_group_searches": 2, "inner_hits": [
                   {"name": "cheap", "from": 1, "size": 4, "sort": [{"price": "asc"}], "collapse": {"field": "brand"},
                    "_source": ["title"], "fields": ["title"], "docvalue_fields": ["price"], "version": true,
                    "seq_no_primary_term": true, "track_scores": true},
                   {"name": "rest"}]}}""");
        assertThat(Dsl.inexpressible(request)).isEmpty();
        assertThat(Dsl.print(request)).isEqualTo("""
                QUERY match_all()
                COLLAPSE shop
                  INNER_HITS {
                    name: "cheap",
                    from: 1,
                    size: 4,
                    sort: [price ASC],
                    collapse: brand,
                    _source: [title],
                    fields: [title],
                    docvalue_fields: [price],
                    version: true,
                    seq_no_primary_term: true,
                    track_scores: true
                  }
                  INNER_HITS {name: "rest"}
                  MAX_CONCURRENT_GROUP_SEARCHES 2
                SOURCE false
                TERMINATE_AFTER 50
                VERSION
                SEQ_NO_PRIMARY_TERM
                TRACK_SCORES
                FIELDS [title]
                DOCVALUE_FIELDS [{field: when, format: "yyyy"}, tag]
                STORED_FIELDS [title, pages]""");
        assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
    }

    @Test
    void fieldsNamedLikeTheNewKeywordsAreQuoted() {
        var request = EsJson.parseSearch("""
                {"fields": ["FIELDS", "VERSION"], "stored_fields": ["INNER_HITS"]}""");
        assertThat(Dsl.print(request)).isEqualTo("""
                FIELDS ["FIELDS", "VERSION"]
                STORED_FIELDS ["INNER_HITS"]""");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '`', textBlock = """
            VERSION VERSION ==> line 1:9: duplicate clause VERSION; each clause may be given at most once
            VERSION 1 ==> line 1:9: mismatched input '1'.
            FIELDS 3 ==> line 1:8: expected a field pattern, found number 3
            `STORED_FIELDS [_none_, title]` ==> line 1:15: cannot combine _none_ with other fields
            `DOCVALUE_FIELDS [{field: a, fromat: "x"}]` ==> line 1:29: a doc value field takes only [field, format], found [fromat]
            `DOCVALUE_FIELDS [{format: "x"}]` ==> line 1:18: a doc value field needs [field]
            `SIZE 2 STORED_FIELDS _none_ SOURCE true` ==> line 1:1: [stored_fields] cannot be disabled if [_source] is requested
            COLLAPSE shop INNER_HITS 3 ==> line 1:26: INNER_HITS expects a map such as {name: "top", size: 3}, found number 3
            `COLLAPSE shop INNER_HITS {size: -1}` ==> line 1:33: [size] must not be negative, found [-1]
            `COLLAPSE shop INNER_HITS {sise: 1}` ==> line 1:27: INNER_HITS takes only [name, from, size, sort, collapse, _source, fields, docvalue_fields, version, seq_no_primary_term, track_scores], found [sise]
            `COLLAPSE shop INNER_HITS {version: 1}` ==> line 1:36: INNER_HITS [version] expects true or false, found number 1
            `COLLAPSE shop INNER_HITS {name: "a"} INNER_HITS {name: "a"}` ==> line 1:49: [inner_hits] already contains an entry for key [a]
            COLLAPSE shop MAX_CONCURRENT_GROUP_SEARCHES 0 ==> line 1:45: max_concurrent_group_searches must be positive, got 0
            COLLAPSE shop MAX_CONCURRENT_GROUP_SEARCHES 1 MAX_CONCURRENT_GROUP_SEARCHES 2 ==> line 1:47: duplicate MAX_CONCURRENT_GROUP_SEARCHES for one collapse
            `RETRIEVE standard(collapse: {inner_hits: {}})` ==> line 1:29: collapse needs [field]
            """)
    void badOptionsFailAtTheirPosition(String text, String message) {
        assertThatThrownBy(() -> Dsl.parseRequest(text))
                .isInstanceOf(DslSyntaxException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(message));
    }
}
