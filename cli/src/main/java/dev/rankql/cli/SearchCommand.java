package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rankql search}: runs a search written in the DSL or as Elasticsearch JSON on one index. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Searches an index and prints Elasticsearch's response on stdout (--format table for people).",
            "The search is the DSL argument (a text starting with '{' is read as JSON), or the --json body; with",
            "neither it is match_all, as an Elasticsearch search without a body. --size, --from and --explain act as",
            "Elasticsearch's URL parameters: they override the body and are unset unless given.",
            "Errors are Elasticsearch's error body on stdout: exit 2 for status 400 (including DSL syntax errors, as",
            "parsing_exception with line:col, and JSON problems, with their JSON path), 3 for 404, 1 otherwise."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql search products 'QUERY match(title, \"usb cable\") SIZE 5'",
            "  rankql search products 'QUERY match(title, \"usb cable\")' --format table",
            "  rankql search products 'RETRIEVE standard(multi_match(\"desk lamp\", fields: [title^2, description]))",
            "      | RESCORE query(match_phrase(title, \"desk lamp\")) WINDOW 50' --size 10 --format table",
            "  rankql search products --json body.json --from 10 --size 10",
            "  echo '{\"query\": {\"match_all\": {}}}' | rankql search products --json - --explain",
            "  rankql search 'products,archive*' 'QUERY match(title, \"desk lamp\")'",
            "",
            "A DSL search naming another index (FROM other) is rejected with a 400 error."
        })
public final class SearchCommand implements Callable<Integer> {

    /** How the response is printed. */
    enum Format {
        json,
        table
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The index to search; several as Elasticsearch names them:"
            + " a,b, wildcards (te*), _all or *, each searched as one shard and the hits merged.")
    private String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DSL", description = "The search in the rankql DSL.")
    private String dsl;

    @Option(names = "--json", paramLabel = "FILE|-", description = "An Elasticsearch search body; '-' reads standard input.")
    private String json;

    @Option(names = "--size", paramLabel = "N", description = "The number of hits (overrides the body's size).")
    private Integer size;

    @Option(names = "--from", paramLabel = "N", description = "The offset of the first hit (overrides the body's from).")
    private Integer from;

    @Option(names = "--explain", description = "Explain every hit's score (_explanation).")
    private boolean explain;

    @Option(names = "--scroll", paramLabel = "KEEP_ALIVE",
            description = "Open a scroll (Elasticsearch's ?scroll=, e.g. 1m): the response carries a _scroll_id for "
                    + "'rankql scroll'. The id holds the whole state; it is refused once the index has changed.")
    private String scroll;

    @Option(names = "--rest-total-hits-as-int",
            description = "Render hits.total (and inner hits' totals) as a plain number, as Elasticsearch's rest_total_hits_as_int URL parameter does.")
    private boolean restTotalHitsAsInt;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--columns", paramLabel = "FIELD", split = ",",
            description = "With --format table: the _source fields to show (default: the first three of the first hit).")
    private List<String> columns;

    private final Supplier<InputStream> stdin;

    /** A command reading {@code --json -} from {@code stdin}. */
    SearchCommand(Supplier<InputStream> stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        if (dsl != null && json != null) {
            throw CommandFailure.badRequest("give the search either as the DSL argument or with --json, not both");
        }
        var request = request();
        request.index().filter(index -> !index.equals(name)).ifPresent(index -> {
            throw CommandFailure.of(EsErrors.illegalArgument("the search names index [" + index + "] (FROM " + index
                    + ") but runs on index [" + name + "]; search [" + index + "] or drop the FROM clause"));
        });
        var options = options();
        var out = Output.of(spec);
        if (scroll != null) {
            var keepAlive = ScrollCommand.keepAlive(scroll);
            return out.result(Engines.run(spec, engine -> ScrollCommand.render(
                    engine.searchScrollDetached(name, request.withoutIndex(), options, keepAlive), format, restTotalHitsAsInt,
                    columns)));
        }
        return out.result(Engines.run(spec, engine -> {
            var response = engine.searchIndices(name, request.withoutIndex(), options);
            return switch (format) {
                case json -> Json.writePretty(response.toJson(restTotalHitsAsInt));
                case table -> HitTable.render(response, Optional.ofNullable(columns));
            };
        }));
    }

    private SearchRequest request() {
        if (json != null) {
            var text = Inputs.readText(json, stdin);
            return parseJson(text);
        }
        if (dsl == null) {
            return parseJson("{}");
        }
        if (dsl.stripLeading().startsWith("{")) {
            return parseJson(dsl);
        }
        try {
            return Dsl.parseRequest(dsl);
        } catch (DslSyntaxException e) {
            throw CommandFailure.of(EsErrors.of(e), Carets.under(dsl, e.line(), e.column()));
        }
    }

    private static SearchRequest parseJson(String text) {
        try {
            return EsJson.parseSearch(text);
        } catch (InvalidRequestException e) {
            throw CommandFailure.of(EsErrors.of(e));
        }
    }

    private SearchOptions options() {
        try {
            var options = SearchOptions.NONE;
            if (from != null) {
                options = options.withFrom(from);
            }
            if (size != null) {
                options = options.withSize(size);
            }
            if (explain) {
                options = options.withExplain(true);
            }
            return options;
        } catch (IllegalArgumentException e) {
            throw CommandFailure.of(EsErrors.illegalArgument(e.getMessage()));
        }
    }
}
