package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.TreePrinter;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rankql translate}: reads a search in the DSL or as Elasticsearch JSON and prints it in the other form. */
@Command(
        name = "translate",
        mixinStandardHelpOptions = true,
        description = {
            "Translates a search between the rankql DSL and Elasticsearch JSON, or prints its syntax tree.",
            "The input form is detected: a body that starts with '{' is JSON, anything else is DSL."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql translate --to json query.rql",
            "  echo 'QUERY match(title, \"fox\") SIZE 5' | rankql translate --to json",
            "  rankql translate --to dsl body.json",
            "  rankql translate --to ast query.rql",
            "",
            "A DSL target index (FROM products) is not part of an Elasticsearch body: --to json leaves it out and",
            "says so on stderr. Errors are printed on stderr with their position; the exit code is then 2."
        })
public final class TranslateCommand implements Callable<Integer> {

    /** The form to print. */
    enum Target {
        json,
        dsl,
        ast
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "json|dsl|ast", description = "Output form: ${COMPLETION-CANDIDATES}.")
    private Target target;

    @Option(names = "--compact", description = "With --to json: print the body on one line.")
    private boolean compact;

    @Parameters(
            arity = "0..1",
            paramLabel = "FILE|-",
            description = "The search to translate; '-' or nothing reads standard input.")
    private String file;

    private final Supplier<InputStream> stdin;

    /** A command that reads standard input from {@code stdin} when no file is named. */
    TranslateCommand(Supplier<InputStream> stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        var out = Output.of(spec);
        String text = read();
        SearchRequest request = parse(text);
        return switch (target) {
            case json -> {
                request.index().ifPresent(index -> out.note("the target index [" + index
                        + "] is not part of an Elasticsearch body; send this body to POST /" + index + "/_search"));
                var body = request.withoutIndex();
                yield out.result(compact ? EsJson.writeSearchCompact(body) : EsJson.writeSearch(body));
            }
            case dsl -> {
                try {
                    yield out.result(Dsl.print(request));
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.badRequest(e.getMessage());
                }
            }
            case ast -> out.result(TreePrinter.print(request));
        };
    }

    /** Parses the input as JSON when it starts with a brace, else as DSL; errors become exit-2 failures. */
    static SearchRequest parse(String text) {
        if (text.stripLeading().startsWith("{")) {
            try {
                return EsJson.parseSearch(text);
            } catch (InvalidRequestException e) {
                throw CommandFailure.badRequest("invalid Elasticsearch search body:\n" + e.getMessage());
            }
        }
        try {
            return Dsl.parseRequest(text);
        } catch (DslSyntaxException e) {
            throw CommandFailure.badRequest(e.getMessage() + "\n" + Carets.under(text, e.line(), e.column()));
        }
    }

    private String read() {
        return Inputs.readText(file, stdin);
    }
}
