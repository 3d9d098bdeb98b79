package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @TempDir
    Path tmp;

    /** A progress that remembers, per task, the total it was given and the last count it saw. */
    private record Recorded(String task, OptionalLong total, long last) {}

    @Test
    void noBarIsDrawnWhenStderrIsNotATerminal() {
        // Surefire's forked JVM writes stderr into a pipe, as a redirected `rankql ... 2>log` does.
        assertThat(ProgressBars.stderrWidth()).isZero();
    }

    @Test
    void ingestReportsEveryByteOfEachFileToItsBar() throws Exception {
        var first = Files.writeString(tmp.resolve("a.jsonl"), "{\"id\": \"1\", \"t\": \"x\"}\n{\"id\": \"2\"}\n");
        var second = Files.writeString(tmp.resolve("b.ndjson"), "{\"index\": {\"_id\": \"3\"}}\n{\"t\": \"y\"}\n");
        var recorded = new ArrayList<Recorded>();
        Progress.Factory recording = (task, total) -> new Progress() {
            private long last;

            @Override
            public void readTo(long bytes) {
                assertThat(bytes).isGreaterThanOrEqualTo(last);
                last = bytes;
            }

            @Override
            public void close() {
                recorded.add(new Recorded(task, total, last));
            }
        };
        var commandLine = Main.commandLine(Map.of(), InputStream::nullInputStream, recording);
        commandLine.setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()));

        int status = commandLine.execute("--data", tmp.resolve("data").toString(), "ingest", "p", first.toString(),
                second.toString());

        assertThat(status).isZero();
        assertThat(recorded).isEqualTo(List.of(
                new Recorded("a.jsonl", OptionalLong.of(Files.size(first)), Files.size(first)),
                new Recorded("b.ndjson", OptionalLong.of(Files.size(second)), Files.size(second))));
    }
}
