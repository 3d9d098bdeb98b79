package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;

/** {@code rankql index}: create, list, delete an index and show its mapping, answering as Elasticsearch does. */
@Command(
        name = "index",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Creates, lists and deletes indices and shows their mappings.",
            "Answers are Elasticsearch's response bodies on stdout, errors included (exit 2 for status 400, 3 for 404)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql index create products --body mapping.json",
            "  rankql index list",
            "  rankql index mapping products",
            "  rankql index delete products"
        })
public final class IndexCommand {

    private IndexCommand() {}

    /** The {@code index} command with its subcommands; {@code create --body -} reads {@code stdin}. */
    static CommandLine commandLine(Supplier<InputStream> stdin) {
        return new CommandLine(new IndexCommand())
                .addSubcommand(new Create(stdin))
                .addSubcommand(new ListIndices())
                .addSubcommand(new Delete())
                .addSubcommand(new Mapping());
    }

    /** {@code rankql index create NAME [--body FILE]}: Elasticsearch's {@code PUT /NAME}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates an index, as Elasticsearch's PUT /NAME: the body holds \"settings\" and \"mappings\".",
                "Without --body the index starts empty and maps fields as documents arrive (dynamic mapping)."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql index create products --body mapping.json",
                "  echo '{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}' \\",
                "      | rankql index create products --body -",
                "  rankql --data /tmp/rq index create logs",
                "",
                "Prints {\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"products\"} on success."
            })
    static final class Create implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The index name (Elasticsearch's rules: lowercase, no \\ / * ? \" < > | , # : or space).")
        private String name;

        @Option(names = "--body", paramLabel = "FILE|-", description = "An Elasticsearch create-index body; '-' reads standard input.")
        private String body;

        private final Supplier<InputStream> stdin;

        Create(Supplier<InputStream> stdin) {
            this.stdin = requireNonNull(stdin, "stdin");
        }

        @Override
        public Integer call() {
            String text = body == null ? null : Inputs.readText(body, stdin);
            return Output.of(spec).result(Engines.run(spec, engine -> Json.writePretty(engine.createIndex(name, text))));
        }
    }

    /** {@code rankql index list}: the indices, as Elasticsearch's {@code GET /_cat/indices?format=json}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "Lists the indices as Elasticsearch's GET /_cat/indices?format=json does, sorted by name:",
                "health, status, index, uuid, pri, rep and docs.count (searchable documents), values as strings.",
                "rankql keeps one Lucene index per index and no replicas, so health is always green."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql index list",
                "  rankql index list --format table",
                "  rankql index list | jq -r '.[].index'"
            })
    static final class ListIndices implements Callable<Integer> {

        /** How the list is printed. */
        enum Format {
            json,
            table
        }

        @Spec
        private CommandSpec spec;

        @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
                description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); table is the cat API's text "
                        + "form with a header (?v).")
        private Format format;

        @Override
        public Integer call() {
            return Output.of(spec).result(Engines.run(spec, engine -> {
                var counts = engine.docCounts();
                var array = Json.MAPPER.createArrayNode();
                for (var name : engine.listIndices()) {
                    var meta = engine.getIndex(name);
                    var row = array.addObject();
                    row.put("health", "green");
                    row.put("status", "open");
                    row.put("index", name);
                    row.put("uuid", meta.uuid());
                    row.put("pri", meta.settings().flat().getOrDefault("index.number_of_shards", "1"));
                    row.put("rep", meta.settings().flat().getOrDefault("index.number_of_replicas", "1"));
                    row.put("docs.count", Integer.toString(counts.getOrDefault(name, 0)));
                }
                return switch (format) {
                    case json -> Json.writePretty(array);
                    case table -> table(array);
                };
            }));
        }
    }

    /** The rows of {@code index list} as columns under their names, one index a line. */
    private static String table(ArrayNode array) {
        var header = List.of("health", "status", "index", "uuid", "pri", "rep", "docs.count");
        var rows = new ArrayList<List<String>>();
        rows.add(header);
        for (var row : array) {
            rows.add(header.stream().map(column -> row.path(column).asString()).toList());
        }
        return TextTable.layout(rows);
    }

    /** {@code rankql index delete NAME}: Elasticsearch's {@code DELETE /NAME}. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Deletes an index and its documents, as Elasticsearch's DELETE /NAME.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql index delete products",
                "",
                "Prints {\"acknowledged\":true}; a missing index is index_not_found_exception with exit 3."
            })
    static final class Delete implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The index to delete.")
        private String name;

        @Override
        public Integer call() {
            return Output.of(spec).result(Engines.run(spec, engine -> Json.writePretty(engine.deleteIndex(name))));
        }
    }

    /** {@code rankql index mapping NAME}: Elasticsearch's {@code GET /NAME/_mapping}. */
    @Command(
            name = "mapping",
            mixinStandardHelpOptions = true,
            description = {
                "Shows an index's mappings as Elasticsearch's GET /NAME/_mapping does: {\"NAME\": {\"mappings\": {...}}},",
                "including the fields that dynamic mapping added while documents were ingested."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql index mapping products",
                "  rankql index mapping products | jq '.products.mappings.properties | keys'"
            })
    static final class Mapping implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The index whose mappings to show.")
        private String name;

        @Override
        public Integer call() {
            return Output.of(spec).result(
                    Engines.run(spec, engine -> Json.writePretty(engine.getIndex(name).toMappingJson())));
        }
    }
}
