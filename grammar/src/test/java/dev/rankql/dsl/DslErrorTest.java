package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad inputs and the exact message, line and column each must produce. */
class DslErrorTest {

    private static final String CLAUSES = "'AGGS', 'COLLAPSE', 'DOCVALUE_FIELDS', 'EXPLAIN', 'EXT', 'FIELDS', 'KNN', "
            + "'MIN_SCORE', 'OFFSET', 'PROFILE', 'SEARCH_AFTER', 'SEQ_NO_PRIMARY_TERM', 'SIZE', 'SORT', 'SOURCE', "
            + "'STORED_FIELDS', 'TERMINATE_AFTER', 'TIMEOUT', 'TRACK_SCORES', 'TRACK_TOTAL_HITS', 'VERSION'";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '`', textBlock = """
            # syntax
            RETRIEVE ==> line 1:9: mismatched input '<EOF>'. Expecting: <retriever>
            QUERY ==> line 1:6: mismatched input '<EOF>'. Expecting: <query>
            RETRIEVE standard() | RESCORE ==> line 1:30: mismatched input '<EOF>'. Expecting: <rescore>
            RETRIEVE standard() | ==> line 1:22: mismatched input '<EOF>'. Expecting: 'RESCORE'
            RETRIEVE ( ==> line 1:11: mismatched input '<EOF>'. Expecting: <retriever>
            RETRIEVE (standard() ==> line 1:21: mismatched input '<EOF>'. Expecting: ')', '|'
            QUERY match(title, "x" ==> line 1:23: mismatched input '<EOF>'. Expecting: ')', ','
            QUERY match(title "x") ==> line 1:19: mismatched input '"x"'. Expecting: ')', ','
            QUERY match(, "x") ==> line 1:13: mismatched input ','. Expecting: ')'
            `QUERY match(title, "x",,)` ==> line 1:24: mismatched input ','. Expecting: ')', <identifier>, <value>
            QUERY match(title, 01) ==> line 1:21: mismatched input '1'. Expecting: ')', ','
            QUERY bool(must: [match_all() exists(a)]) ==> line 1:31: mismatched input 'exists'. Expecting: ',', ']'
            FROM ==> line 1:5: mismatched input '<EOF>'. Expecting: <identifier>, <string>
            SIZE ==> line 1:5: mismatched input '<EOF>'. Expecting: <number>
            `SORT a,` ==> line 1:8: mismatched input '<EOF>'. Expecting: <identifier>, <string>
            COLLAPSE 5 ==> line 1:10: mismatched input '5'. Expecting: <identifier>, <string>
            RETRIEVE standard() | RESCORE ltr(m) WINDOW 1 MIN_SCORE x ==> line 1:57: mismatched input 'x'. Expecting: <number>
            # lexical
            QUERY match(title, "x\\q") ==> line 1:22: invalid escape sequence '\\q'
            QUERY match(title, "x\\u12") ==> line 1:22: invalid unicode escape: \\u needs four hex digits
            QUERY match(title, "abc ==> line 1:20: unterminated string: a string ends with its quote on the same line
            QUERY match(title, 'abc ==> line 1:20: unterminated string: a string ends with its quote on the same line
            QUERY match(title, "x") # comment ==> line 1:25: unexpected character '#'
            QUERY /* unterminated ==> line 1:7: unterminated comment: /* needs a closing */
            QUERY match(title, -x) ==> line 1:20: unexpected character '-'
            # semantic
            SIZE 1.5 ==> line 1:6: expected an integer, found 1.5
            SIZE 10 SIZE 20 ==> line 1:9: duplicate clause SIZE; each clause may be given at most once
            SIZE 99999999999 ==> line 1:6: integer out of range: 99999999999
            SIZE -1 ==> line 1:6: [size] parameter cannot be negative, found [-1]
            OFFSET -2 ==> line 1:8: [from] parameter cannot be negative but was [-2]
            TERMINATE_AFTER -2 ==> line 1:17: [terminate_after] must not be negative, found [-2]
            RETRIEVE standard() | RESCORE ltr("m") ==> line 1:31: window_size is required for rescorer of type [learning_to_rank]
            RETRIEVE standard() | RESCORE ltr("m") WINDOW -1 ==> line 1:47: [window_size] parameter cannot be negative, found [-1]
            RETRIEVE standard() MIN_SCORE 1 ==> line 1:21: cannot specify [retriever] and [min_score]
            RETRIEVE standard() SORT a TERMINATE_AFTER 5 ==> line 1:21: cannot specify [retriever] and [terminate_after, sort]
            RETRIEVE foo() ==> line 1:10: unknown retriever [foo]; expected one of [standard, knn, rrf, linear]
            RESCORE bar() ==> line 1:9: unknown rescorer [bar]; expected one of [ltr, learning_to_rank, query, script]
            QUERY match(title) ==> line 1:7: [match] missing argument [query]
            QUERY match(title, "x", boost: 1, boost: 2) ==> line 1:35: [match] duplicate argument [boost]
            QUERY match(title, "x", operator: xor) ==> line 1:35: [match] argument [operator] expects one of [or, and], found [xor]
            QUERY match(title, "x", "y") ==> line 1:25: [match] takes 2 positional arguments [field, query]
            QUERY match(t, "x", operator: 1) ==> line 1:31: [match] argument [operator] expects one of [or, and], found number 1
            QUERY match(operator: and, title, "x") ==> line 1:28: [match] positional argument after named arguments
            QUERY match(title, [1]) ==> line 1:20: expected a string, number or boolean, found array
            QUERY match_phrase(title, "x", slop: "two") ==> line 1:38: [match_phrase] argument [slop] expects an integer, found string "two"
            QUERY match(title, "x", boost: -1) ==> line 1:32: negative [boost] are not allowed.
            QUERY term(title, "x", case_insensitive: 1) ==> line 1:42: [term] argument [case_insensitive] expects true or false, found number 1
            QUERY match_all() EXT [1] ==> line 1:23: expected a map {...}, found a list
            SOURCE 5 ==> line 1:8: SOURCE expects true, false, a list of field patterns or {includes: [...], excludes: [...]}, found number 5
            TRACK_TOTAL_HITS -5 ==> line 1:18: [track_total_hits] parameter must be positive or equals to -1, got -5
            QUERY rank_feature(f, log(scaling_factor: 0)) ==> line 1:23: [scaling_factor] must be a positive number, found [0.0]
            QUERY rank_feature(f, cube()) ==> line 1:23: unknown rank_feature function [cube]; expected one of [linear, log, saturation, sigmoid]
            `QUERY script_score(match_all(), 5)` ==> line 1:33: [script_score] expects a script source string or script(...), found number 5
            QUERY bool(must: "x") ==> line 1:18: expected a query, found string "x"
            QUERY terms(tag, "x") ==> line 1:18: expected a list [...], found string "x"
            QUERY match(title^2, "x") ==> line 1:13: expected a field name, found a boosted field
            QUERY match(title, x DESC) ==> line 1:22: a sort order is only allowed in a sort list
            RETRIEVE standard() | RESCORE ltr("m") WINDOW 5 NAME "a" NAME "b" ==> line 1:58: duplicate NAME for one rescorer
            `EXT {a: 1, a: 2}` ==> line 1:12: duplicate key [a]
            QUERY match("", "x") ==> line 1:7: [field] must not be empty
            `RESCORE ltr("", params: {}) WINDOW 1` ==> line 1:9: [model_id] must not be empty
            QUERY match(title, 1e999) ==> line 1:20: number out of range: 1e999
            RESCORE ltr(m, params: {a: match_all()}) WINDOW 1 ==> line 1:28: expected a value, found a call to [match_all]
            """)
    void reportsThePositionedMessage(String text, String message) {
        assertThatThrownBy(() -> Dsl.parseRequest(text))
                .isInstanceOf(DslSyntaxException.class)
                .hasMessage(message);
    }

    @Test
    void theBriefsExamplesOfMessages() {
        var e = catchThrowableOfType(DslSyntaxException.class, () -> Dsl.parseRequest("""
                FROM products
                RETRIEVE standard(match(title, "x"))
                  | RESCORE ltr("m", params: {query_text: )"""));
        assertThat(e.getMessage()).isEqualTo("line 3:43: mismatched input ')'. Expecting: <value>");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(43);
        assertThat(e.offendingText()).isEqualTo(")");
        assertThat(e.bareMessage()).isEqualTo("mismatched input ')'. Expecting: <value>");
    }

    @Test
    void listsEveryClauseWhereOneCouldFollow() {
        assertThatThrownBy(() -> Dsl.parseRequest("SIZE 1 FILTER x"))
                .hasMessage("line 1:8: mismatched input 'FILTER'. Expecting: " + CLAUSES + ", <EOF>");
        assertThatThrownBy(() -> Dsl.parseRequest("size 10"))
                .hasMessage("line 1:1: mismatched input 'size'. Expecting: " + CLAUSES.replace("'FIELDS', ",
                        "'FIELDS', 'FROM', ").replace("'PROFILE', ", "'PROFILE', 'QUERY', 'RESCORE', 'RETRIEVE', ")
                        + ", <EOF>");
    }

    @Test
    void unknownFunctionsListTheKnownOnes() {
        assertThatThrownBy(() -> Dsl.parseQuery("foo(x)"))
                .hasMessage("line 1:1: unknown query [foo]; expected one of [bool, constant_score, dis_max, exists, "
                        + "fuzzy, ids, match, match_all, match_none, match_phrase, match_phrase_prefix, multi_match, "
                        + "prefix, range, rank_feature, script_score, term, terms, wildcard]");
        assertThatThrownBy(() -> Dsl.parseQuery("match(title, \"x\", foo: 1)"))
                .hasMessage("line 1:19: [match] unknown argument [foo]; expected one of [operator, "
                        + "minimum_should_match, fuzziness, analyzer, zero_terms_query, boost, name]");
    }

    @Test
    void entryPointsRejectTrailingInput() {
        assertThatThrownBy(() -> Dsl.parseQuery("match_all() match_all()"))
                .hasMessage("line 1:13: mismatched input 'match_all'. Expecting: <EOF>");
        assertThatThrownBy(() -> Dsl.parseQuery(""))
                .hasMessage("line 1:1: mismatched input '<EOF>'. Expecting: <query>");
        assertThatThrownBy(() -> Dsl.parseRetriever("standard() SIZE 1"))
                .hasMessage("line 1:12: mismatched input 'SIZE'. Expecting: '|', <EOF>");
    }

    @Test
    void nestingBeyondTheLimitIsPositioned() {
        String deep = "QUERY " + "bool(must: ".repeat(Dsl.MAX_DEPTH) + "match_all()" + ")".repeat(Dsl.MAX_DEPTH);
        assertThatThrownBy(() -> Dsl.parseRequest(deep))
                .hasMessage("line 1:" + (6 + 11 * Dsl.MAX_DEPTH + 9 + 1) + ": too deeply nested: at most 64 "
                        + "levels of parentheses, brackets and braces are allowed");
        String fits = "QUERY " + "bool(must: ".repeat(Dsl.MAX_DEPTH - 1) + "exists(a" + ")".repeat(Dsl.MAX_DEPTH);
        assertThat(Dsl.parseRequest(fits).query()).isPresent();
        assertThatThrownBy(() -> Dsl.parseRequest("EXT {a: " + "[".repeat(10_000)))
                .isInstanceOf(DslSyntaxException.class)
                .hasMessageStartingWith("line 1:72: too deeply nested");
    }

    @Test
    void aStackOverflowBecomesAPositionedError() throws InterruptedException {
        String deep = "QUERY " + "bool(must: [".repeat(31) + "match_all()" + "])".repeat(31);
        var expected = Dsl.parseRequest(deep);
        var outcome = new Object[1];
        // The smallest stack the JVM allows is too small for this depth here; elsewhere the parse may succeed.
        var thread = new Thread(null, () -> {
            try {
                outcome[0] = Dsl.parseRequest(deep);
            } catch (Throwable e) {
                outcome[0] = e;
            }
        }, "tiny-stack", 16 * 1024);
        thread.start();
        thread.join();
        if (outcome[0] instanceof Throwable e) {
            assertThat(e).isInstanceOf(DslSyntaxException.class)
                    .hasMessage("line 1:388: too deeply nested: the text needs more stack than this thread has");
        } else {
            assertThat(outcome[0]).isEqualTo(expected);
        }
    }

    @Test
    void longPipeChainsNeedNoDeepRecursion() {
        String text = "RETRIEVE standard()" + " | RESCORE script(\"_score\")".repeat(5_000);
        var retriever = Dsl.parseRequest(text).retriever().orElseThrow();
        assertThat(retriever.type()).isEqualTo("rescorer");
        assertThat(Dsl.print(retriever).lines().count()).isEqualTo(5_001);
    }

    @Test
    void lexicalErrorsNameTheirText() {
        var string = catchThrowableOfType(DslSyntaxException.class,
                () -> Dsl.parseRequest("QUERY match(t, \"abc\n\")"));
        assertThat(string.offendingText()).isEqualTo("\"abc");
        var comment = catchThrowableOfType(DslSyntaxException.class, () -> Dsl.parseRequest("SIZE 1 /* a\nb"));
        assertThat(comment.offendingText()).isEqualTo("/*");
        assertThat(comment.column()).isEqualTo(8);
        assertThatThrownBy(() -> Dsl.parseRequest("SIZE 1\u0000")).hasMessage("line 1:7: unexpected character U+0000");
        assertThatThrownBy(() -> Dsl.parseRequest("SIZE €")).hasMessage("line 1:6: unexpected character '€'");
    }

    @Test
    void errorsOnLaterLinesCountFromOne() {
        var e = catchThrowableOfType(DslSyntaxException.class,
                () -> Dsl.parseRequest("// comment\n/* a\nb */ SIZE 1\n\tOFFSET x"));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.offendingText()).isEqualTo("x");
    }
}
