package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.EngineException;
import org.junit.jupiter.api.Test;

/** A malformed percent escape in the path or query string is the client's 400, found by fuzzing the parser. */
class PercentDecodingTest {

    @Test
    void aBadEscapeInThePathIsAnIllegalArgument() {
        assertThat(RankqlHttpServer.segments("/a%2Fb/_doc/%E2%82%AC")).containsExactly("a/b", "_doc", "\u20ac");
        assertThatThrownBy(() -> RankqlHttpServer.segments("/idx/%zz"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("invalid percent-encoding in the path [%zz]: ");
                });
    }

    @Test
    void aTruncatedEscapeInTheQueryStringIsAnIllegalArgument() {
        assertThat(RankqlHttpServer.params("pretty&q=a%20b")).containsEntry("pretty", "").containsEntry("q", "a b");
        assertThatThrownBy(() -> RankqlHttpServer.params("q=%"))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("invalid percent-encoding in the query string [%]: ");
    }
}
