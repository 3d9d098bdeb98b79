package dev.rankql.cli.http;

import dev.rankql.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** {@code rankql serve} as a real child process on the test's class path, on a free loopback port. */
final class ServeProcess implements AutoCloseable {

    /** The start-up line; the address is the one bound, and loopback reaches it on any of them (0.0.0.0 included). */
    private static final Pattern SERVING = Pattern.compile("rankql: serving .* on http://[^ ]+:(\\d+) .*");

    final Process process;
    private final List<String> stderr;
    private final Thread reader;
    private final URI base;

    private ServeProcess(Process process, List<String> stderr, Thread reader, URI base) {
        this.process = process;
        this.stderr = stderr;
        this.reader = reader;
        this.base = base;
    }

    /** Starts {@code rankql --data DATA serve --port 0 EXTRA...} and waits until it serves. */
    static ServeProcess start(Path data, List<String> extra) throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data", data.toString(), "serve", "--port", "0"));
        command.addAll(extra);
        var process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var lines = new CopyOnWriteArrayList<String>();
        var port = new CompletableFuture<Integer>();
        var reader = Thread.ofPlatform().daemon().start(() -> {
            try (var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (var line = err.readLine(); line != null; line = err.readLine()) {
                    lines.add(line);
                    var matcher = SERVING.matcher(line);
                    if (matcher.matches()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("serve ended before serving: " + lines));
        });
        int bound;
        try {
            bound = port.get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            process.destroyForcibly().waitFor();
            throw e;
        }
        return new ServeProcess(process, lines, reader, URI.create("http://127.0.0.1:" + bound));
    }

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** SIGKILL: the JVM ends at once, without shutdown hooks, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(2, TimeUnit.MINUTES);
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** SIGTERM, as a service manager stops a server; returns whether it ended within the timeout. */
    boolean terminate() throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return ended;
    }

    /** Every stderr line so far (the start-up lines included). */
    List<String> log() {
        return stderr;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
