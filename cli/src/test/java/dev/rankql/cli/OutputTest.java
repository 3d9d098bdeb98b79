package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutputTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Output output = new Output(new PrintWriter(out), new PrintWriter(err));

    @Test
    void resultEndsWithExactlyOneNewline() {
        assertThat(output.result("{\"size\":10}")).isEqualTo(ExitCodes.OK);
        assertThat(output.result("FROM products\n")).isEqualTo(ExitCodes.OK);

        assertThat(out).hasToString("{\"size\":10}\nFROM products\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void failureGoesToStderrAndGivesItsExitCode() {
        assertThat(output.fail(CommandFailure.notFound("no such model [ltr-model]"))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(output.fail(CommandFailure.badRequest("line 2:3: unexpected ')'"))).isEqualTo(ExitCodes.USAGE);

        assertThat(err).hasToString("rankql: no such model [ltr-model]\nrankql: line 2:3: unexpected ')'\n");
        assertThat(out.toString()).isEmpty();
    }
}
