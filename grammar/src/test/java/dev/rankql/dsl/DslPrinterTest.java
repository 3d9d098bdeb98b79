package dev.rankql.dsl;

import static dev.rankql.dsl.Trees.exists;
import static dev.rankql.dsl.Trees.ltr;
import static dev.rankql.dsl.Trees.match;
import static dev.rankql.dsl.Trees.matchAll;
import static dev.rankql.dsl.Trees.none;
import static dev.rankql.dsl.Trees.queryRescore;
import static dev.rankql.dsl.Trees.req;
import static dev.rankql.dsl.Trees.rescorer;
import static dev.rankql.dsl.Trees.scriptRescore;
import static dev.rankql.dsl.Trees.some;
import static dev.rankql.dsl.Trees.standard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Query;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical layout, pinned: what round trips alone cannot show. */
class DslPrinterTest {

    private static final Span S = Span.NONE;

    @Test
    void namesAreBareOnlyWhenTheyLexAsIdentifiers() {
        var q = new Query.MultiMatch(S, Value.of("x"),
                List.of(FieldRef.of("title.*"), FieldRef.of("SIZE"), FieldRef.of("true"), FieldRef.of("1st"),
                        FieldRef.of("a-b"), new FieldRef("@t", some(2.5f))),
                none(), none(), none(), none(), none(), none(), none(), none(), none(), none());
        assertThat(Dsl.print(q))
                .isEqualTo("multi_match(\"x\", fields: [title.*, \"SIZE\", \"true\", \"1st\", \"a-b\", @t^2.5])");
    }

    @Test
    void stringsAreDoubleQuotedWithJsonEscapes() {
        assertThat(Dsl.print(match("f", "q\"\\\n\t\u0001é😀\ud800")))
                .isEqualTo("match(f, \"q\\\"\\\\\\n\\t\\u0001é😀\\ud800\")");
    }

    @Test
    void textOptionsAndNumbersKeepTheirKind() {
        var q = new Query.Match(S, "f", Value.of(2.0), none(), some("2"), some("AUTO:3,6"), some("en"), none(),
                some(1.5f), some("n"));
        assertThat(Dsl.print(q)).isEqualTo(
                "match(f, 2.0, minimum_should_match: 2, fuzziness: \"AUTO:3,6\", analyzer: en, boost: 1.5, "
                        + "name: \"n\")");
    }

    @Test
    void longCallsBreakOneArgumentPerLine() {
        var words = "a very long query text that will not fit on one line together with the rest";
        var q = new Query.Bool(S, List.of(match("title", words)), List.of(exists("a"), exists("b")), List.of(),
                List.of(), none(), none(), none());
        assertThat(Dsl.print(q)).isEqualTo("""
                bool(
                  must: match(title, "a very long query text that will not fit on one line together with the rest"),
                  should: [exists(a), exists(b)]
                )""");
    }

    @Test
    void pipesOptionsAndNestedRescorersEachGetALine() {
        Retriever inner = new Retriever.Rescorer(S, standard(matchAll()),
                List.of(queryRescore(exists("a"), 100), scriptRescore("_score", 10)), List.of(exists("b")),
                some(0.5f), some("stage"));
        var request = req().index("idx").retriever(rescorer(inner, ltr("m", 5, Map.of()))).size(3).build();
        assertThat(Dsl.print(request)).isEqualTo("""
                FROM idx
                RETRIEVE standard(match_all())
                  | RESCORE query(exists(a)) WINDOW 100
                    RESCORE script("_score") WINDOW 10
                    FILTER exists(b)
                    MIN_SCORE 0.5
                    NAME "stage"
                  | RESCORE ltr("m") WINDOW 5
                SIZE 3""");
    }

    @Test
    void theQueryFormIndentsItsRescores() {
        var request = req().query(matchAll()).rescore(scriptRescore("_score", null), ltr("m", 5, Map.of())).build();
        assertThat(Dsl.print(request)).isEqualTo("""
                QUERY match_all()
                  RESCORE script("_score")
                  RESCORE ltr("m") WINDOW 5""");
        assertThat(Dsl.print(req().rescore(ltr("m", 5, Map.of())).build())).isEqualTo("RESCORE ltr(\"m\") WINDOW 5");
        assertThat(Dsl.print(req().build())).isEmpty();
    }

    @Test
    void everyFloatAnAstAcceptsCanBePrinted() {
        assertThatThrownBy(() -> new Query.DisMax(S, List.of(new Query.MatchAll(S, none(), none())), some(Float.NaN), none(), none()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Query.ScriptScore(S, matchAll(), new dev.rankql.ast.Script(S, "s", none(),
                Map.of()), some(Float.POSITIVE_INFINITY), none(), none()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
