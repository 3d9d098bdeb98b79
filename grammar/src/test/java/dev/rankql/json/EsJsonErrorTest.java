package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad bodies and the exact diagnostics they get: path, Elasticsearch's message and error type. */
class EsJsonErrorTest {

    private static final String P = Diagnostic.PARSING_EXCEPTION;
    private static final String X = Diagnostic.X_CONTENT_PARSE_EXCEPTION;
    private static final String I = Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
    private static final String V = Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION;

    private static Diagnostic d(String path, String message, String type) {
        return new Diagnostic(path, message, type);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("{\"rescore\": {\"window_size\": 10, \"foo\": 1, \"query\": {\"rescore_query\": "
                        + "{\"match_all\": {}}}}}",
                        List.of(d("$.rescore.foo", "rescore doesn't support [foo]", P))),
                arguments("{\"rescore\": {\"window_size\": 10}}",
                        List.of(d("$.rescore", "missing rescore type", P))),
                arguments("{\"rescore\": {\"learning_to_rank\": {\"model_id\": \"m\"}}}",
                        List.of(d("$.rescore", "window_size is required for rescorer of type [learning_to_rank]", P))),
                arguments("{\"rescore\": {\"window_size\": -3, \"query\": {\"rescore_query\": {\"match_all\": {}}}}}",
                        List.of(d("$.rescore.window_size", "[window_size] parameter cannot be negative, found [-3]",
                                V))),
                arguments("{\"rescore\": {\"window_size\": 5, \"learning_to_rank\": {\"model\": \"m\"}}}",
                        List.of(d("$.rescore.learning_to_rank.model",
                                        "[learning_to_rank] unknown field [model] did you mean [model_id]?", X),
                                d("$.rescore.learning_to_rank",
                                        "Required one of fields [model_id], but none were specified. ", I))),
                arguments("{\"rescore\": {\"window_size\": 5, \"learning_to_rank\": {\"model_id\": \"m\", "
                        + "\"weights\": 1}}}",
                        List.of(d("$.rescore.learning_to_rank.weights", "[learning_to_rank] unknown field [weights]",
                                X))),
                arguments("{\"rescore\": {\"window_size\": 5, \"magic\": {}}}",
                        List.of(d("$.rescore.magic", "unknown field [magic]", X),
                                d("$.rescore", "missing rescore type", P))),
                arguments("{\"rescore\": {\"window_size\": 5, \"query\": {\"score_mode\": \"sum\"}}}",
                        List.of(d("$.rescore.query.score_mode", "illegal score_mode [sum]", I),
                                d("$.rescore.query", "rescore_query cannot be null", I))),
                arguments("{\"retriever\": {\"standard\": {}}, \"query\": {\"match_all\": {}}, "
                        + "\"terminate_after\": 5, \"min_score\": 1}",
                        List.of(d("$", "cannot specify [retriever] and [query, terminate_after, min_score]", V))),
                arguments("{\"retriever\": {\"rescorer\": {\"retriever\": {\"standard\": {}}, \"rescore\": 7}}}",
                        List.of(d("$.retriever.rescorer.rescore", "Unknown format for [rescorer.rescore], expects an "
                                + "object or an array of objects, got: VALUE_NUMBER", I))),
                arguments("{\"retriever\": {\"rescorer\": {\"retriever\": {\"standard\": {}}, \"rescore\": []}}}",
                        List.of(d("$.retriever.rescorer.rescore", "Missing rescore definition", I))),
                arguments("{\"retriever\": {\"rescorer\": {}}}",
                        List.of(d("$.retriever.rescorer", "Required [retriever, rescore]", I))),
                arguments("{\"retriever\": {\"rescorer\": {\"retriever\": {\"standard\": {\"search_after\": [1], "
                        + "\"terminate_after\": 3}}, \"rescore\": {\"window_size\": 1, \"query\": {\"rescore_query\": "
                        + "{\"match_all\": {}}}}}}}",
                        List.of(d("$.retriever.rescorer.retriever.standard.search_after",
                                        "[search_after] cannot be used in children of compound retrievers", I),
                                d("$.retriever.rescorer.retriever.standard.terminate_after",
                                        "[terminate_after] cannot be used in children of compound retrievers", I))),
                arguments("{\"retriever\": {\"standrd\": {}}}",
                        List.of(d("$.retriever.standrd", "unknown retriever [standrd] did you mean [standard]?", P))),
                arguments("{\"retriever\": {\"rule\": {}}}",
                        List.of(d("$.retriever.rule", "the [rule] retriever is not supported by rankql", I))),
                arguments("{\"retriever\": {}}",
                        List.of(d("$.retriever", "retriever malformed, empty clause found", P))),
                arguments("{\"retriever\": {\"standard\": {\"querry\": {}}}}",
                        List.of(d("$.retriever.standard.querry", "[standard] unknown field [querry] did you mean "
                                + "[query]?", X))),
                arguments("{\"foo\": \"bar\", \"baz\": {}, \"qux\": [], \"nil\": null, \"size\": null}",
                        List.of(d("$.foo", "Unknown key for a VALUE_STRING in [foo].", P),
                                d("$.baz", "Unknown key for a START_OBJECT in [baz].", P),
                                d("$.qux", "Unknown key for a START_ARRAY in [qux].", P),
                                d("$.nil", "Unknown key for a VALUE_NULL in [nil].", P),
                                d("$.size", "Unknown key for a VALUE_NULL in [size].", P))),
                arguments("{\"from\": {}, \"query\": \"x\"}",
                        List.of(d("$.from", "Unknown key for a START_OBJECT in [from].", P),
                                d("$.query", "Unknown key for a VALUE_STRING in [query].", P))),
                arguments("{\"from\": -1, \"size\": -2, \"terminate_after\": -3}",
                        List.of(d("$.from", "[from] parameter cannot be negative but was [-1]", I),
                                d("$.size", "[size] parameter cannot be negative, found [-2]", I),
                                d("$.terminate_after", "terminateAfter must be > 0", I))),
                arguments("{\"from\": \"ten\", \"size\": 1.5, \"explain\": \"yes\", \"min_score\": 1e60}",
                        List.of(d("$.from", "expected integer, got string \"ten\"", X),
                                d("$.size", "expected integer, got number 1.5", X),
                                d("$.explain", "expected boolean, got string \"yes\"", X),
                                d("$.min_score", "expected finite number, got number 1E+60", X))),
                arguments("{\"track_total_hits\": -2}",
                        List.of(d("$.track_total_hits",
                                "[track_total_hits] parameter must be positive or equals to -1, got -2", I))),
                arguments("{\"suggest\": {}, \"highlight\": {}}",
                        List.of(d("$.suggest", "[suggest] is not supported by rankql", I),
                                d("$.highlight", "[highlight] is not supported by rankql", I))),
                arguments("{\"_source\": {\"includes\": [\"a\"], \"fields\": [\"b\"]}}",
                        List.of(d("$._source.fields", "Unknown key for a START_ARRAY in [fields].", P))),
                arguments("{\"sort\": [{\"price\": {\"order\": \"up\", \"missing\": \"_last\"}}]}",
                        List.of(d("$.sort[0].price.order", "expected one of [asc, desc], got string \"up\"", X),
                                d("$.sort[0].price.missing", "sort option [missing] is not supported by rankql", I))),
                arguments("{\"collapse\": {\"inner_hits\": {\"highlight\": {}}}}",
                        List.of(d("$.collapse.inner_hits.highlight", "inner_hits option [highlight] is not supported by rankql",
                                        I),
                                d("$.collapse", "Required [field]", I))),
                arguments("{\"size\": 5, \"rescore\": {\"window_size\": 2, "
                        + "\"learning_to_rank\": {\"model_id\": \"m\"}}}",
                        List.of(d("$.rescore[0]", "rescorer [window_size] is too small and should be at least the "
                                + "value of [from + size: 4] but was [2]", V))),
                arguments("{\"from\": 10, \"rescore\": {\"window_size\": 2, "
                        + "\"learning_to_rank\": {\"model_id\": \"m\"}}}",
                        List.of(d("$.rescore[0]", "rescorer [window_size] is too small and should be at least the "
                                + "value of [from + size: 9] but was [2]", V))),
                arguments("{\"rescore\": [{\"window_size\": 5, \"learning_to_rank\": {\"model_id\": \"m\"}}, "
                        + "{\"window_size\": 4, \"query\": {\"rescore_query\": {\"match_all\": {}}}}, "
                        + "{\"query\": {\"rescore_query\": {\"match_all\": {}}}}]}",
                        List.of(d("$.rescore[0]", "unable to add a rescorer with [window_size: 10] because a rescorer "
                                + "of type [learning_to_rank] with a smaller [window_size: 5] has been added before",
                                V))),
                arguments("{\"size\": 20, \"retriever\": {\"rescorer\": {\"retriever\": {\"standard\": {}}, "
                        + "\"rescore\": [{\"window_size\": 30, \"query\": {\"rescore_query\": {\"match_all\": {}}}}, "
                        + "{\"query\": {\"rescore_query\": {\"match_all\": {}}}}]}}}",
                        List.of(d("$.retriever.rescorer", "[rescorer] requires [window_size: 10] be greater than or "
                                + "equal to [size: 20]", V))),
                arguments("{\"search_after\": [], \"retriever\": {\"standard\": {\"search_after\": []}}}",
                        List.of(d("$.search_after", "Values must contains at least one value.", I),
                                d("$.retriever.standard.search_after", "Values must contains at least one value.", I),
                                d("$", "cannot specify [retriever] and [search_after]", V))),
                arguments("{\"search_after\": [1, {\"a\": 1}]}",
                        List.of(d("$.search_after[1]", "Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] "
                                + "or [VALUE_NULL] but found [START_OBJECT] inside search_after.", P))));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void reportsRequestProblems(String json, List<Diagnostic> expected) {
        var result = EsJson.readSearch(json);
        assertThat(result.isInvalid()).as("%s is invalid", json).isTrue();
        assertThat(result.getError()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                arguments("{\"mach\": {\"title\": \"x\"}}", "$.mach: unknown query [mach] did you mean [match]?"),
                arguments("{\"foo\": {}}", "$.foo: unknown query [foo]"),
                arguments("{\"function_score\": {}}", "$.function_score: the [function_score] query is not "
                        + "supported by rankql"),
                arguments("{}", "$: query malformed, empty clause found"),
                arguments("[]", "$: [_na] query malformed, must start with start_object"),
                arguments("{\"match\": \"x\"}", "$.match: [match] query malformed, no start_object after query name"),
                arguments("{\"match\": {\"title\": \"x\"}, \"term\": {\"a\": 1}}",
                        "$.term: [match] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"),
                arguments("{\"match\": {\"title\": \"x\", \"boost\": 2}}",
                        "$.match.boost: [match] query doesn't support multiple fields, found [title] and [boost]"),
                arguments("{\"match\": {\"title\": {\"query\": \"x\", \"foo\": 1}}}",
                        "$.match.title.foo: [match] query does not support [foo]"),
                arguments("{\"match\": {\"title\": {\"query\": \"x\", \"foo\": {}}}}",
                        "$.match.title.foo: [match] unknown token [START_OBJECT] after [foo]"),
                arguments("{\"match\": {\"title\": {\"query\": \"x\", \"lenient\": true}}}",
                        "$.match.title.lenient: [match] option [lenient] is not supported by rankql"),
                arguments("{\"match\": {\"title\": {\"operator\": \"and\"}}}",
                        "$.match.title: No text specified for text query"),
                arguments("{\"match\": {}}", "$.match: No text specified for text query"),
                arguments("{\"match\": {\"title\": {\"query\": \"x\", \"operator\": \"xor\"}}}",
                        "$.match.title.operator: expected one of [or, and], got string \"xor\""),
                arguments("{\"match\": {\"title\": [\"x\"]}}",
                        "$.match.title: [match] unknown token [START_ARRAY] after [title]"),
                arguments("{\"term\": {\"tag\": [\"x\"]}}",
                        "$.term.tag: [term] query does not support array of values"),
                arguments("{\"term\": {}}", "$.term: field name is null or empty"),
                arguments("{\"term\": {\"\": \"x\"}}", "$.term['']: field name is null or empty"),
                arguments("{\"match\": {\" \": \"x\"}}", "$.match[' ']: [match] requires fieldName"),
                arguments("{\"fuzzy\": {\"\": \"x\"}}", "$.fuzzy['']: field name cannot be null or empty"),
                arguments("{\"term\": {\"tags.keyword\": {\"boost\": 1}}}",
                        "$.term['tags.keyword']: value cannot be null"),
                arguments("{\"term\": {\"tag\": {\"value\": \"x\", \"boost\": -1}}}",
                        "$.term.tag.boost: negative [boost] are not allowed."),
                arguments("{\"terms\": {\"boost\": 2}}", "$.terms: [terms] query requires a field name, followed by "
                        + "array of terms or a document lookup specification"),
                arguments("{\"terms\": {\"a\": [1], \"b\": [2]}}", "$.terms.b: [terms] query does not support "
                        + "multiple fields"),
                arguments("{\"terms\": {\"a\": [1, null]}}", "$.terms.a[1]: No value specified for terms query"),
                arguments("{\"range\": {\"price\": {\"gte\": 1, \"include_lower\": true}}}",
                        "$.range.price.include_lower: [range] option [include_lower] is not supported by rankql"),
                arguments("{\"bool\": {\"must\": [{\"match_all\": {}}], \"shoud\": []}}",
                        "$.bool.shoud: [bool] unknown field [shoud] did you mean [should]?"),
                arguments("{\"bool\": {\"must\": \"x\"}}",
                        "$.bool.must: expected query object or array of query objects, got string \"x\""),
                arguments("{\"exists\": {}}", "$.exists: [exists] must be provided with a [field]"),
                arguments("{\"match_all\": {\"boost\": 1, \"foo\": 2}}", "$.match_all.foo: [match_all] unknown field "
                        + "[foo]"),
                arguments("{\"constant_score\": {\"boost\": 1}}",
                        "$.constant_score: [constant_score] requires a 'filter' element"),
                arguments("{\"dis_max\": {\"queries\": []}}",
                        "$.dis_max: [dis_max] requires 'queries' field with at least one clause"),
                arguments("{\"prefix\": {\"title\": {\"boost\": 2}}}", "$.prefix.title: No value specified for prefix "
                        + "query"),
                arguments("{\"fuzzy\": {}}", "$.fuzzy: field name cannot be null or empty"),
                arguments("{\"match_phrase\": {}}", "$.match_phrase: [match_phrase] requires fieldName"),
                arguments("{\"match_phrase_prefix\": {\"f\": {\"slop\": 1}}}",
                        "$.match_phrase_prefix.f: [match_phrase_prefix] requires query value"),
                arguments("{\"multi_match\": {\"query\": \"x\", \"type\": \"phrase\", \"fuzziness\": 1}}",
                        "$.multi_match.fuzziness: Fuzziness not allowed for type [phrase]"),
                arguments("{\"multi_match\": {\"query\": \"x\", \"type\": \"bool_prefix\", \"slop\": 2}}",
                        "$.multi_match.slop: [slop] not allowed for type [bool_prefix]"),
                arguments("{\"multi_match\": {\"fields\": [\"title^x\"]}}",
                        "$.multi_match.fields[0]: invalid boost [x] in field [title^x]\n"
                                + "$.multi_match: No text specified for multi_match query"),
                arguments("{\"rank_feature\": {\"field\": \"pr\", \"log\": {}, \"linear\": {}}}",
                        "$.rank_feature.log: Required [scaling_factor]\n"
                                + "$.rank_feature.linear: Can only specify one of [log], [saturation], [sigmoid] and "
                                + "[linear]"),
                arguments("{\"rank_feature\": {\"fied\": \"pr\"}}",
                        "$.rank_feature.fied: [feature] unknown field [fied] did you mean [field]?\n"
                                + "$.rank_feature: Required [field]"),
                arguments("{\"rank_feature\": {\"field\": \"pr\", \"saturation\": {\"pivot\": 0}}}",
                        "$.rank_feature.saturation.pivot: [pivot] must be a positive number, found [0.0]"),
                arguments("{\"script_score\": {\"query\": {\"match_all\": {}}}}", "$.script_score: Required [script]"),
                arguments("{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": \"return 1;\"}}",
                        "$.script_score.script: expected script object, got string \"return 1;\""),
                arguments("{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"painless\", "
                        + "\"sauce\": \"x\"}}}",
                        "$.script_score.script.sauce: [script] unknown field [sauce] did you mean [source]?\n"
                                + "$.script_score.script: must specify either [source] for an inline script or [id] "
                                + "for a stored script"));
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void reportsQueryProblems(String json, String expected) {
        assertThatThrownBy(() -> EsJson.parseQuery(json)).isInstanceOf(InvalidRequestException.class)
                .hasMessage(expected);
    }

    @Test
    void reportsEveryProblemOfABodyAtOnce() {
        String json = """
                {
                  "size": -5,
                  "query": {"bool": {
                    "must": [{"match": {"title": {"query": "x", "operator": "maybe"}}}, {"nope": {}}],
                    "filter": {"range": {"price": {"gte": [1]}}}}},
                  "rescore": [
                    {"window_size": 10, "learning_to_rank": {"model_id": "m"}},
                    {"learning_to_rank": {"model_id": 7}},
                    {"window_size": "ten", "query": {"rescore_query": {"match_all": {}}}}],
                  "highlight": {}
                }
                """;
        var result = EsJson.readSearch(json);
        assertThat(result.getError()).extracting(Diagnostic::toString).containsExactly(
                "$.size: [size] parameter cannot be negative, found [-5]",
                "$.query.bool.must[0].match.title.operator: expected one of [or, and], got string \"maybe\"",
                "$.query.bool.must[1].nope: unknown query [nope]",
                "$.query.bool.filter.range.price.gte: expected string, number or boolean, got array",
                "$.rescore[1]: window_size is required for rescorer of type [learning_to_rank]",
                "$.rescore[1].learning_to_rank.model_id: expected string, got number 7",
                "$.rescore[2].window_size: expected integer, got string \"ten\"",
                "$.highlight: [highlight] is not supported by rankql");
        assertThatThrownBy(() -> EsJson.parseSearch(json)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).diagnostics()).hasSize(8))
                .hasMessageContaining("$.rescore[2].window_size: expected integer");
    }

    @Test
    void syntaxErrorsAreOneDiagnosticWithLineAndColumn() {
        var result = EsJson.readSearch("{\n  \"size\": 10,\n  \"query\": {\"match_all\": {}}\n  \"from\": 1\n}");
        assertThat(result.getError()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("$");
            assertThat(d.message()).startsWith("invalid JSON at line 4, column 3: Unexpected character ('\"'");
            assertThat(d.type()).isEqualTo(X);
        });
        assertThat(EsJson.readSearch("{\"a\": 1, \"a\": 2}").getError()).singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("invalid JSON at line 1, column 13: Duplicate Object property \"a\"");
        assertThat(EsJson.readSearch("{} {}").getError()).singleElement().extracting(Diagnostic::message)
                .asString().startsWith("invalid JSON at line 1, column 4: Trailing token");
        assertThat(EsJson.readSearch("  ").getError()).singleElement().extracting(Diagnostic::toString)
                .isEqualTo("$: expected a JSON object, got nothing");
        assertThat(EsJson.readSearch("[1]").getError()).singleElement().extracting(Diagnostic::toString)
                .isEqualTo("$: Expected [START_OBJECT] but found [START_ARRAY]");
    }

    @Test
    void pathsQuoteFieldNamesThatAreNotPlain() {
        var result = EsJson.readQuery("{\"term\": {\"a 'b'\": {\"value\": 1, \"x\": 2}}}");
        assertThat(result.getError()).extracting(Diagnostic::path).containsExactly("$.term['a \\'b\\''].x");
    }
}
