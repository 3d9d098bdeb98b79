package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.BulkResponse;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.mapping.Json;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

/** {@code rankql ingest}: loads JSON Lines or Elasticsearch {@code _bulk} files into an index, streaming. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Loads documents into an index and prints Elasticsearch's _bulk response (took, errors, items) on stdout.",
            "A file is either JSON Lines, one document per line (the _id comes from \"_id\", removed from the source, or",
            "from \"id\", kept; else it is generated), or an Elasticsearch _bulk body (action lines index, create,",
            "update, delete, each but delete followed by its source line). Without --format the first non-blank line",
            "decides: one key named index, create, update or delete holding an object makes it a _bulk body.",
            "A missing index is created with dynamic mappings, as Elasticsearch does. One bad document fails only its",
            "own item (\"errors\": true, exit 0); a malformed action line fails the request (exit 2).",
            "Files stream: they are sent in batches of about 8 MiB and at most -Drankql.bulk.max_items items (100,000),",
            "each committed before the next is read.",
            "A progress bar is drawn on stderr when stderr is a terminal."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql ingest products products.jsonl",
            "  rankql ingest products part-1.jsonl part-2.jsonl --refresh",
            "  rankql ingest products requests.ndjson --format bulk",
            "  zcat dump.jsonl.gz | rankql ingest products - --format jsonl | jq .errors"
        })
public final class IngestCommand implements Callable<Integer> {

    /** The two input formats. */
    enum Format {
        jsonl,
        bulk
    }

    /** A batch is sent once it holds this many characters, at the next action or line boundary. */
    static final int BATCH_CHARS = 8 << 20;

    private static final Set<String> ACTIONS = Set.of("index", "create", "update", "delete");
    private static final Pattern LINE_NUMBER = Pattern.compile("(line \\[)(\\d+)(\\])");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The index to load into (a _bulk action's _index overrides it).")
    private String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files to load, in order; '-' reads standard input.")
    private List<String> files;

    @Option(names = "--format", paramLabel = "jsonl|bulk", description = "The files' format (default: detected per file): ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = "--refresh", description = "Make the documents searchable before answering, as Elasticsearch's refresh=true.")
    private boolean refresh;

    private final Supplier<InputStream> stdin;
    private final Progress.Factory progress;
    private int batchChars = BATCH_CHARS;
    /** A batch is sent once it holds this many items: the engine refuses a request of more. */
    private int batchItems = EngineLimits.MAX_BULK_ITEMS;

    /** A command reading {@code -} from {@code stdin} and showing progress through {@code progress}. */
    IngestCommand(Supplier<InputStream> stdin, Progress.Factory progress) {
        this.stdin = requireNonNull(stdin, "stdin");
        this.progress = requireNonNull(progress, "progress");
    }

    /** Sends {@code _bulk} batches of about {@code chars} characters instead of {@link #BATCH_CHARS}; for tests. */
    void batchChars(int chars) {
        this.batchChars = chars;
    }

    /** Sends batches of at most {@code items} items instead of {@link EngineLimits#MAX_BULK_ITEMS}; for tests. */
    void batchItems(int items) {
        this.batchItems = items;
    }

    @Override
    public Integer call() {
        if (files.stream().filter(Inputs::isStdin).count() > 1) {
            throw CommandFailure.badRequest("standard input ('-') can be named only once");
        }
        var out = Output.of(spec);
        var items = new ArrayList<BulkResponse.Item>();
        var policy = refresh ? RefreshPolicy.IMMEDIATE : RefreshPolicy.NONE;
        var body = Engines.run(spec, engine -> {
            long start = System.nanoTime();
            for (var file : files) {
                try {
                    ingest(engine, file, policy, items);
                } catch (EngineException e) {
                    if (!items.isEmpty()) {
                        out.note(items.size() + " items before this error were written and stay written");
                    }
                    throw e;
                }
            }
            var response = new BulkResponse(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), items);
            return Json.write(response.toJson());
        });
        long failed = items.stream().filter(i -> i.error().isPresent()).count();
        if (failed > 0) {
            out.note(failed + " of " + items.size() + " items failed; each failed item has an \"error\" in \"items\"");
        }
        return out.result(body);
    }

    private void ingest(Engine engine, String file, RefreshPolicy policy, List<BulkResponse.Item> items)
            throws IOException {
        try (var raw = Inputs.open(file, stdin);
                var bar = progress.start(label(file), Inputs.size(file))) {
            var counted = new CountingInputStream(raw, bar);
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            var lines = new Lines(new BufferedReader(new InputStreamReader(counted, decoder), 1 << 16));
            var chosen = format != null ? format : detect(lines.peekNonBlank());
            switch (chosen) {
                case jsonl -> jsonLines(engine, lines, policy, items);
                case bulk -> bulk(engine, lines, policy, items);
            }
        }
    }

    private static String label(String file) {
        var text = Inputs.describe(file);
        int slash = text.lastIndexOf('/');
        return slash >= 0 ? text.substring(slash + 1) : text;
    }

    /** The format a file's first non-blank line (null when there is none) shows. */
    static Format detect(String firstLine) {
        return firstLine != null && actionOf(firstLine) != null ? Format.bulk : Format.jsonl;
    }

    /** The action a {@code _bulk} action line names, or null when the line is not one. */
    private static String actionOf(String line) {
        try {
            var node = Json.MAPPER.readTree(line);
            if (node != null && node.isObject() && node.size() == 1) {
                var key = node.propertyNames().iterator().next();
                if (ACTIONS.contains(key) && node.get(key).isObject()) {
                    return key;
                }
            }
        } catch (JacksonException e) {
            // Not JSON: not an action line.
        }
        return null;
    }

    /**
     * Sends a {@code _bulk} body in batches that end at action boundaries, so that no more than one batch is held in
     * memory; a malformed action line ends its batch, whose parse then fails before anything of it is written.
     */
    private void bulk(Engine engine, Lines lines, RefreshPolicy policy, List<BulkResponse.Item> items)
            throws IOException {
        var batch = new StringBuilder();
        int batchFirstLine = 1;
        int batchCount = 0;
        String line;
        while ((line = lines.next()) != null) {
            if (batch.isEmpty()) {
                batchFirstLine = lines.number();
            }
            batch.append(line).append('\n');
            if (line.isBlank()) {
                continue;
            }
            var action = actionOf(line);
            if (action == null) {
                send(engine, Format.bulk, batch, batchFirstLine, policy, items);
                batchCount = 0;
                continue;
            }
            batchCount++;
            if (!action.equals("delete")) {
                var source = lines.next();
                if (source != null) {
                    batch.append(source).append('\n');
                }
            }
            if (batch.length() >= batchChars || batchCount >= batchItems) {
                send(engine, Format.bulk, batch, batchFirstLine, policy, items);
                batchCount = 0;
            }
        }
        if (!batch.isEmpty()) {
            send(engine, Format.bulk, batch, batchFirstLine, policy, items);
        }
    }

    /** Sends JSON Lines in batches of whole lines, each within the size and item limits of one request. */
    private void jsonLines(Engine engine, Lines lines, RefreshPolicy policy, List<BulkResponse.Item> items)
            throws IOException {
        var batch = new StringBuilder();
        int batchFirstLine = 1;
        int batchCount = 0;
        String line;
        while ((line = lines.next()) != null) {
            if (batch.isEmpty()) {
                batchFirstLine = lines.number();
            }
            batch.append(line).append('\n');
            if (line.isBlank()) {
                continue;
            }
            batchCount++;
            if (batch.length() >= batchChars || batchCount >= batchItems) {
                send(engine, Format.jsonl, batch, batchFirstLine, policy, items);
                batchCount = 0;
            }
        }
        if (!batch.isEmpty()) {
            send(engine, Format.jsonl, batch, batchFirstLine, policy, items);
        }
    }

    private void send(Engine engine, Format kind, StringBuilder batch, int firstLine, RefreshPolicy policy,
            List<BulkResponse.Item> items) {
        var text = batch.toString();
        batch.setLength(0);
        try {
            var response = switch (kind) {
                case bulk -> engine.bulk(name, new StringReader(text), policy);
                case jsonl -> engine.ingestJsonLines(name, new StringReader(text), policy);
            };
            items.addAll(response.items());
        } catch (EngineException e) {
            throw firstLine == 1 ? e : shiftLines(e, firstLine - 1);
        }
    }

    /** The engine numbers lines within the batch it was given; the user wants them numbered within the file. */
    private static EngineException shiftLines(EngineException e, int offset) {
        Matcher matcher = LINE_NUMBER.matcher(e.reason());
        var reason = new StringBuilder();
        while (matcher.find()) {
            long shifted = Long.parseLong(matcher.group(2)) + offset;
            matcher.appendReplacement(reason, Matcher.quoteReplacement(matcher.group(1) + shifted + matcher.group(3)));
        }
        matcher.appendTail(reason);
        return new EngineException(e.type(), reason.toString(), e.status(), e.metadata(),
                e.causedBy().map(cause -> shiftLines(cause, offset)));
    }

    /** The lines of one input, numbered from 1, with a look-ahead at the first non-blank line. */
    static final class Lines {

        private final BufferedReader reader;
        private final List<String> pending = new ArrayList<>();
        private int number;

        Lines(BufferedReader reader) {
            this.reader = reader;
        }

        /** The first non-blank line, or null; the lines read to find it are still returned by {@link #next()}. */
        String peekNonBlank() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                pending.add(line);
                if (!line.isBlank()) {
                    return line;
                }
            }
            return null;
        }

        /** The next line, or null at the end. */
        String next() throws IOException {
            var line = pending.isEmpty() ? reader.readLine() : pending.removeFirst();
            if (line != null) {
                number++;
            }
            return line;
        }

        /** The number of the line {@link #next()} returned last. */
        int number() {
            return number;
        }
    }

    /** Counts the bytes read and reports them to the progress bar. */
    private static final class CountingInputStream extends FilterInputStream {

        private final Progress progress;
        private long count;

        CountingInputStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.readTo(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                progress.readTo(count);
            }
            return n;
        }
    }
}
