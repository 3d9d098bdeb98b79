package dev.rankql.cli;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.ScrollResponse;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.mapping.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rankql scroll}: the next page of a scroll opened by {@code rankql search --scroll}, or clearing scroll ids. */
@Command(
        name = "scroll",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the next page of a scroll opened with 'rankql search NAME ... --scroll 1m', as Elasticsearch's",
            "POST /_search/scroll answers: the hits after the previous page and a new _scroll_id for the page after.",
            "A CLI scroll id carries its whole state (index, search, position, the index's commit and deadline), since",
            "nothing outlives the command: it is refused (exit 3, search_context_missing_exception) once its keep-alive",
            "has run out or the index has changed, so that pages are never inconsistent. --clear checks the ids and frees",
            "nothing, as a CLI scroll holds nothing open: Elasticsearch's {\"succeeded\": true, \"num_freed\": 0}, exit 3.",
            "Errors are Elasticsearch's error body on stdout: exit 2 for status 400, 3 for 404, 1 otherwise."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql search products '{\"size\": 100, \"sort\": [{\"price\": \"asc\"}]}' --scroll 1m",
            "  rankql scroll DXF1ZXJ5... --scroll 1m",
            "  rankql scroll --clear DXF1ZXJ5..."
        })
public final class ScrollCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "The _scroll_id of the previous page (with --clear: ids, or _all).")
    private List<String> ids;

    @Option(names = "--scroll", paramLabel = "KEEP_ALIVE", description = "A new keep-alive (e.g. 1m); the scroll's own otherwise.")
    private String scroll;

    @Option(names = "--clear", description = "Clear the scroll ids instead of reading a page (Elasticsearch's DELETE /_search/scroll).")
    private boolean clear;

    @Option(names = "--rest-total-hits-as-int", description = "Render hits.total as a plain number.")
    private boolean restTotalHitsAsInt;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private SearchCommand.Format format;

    @Option(names = "--columns", paramLabel = "FIELD", split = ",",
            description = "With --format table: the _source fields to show.")
    private List<String> columns;

    @Override
    public Integer call() {
        var out = Output.of(spec);
        if (clear) {
            if (scroll != null) {
                throw CommandFailure.badRequest("--scroll sets the keep-alive of a page; it has no meaning with --clear");
            }
            return out.result(Engines.run(spec, engine -> {
                var response = ids.contains("_all") ? engine.clearAllScrolls() : engine.clearScroll(ids);
                var body = Json.writePretty(response.toJson());
                if (response.status() != 200) {
                    throw CommandFailure.esError(body, response.status(), "no scroll context was freed (num_freed: 0)");
                }
                return body;
            }));
        }
        if (ids.size() != 1) {
            throw CommandFailure.badRequest("give one scroll id to read its next page (several only with --clear)");
        }
        var keepAlive = Optional.ofNullable(scroll).map(ScrollCommand::keepAlive);
        return out.result(Engines.run(spec, engine -> render(engine.scroll(ids.getFirst(), keepAlive), format,
                restTotalHitsAsInt, columns)));
    }

    /** A {@code --scroll} value as Elasticsearch reads its {@code scroll} parameter; a bad one is a 400 (exit 2). */
    static Duration keepAlive(String text) {
        try {
            return SearchRequest.parseTimeValue(text, "scroll");
        } catch (IllegalArgumentException e) {
            throw CommandFailure.of(EsErrors.illegalArgument(e.getMessage()));
        }
    }

    /** A scroll page as JSON ({@code _scroll_id} first), or as a table followed by the id. */
    static String render(ScrollResponse page, SearchCommand.Format format, boolean restTotalHitsAsInt, List<String> columns) {
        return switch (format) {
            case json -> Json.writePretty(page.toJson(restTotalHitsAsInt));
            case table -> HitTable.render(page.response(), Optional.ofNullable(columns)) + "\n_scroll_id: " + page.scrollId();
        };
    }
}
