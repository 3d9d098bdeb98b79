package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Query;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rankql explain}: why a query matches one document or not, as Elasticsearch's explain API answers. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Explains how a query scores one document, or why it does not match it, and prints Elasticsearch's",
            "explain API response on stdout: _index, _id, matched and explanation (the same explanation a search",
            "with --explain gives that hit). The query is the DSL argument (a query such as match(title, \"lamp\"),",
            "or QUERY followed by one; a text starting with '{' is an explain body), or the --json body",
            "{\"query\": {...}}. Only refreshed documents are seen, as in Elasticsearch.",
            "A missing document prints {\"_index\", \"_id\", \"matched\": false} and exits 3, as Elasticsearch answers 404.",
            "Errors are Elasticsearch's error body on stdout: exit 2 for status 400, 3 for 404, 1 otherwise."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql explain products p098 'match(title, \"desk lamp\")'",
            "  rankql explain products p098 'QUERY multi_match(\"desk lamp\", fields: [title^2, description])'",
            "  echo '{\"query\": {\"term\": {\"brand\": \"Acme\"}}}' | rankql explain products p001 --json -"
        })
public final class ExplainCommand implements Callable<Integer> {

    private static final Pattern QUERY_CLAUSE = Pattern.compile("(?i)\\s*QUERY\\b.*", Pattern.DOTALL);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX", description = "The index of the document.")
    private String index;

    @Parameters(index = "1", paramLabel = "ID", description = "The document's _id.")
    private String id;

    @Parameters(index = "2", arity = "0..1", paramLabel = "DSL-QUERY", description = "The query in the rankql DSL.")
    private String dsl;

    @Option(names = "--json", paramLabel = "FILE|-",
            description = "An Elasticsearch explain body, {\"query\": {...}}; '-' reads standard input.")
    private String json;

    private final Supplier<InputStream> stdin;

    /** A command reading {@code --json -} from {@code stdin}. */
    ExplainCommand(Supplier<InputStream> stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        if (dsl != null && json != null) {
            throw CommandFailure.badRequest("give the query either as the DSL argument or with --json, not both");
        }
        var query = query();
        var out = Output.of(spec);
        var response = Engines.run(spec, engine -> {
            var explained = engine.explain(index, id, query, Optional.empty(), false);
            var text = Json.writePretty(explained.toJson());
            if (!explained.exists()) {
                throw CommandFailure.esError(text, explained.status(),
                        "document [" + id + "] does not exist in index [" + index + "] (or is not refreshed yet)");
            }
            return text;
        });
        return out.result(response);
    }

    private Query query() {
        try {
            Optional<Query> parsed;
            if (json != null) {
                parsed = ExplainBody.parse(Inputs.readText(json, stdin));
            } else if (dsl == null) {
                parsed = Optional.empty();
            } else if (dsl.stripLeading().startsWith("{")) {
                parsed = ExplainBody.parse(dsl);
            } else if (QUERY_CLAUSE.matcher(dsl).matches()) {
                parsed = Optional.of(queryClause(dsl));
            } else {
                parsed = Optional.of(Dsl.parseQuery(dsl));
            }
            return parsed.orElseThrow(ExplainBody::queryMissing);
        } catch (EngineException e) {
            throw CommandFailure.of(EsErrors.of(e));
        } catch (InvalidRequestException e) {
            throw CommandFailure.of(EsErrors.of(e));
        } catch (DslSyntaxException e) {
            throw CommandFailure.of(EsErrors.of(e), Carets.under(dsl, e.line(), e.column()));
        }
    }

    /** A DSL request made of a QUERY clause alone: any other clause has no meaning for one document's explanation. */
    private Query queryClause(String text) {
        var request = Dsl.parseRequest(text);
        request.index().filter(named -> !named.equals(index)).ifPresent(named -> {
            throw EngineException.illegalArgument("the query names index [" + named + "] (FROM " + named
                    + ") but explains a document of index [" + index + "]; drop the FROM clause");
        });
        var keys = List.copyOf(EsJson.toJsonNode(request.withoutIndex()).propertyNames());
        if (!keys.equals(List.of("query"))) {
            var others = keys.stream().filter(k -> !k.equals("query")).toList();
            throw EngineException.illegalArgument("explain takes a query only; the search also sets " + others);
        }
        return request.query().orElseThrow();
    }
}
