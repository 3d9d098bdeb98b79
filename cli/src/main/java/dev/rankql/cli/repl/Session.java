package dev.rankql.cli.repl;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.TreePrinter;
import dev.rankql.cli.Carets;
import dev.rankql.cli.HitTable;
import dev.rankql.cli.TextTable;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One REPL session on an open engine: the current index and display settings, and the execution of each input, a
 * search statement or a {@code :command}, with its result or error written for people.
 *
 * <p>Everything, errors included, goes to one writer, so that a transcript of a scripted session reads in order;
 * {@link #failures()} counts the inputs that failed, for the exit code.
 */
final class Session {

    /** How search results are shown. */
    enum Format {
        table,
        json
    }

    /** What the session does after an input. */
    enum Next {
        CONTINUE,
        QUIT
    }

    /** The commands, with their argument synopsis and what they do; {@code :help} prints this table. */
    static final List<String[]> COMMANDS = List.of(
            new String[] {":help", "", "this list"},
            new String[] {":indices", "", "the indices and their document counts"},
            new String[] {":use", "INDEX", "search INDEX from now on"},
            new String[] {":mapping", "", "the current index's fields and their types"},
            new String[] {":models", "", "the deployed LTR models"},
            new String[] {":fields", "[F,...]", "the source fields the hit table shows (none: the first three)"},
            new String[] {":format", "table|json", "show hits as a table or as Elasticsearch's JSON response"},
            new String[] {":explain", "[on|off|last]", "toggle score explanations, or explain the last search once"},
            new String[] {":why", "ID [QUERY]", "explain document ID under QUERY (default: the last statement's query)"},
            new String[] {":profile", "[on|off]", "toggle the profile section of responses"},
            new String[] {":timing", "[on|off]", "toggle the wall time of each search"},
            new String[] {":json", "[DSL]", "the DSL search (default: the last statement) as Elasticsearch JSON"},
            new String[] {":dsl", "[JSON]", "the JSON search (default: the last statement) in the DSL"},
            new String[] {":ast", "[DSL|JSON]", "the tree of a search (default: the last statement)"},
            new String[] {":quit", "", "leave (so does Ctrl-D, or the end of the input)"});

    private final Engine engine;
    private final PrintWriter out;
    private Optional<String> index = Optional.empty();
    private Format format = Format.table;
    private List<String> fields = List.of();
    private boolean explain;
    private boolean profile;
    private boolean timing;
    private Optional<String> last = Optional.empty();
    private int failures;

    Session(Engine engine, PrintWriter out) {
        this.engine = requireNonNull(engine, "engine");
        this.out = requireNonNull(out, "out");
    }

    /** The index searched by statements without {@code FROM}, if one is chosen. */
    Optional<String> index() {
        return index;
    }

    /** Chooses the index that statements search; fails when it does not exist. */
    void use(String name) {
        if (!engine.exists(name)) {
            throw EngineException.indexNotFound(name);
        }
        index = Optional.of(name);
    }

    void format(Format newFormat) {
        format = requireNonNull(newFormat, "format");
    }

    /** How many inputs have failed so far. */
    int failures() {
        return failures;
    }

    /** The indices of the data directory, for completion. */
    List<String> indices() {
        return engine.listIndices();
    }

    /** The current index's field paths, sub-fields included, for completion; none without a current index. */
    SortedSet<String> fieldNames() {
        var names = new TreeSet<String>();
        index.filter(engine::exists).ifPresent(name -> names.addAll(engine.getIndex(name).mappings().flatten().keySet()));
        return names;
    }

    /** The ids of the deployed models, for completion. */
    List<String> modelIds() {
        return engine.models().ids();
    }

    /** Runs one complete input (a command, or a statement with or without its {@code ;}) and shows its outcome. */
    Next execute(String input) {
        try {
            if (Statements.isCommand(input)) {
                return command(input.strip());
            }
            var statement = Statements.strip(input);
            if (!Statements.isEmpty(statement)) {
                search(statement, explain);
            }
        } catch (Failure e) {
            fail(e.getMessage());
        } catch (InvalidRequestException e) {
            fail(e.getMessage());
        } catch (EngineException e) {
            var cause = e.rootCause();
            fail(cause.type() + ": " + cause.reason());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (UncheckedIOException e) {
            fail(e.getCause().getMessage() == null ? e.getMessage() : e.getCause().getMessage());
        }
        return Next.CONTINUE;
    }

    private void fail(String message) {
        failures++;
        out.println("error: " + message);
        out.flush();
    }

    private void search(String statement, boolean withExplain) {
        long start = System.nanoTime();
        var request = parse(statement);
        last = Optional.of(statement);
        var target = request.index().or(() -> index).orElseThrow(() -> new Failure(
                "no index to search: choose one with :use INDEX, or write FROM INDEX in the statement"));
        if (profile) {
            request = withProfile(request);
        }
        var options = withExplain ? SearchOptions.NONE.withExplain(true) : SearchOptions.NONE;
        var response = engine.search(target, request.withoutIndex(), options);
        long nanos = System.nanoTime() - start;
        switch (format) {
            case table -> table(response);
            case json -> print(Json.writePretty(response.toJson()));
        }
        if (timing) {
            print(String.format(Locale.ROOT, "Time: %.1f ms", nanos / 1e6));
        }
    }

    private void table(SearchResponse response) {
        print(HitTable.render(response, fields.isEmpty() ? Optional.empty() : Optional.of(fields)));
        var hits = response.hits();
        for (int i = 0; i < hits.size(); i++) {
            var hit = hits.get(i);
            int rank = i + 1;
            hit.explanation().ifPresent(explanation -> print("#" + rank + " " + hit.id() + "\n"
                    + explanation.toString().stripTrailing().indent(2)));
        }
        response.profile().ifPresent(section -> print("profile:\n" + Json.writePretty(section)));
    }

    /** Parses a statement as ES JSON when it starts with a brace, else as the DSL. */
    private static SearchRequest parse(String statement) {
        if (statement.startsWith("{")) {
            return EsJson.parseSearch(statement);
        }
        try {
            return Dsl.parseRequest(statement);
        } catch (DslSyntaxException e) {
            var caret = Carets.under(statement, e.line(), e.column());
            throw new Failure(e.getMessage() + (caret.isEmpty() ? "" : "\n" + caret));
        }
    }

    private static SearchRequest withProfile(SearchRequest r) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(),
                r.minScore(), r.explain(), Optional.of(true), r.source(), r.trackTotalHits(), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), r.aggregations(), r.hitOptions(), r.timeout());
    }

    private Next command(String line) {
        int space = indexOfSpace(line);
        var name = space < 0 ? line : line.substring(0, space);
        var argument = Statements.strip(space < 0 ? "" : line.substring(space + 1));
        switch (name) {
            case ":help", ":h", ":?" -> help();
            case ":quit", ":q", ":exit" -> {
                return Next.QUIT;
            }
            case ":indices" -> indicesCommand();
            case ":use" -> {
                if (argument.isEmpty()) {
                    throw new Failure(":use needs an index name; :indices lists them");
                }
                use(argument);
                print("using index [" + argument + "]");
            }
            case ":mapping" -> mapping();
            case ":models" -> models();
            case ":fields" -> {
                fields = argument.isEmpty() ? List.of()
                        : Arrays.stream(argument.split("[,\\s]+")).filter(f -> !f.isEmpty()).toList();
                print(fields.isEmpty() ? "fields: the first three of each table's first hit"
                        : "fields: " + String.join(", ", fields));
            }
            case ":format" -> {
                format = switch (argument) {
                    case "table" -> Format.table;
                    case "json" -> Format.json;
                    default -> throw new Failure(":format takes table or json, got [" + argument + "]");
                };
                print("format: " + format);
            }
            case ":explain" -> {
                if (argument.equals("last")) {
                    search(lastStatement(":explain last"), true);
                } else {
                    explain = toggle(":explain", argument, explain);
                    print("explain: " + onOff(explain));
                }
            }
            case ":why" -> why(argument);
            case ":profile" -> {
                profile = toggle(":profile", argument, profile);
                print("profile: " + onOff(profile));
            }
            case ":timing" -> {
                timing = toggle(":timing", argument, timing);
                print("timing: " + onOff(timing));
            }
            case ":json" -> {
                var text = argument.isEmpty() ? lastStatement(":json") : argument;
                print(EsJson.writeSearch(parse(text)));
            }
            case ":dsl" -> {
                var text = argument.isEmpty() ? lastStatement(":dsl") : argument;
                print(Dsl.print(parse(text)));
            }
            case ":ast" -> {
                var text = argument.isEmpty() ? lastStatement(":ast") : argument;
                print(TreePrinter.print(parse(text)));
            }
            default -> throw new Failure("unknown command " + name + "; :help lists the commands");
        }
        return Next.CONTINUE;
    }

    /**
     * {@code :why ID [QUERY]}: the explain API for document ID, under QUERY (a DSL query, or a statement whose query is
     * taken) or else the last statement's query, on that statement's index or the current one.
     */
    private void why(String argument) {
        int space = indexOfSpace(argument);
        var id = space < 0 ? argument : argument.substring(0, space);
        if (id.isEmpty()) {
            throw new Failure(":why needs a document id, as in :why d3 match(title, \"fan\")");
        }
        var text = space < 0 ? lastStatement(":why " + id) : argument.substring(space + 1).strip();
        Optional<dev.rankql.ast.Query> query;
        Optional<String> named = Optional.empty();
        // A statement starts with a clause keyword (QUERY, FROM, ...) or a brace; anything else is a query alone.
        if (text.startsWith("{") || text.matches("(?s)[A-Z]+\\b.*")) {
            var request = parse(text);
            query = request.query();
            named = request.index();
        } else {
            try {
                query = Optional.of(Dsl.parseQuery(text));
            } catch (DslSyntaxException e) {
                var caret = Carets.under(text, e.line(), e.column());
                throw new Failure(e.getMessage() + (caret.isEmpty() ? "" : "\n" + caret));
            }
        }
        if (query.isEmpty()) {
            throw new Failure(":why explains a query, and this search has none (a retriever or knn search); give one: :why "
                    + id + " QUERY");
        }
        var target = named.or(() -> index).orElseThrow(() -> new Failure(
                "no index to explain in: choose one with :use INDEX"));
        var explained = engine.explain(target, id, query.get(), Optional.empty(), false);
        if (!explained.exists()) {
            throw new Failure("document [" + id + "] does not exist in index [" + target + "] (or is not refreshed yet)");
        }
        switch (format) {
            case table -> print(id + (explained.matched() ? " matches" : " does not match") + "\n"
                    + explained.explanation().orElseThrow().toString().stripTrailing().indent(2));
            case json -> print(Json.writePretty(explained.toJson()));
        }
    }

    private static int indexOfSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private String lastStatement(String command) {
        return last.orElseThrow(() -> new Failure(command + " needs a statement, and none has run yet"));
    }

    private static boolean toggle(String command, String argument, boolean current) {
        return switch (argument) {
            case "" -> !current;
            case "on" -> true;
            case "off" -> false;
            default -> throw new Failure(command + " takes on or off, got [" + argument + "]");
        };
    }

    private static String onOff(boolean value) {
        return value ? "on" : "off";
    }

    private void help() {
        var text = new StringBuilder();
        text.append("A statement is a search in the rankql DSL, or an Elasticsearch JSON body starting with '{',\n")
                .append("on the current index (or the one its FROM names). It ends with ';' or a blank line.\n")
                .append("  QUERY match(title, \"desk lamp\") SIZE 5;\n\n")
                .append("Commands (one line each):\n");
        int width = COMMANDS.stream().mapToInt(c -> (c[0] + " " + c[1]).length()).max().orElse(0);
        for (var command : COMMANDS) {
            var synopsis = (command[0] + " " + command[1]).strip();
            text.append("  ").append(synopsis).append(" ".repeat(width - synopsis.length() + 2))
                    .append(command[2]).append('\n');
        }
        text.append("Tab completes keywords, functions, fields, index names and model ids.");
        print(text.toString());
    }

    private void indicesCommand() {
        Map<String, Integer> counts;
        try {
            counts = engine.docCounts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("index", "docs"));
        for (var entry : counts.entrySet()) {
            rows.add(List.of(entry.getKey() + (index.filter(entry.getKey()::equals).isPresent() ? " *" : ""),
                    Integer.toString(entry.getValue())));
        }
        print(rows.size() == 1 ? "no indices in " + engine.dataDir() : TextTable.layout(rows));
    }

    private void mapping() {
        var name = index.orElseThrow(() -> new Failure(":mapping needs a current index; choose one with :use INDEX"));
        var mappings = engine.getIndex(name).mappings();
        if (format == Format.json) {
            print(Json.writePretty(mappings.toJson()));
            return;
        }
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("field", "type"));
        mappings.flatten().forEach((path, mapping) -> rows.add(List.of(path, mapping.typeName())));
        print(TextTable.layout(rows));
    }

    private void models() {
        var ids = engine.models().ids();
        if (format == Format.json) {
            print(Json.writePretty(engine.getModels("_all")));
            return;
        }
        print(ids.isEmpty() ? "no models deployed" : String.join("\n", ids));
    }

    private void print(String text) {
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        out.flush();
    }

    /** A problem with the input itself, reported as its message. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }
}
