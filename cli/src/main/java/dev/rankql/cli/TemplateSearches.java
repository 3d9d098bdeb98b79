package dev.rankql.cli;

import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Value;
import dev.rankql.engine.Engine;
import dev.rankql.engine.eval.EvalFormatException;
import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.QrelsFile;
import dev.rankql.engine.eval.QueriesFile;
import dev.rankql.engine.eval.Query;
import dev.rankql.engine.eval.RequestTemplate;
import dev.rankql.engine.eval.Run;
import dev.rankql.engine.eval.ScoredDoc;
import dev.rankql.engine.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the relevance commands share: reading queries, judgments and request templates with the CLI's errors, and
 * running a template once per query to collect each query's ranking.
 */
final class TemplateSearches {

    /** The placeholders a request template may use. */
    static final Set<String> PLACEHOLDERS = Set.of("query_text", "query_id");

    private TemplateSearches() {}

    /** Reads {@code queries.jsonl}; a missing file is exit 3, a malformed line exit 2 with its position. */
    static List<Query> queries(String file) {
        return read(() -> QueriesFile.read(path(file)), file);
    }

    /** Reads judgments; a missing file is exit 3, a malformed line exit 2 with its position. */
    static Qrels qrels(String file) {
        return read(() -> QrelsFile.read(path(file)), file);
    }

    /**
     * The template of {@code --request}-like options: the file {@code fileOrText} names when it exists, otherwise
     * the text itself when it looks like a request (it holds a space, a parenthesis or a brace), else exit 3. It may
     * read {@link #PLACEHOLDERS} and the {@code params} of the queries it will run for.
     */
    static RequestTemplate template(String fileOrText, String option, List<Query> queries) {
        Set<String> allowed = new TreeSet<>(PLACEHOLDERS);
        queries.forEach(query -> allowed.addAll(query.params().keySet()));
        String text;
        String source;
        Path file = null;
        try {
            file = Path.of(fileOrText);
        } catch (InvalidPathException e) {
            // Not a path, so it can only be the request itself.
        }
        if (file != null && Files.isRegularFile(file)) {
            text = ModelCommand.readFile(fileOrText, "request template");
            source = fileOrText;
        } else if (fileOrText.strip().matches("(?s).*[\\s(){}].*")) {
            text = fileOrText;
            source = option;
        } else {
            throw CommandFailure.notFound(option + ": no such file [" + fileOrText
                    + "] (give a file, or the request itself in the DSL or as JSON)");
        }
        try {
            return RequestTemplate.compile(text, source).requireOnly(allowed);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        }
    }

    /**
     * The request rendered for one query, which must not name another index. The template sees the query's text, id
     * and own {@code params}; an array of numbers (a query vector) renders as its compact JSON text, so a template
     * writes it unquoted: <code>"query_vector": {{query_vector}}</code>.
     */
    static SearchRequest render(RequestTemplate template, Query query, String index) {
        SearchRequest request;
        Map<String, Object> params = new HashMap<>();
        query.templateParams().forEach((name, value) -> params.put(name, templateValue(value)));
        try {
            request = template.render(params, "query [" + query.id() + "]");
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        }
        request.index().filter(other -> !other.equals(index)).ifPresent(other -> {
            throw CommandFailure.badRequest("the request names index [" + other + "] (FROM " + other
                    + ") but runs on index [" + index + "]");
        });
        return request.withoutIndex();
    }

    /**
     * Runs the template for every query, asking for {@code size} hits, and returns the rankings in the engine's
     * order. A hit without a score (a search sorted by a field) gets minus its rank, so the order survives.
     */
    static Run search(Engine engine, String index, RequestTemplate template, List<Query> queries, int size,
            Progress.Factory progress, String task) {
        Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();
        var options = SearchOptions.NONE.withSize(size);
        try (var bar = progress.count(task, " queries", queries.size())) {
            int done = 0;
            for (Query query : queries) {
                var response = engine.search(index, render(template, query, index), options);
                List<ScoredDoc> ranking = new ArrayList<>(response.hits().size());
                int rank = 0;
                for (var hit : response.hits()) {
                    rank++;
                    double score = hit.score().filter(Float::isFinite).map(Float::doubleValue).orElse((double) -rank);
                    try {
                        ranking.add(new ScoredDoc(hit.id(), score));
                    } catch (IllegalArgumentException e) {
                        throw CommandFailure.badRequest("query [" + query.id() + "]: " + e.getMessage()
                                + " (judgment and run files cannot hold it)");
                    }
                }
                rankings.put(query.id(), ranking);
                bar.readTo(++done);
            }
        }
        return Run.of(rankings);
    }

    private static Object templateValue(Value value) {
        return switch (value) {
            case Value.Str v -> v.value();
            case Value.Int v -> v.value();
            case Value.Dbl v -> v.value();
            case Value.Bool v -> v.value();
            case Value.Arr v -> numbers(v);
            case Value.Null v -> throw new IllegalStateException("a query parameter cannot be null");
            case Value.Obj v -> throw new IllegalStateException("a query parameter cannot be an object");
        };
    }

    /** Query params hold only arrays of numbers ({@link Query}); Java writes finite doubles as JSON numbers. */
    private static String numbers(Value.Arr array) {
        var text = new StringBuilder("[");
        for (Value element : array.values()) {
            if (text.length() > 1) {
                text.append(',');
            }
            switch (element) {
                case Value.Int n -> text.append(n.value());
                case Value.Dbl n -> text.append(n.value());
                case Value.Str e -> throw new IllegalStateException("a query vector holds only numbers");
                case Value.Bool e -> throw new IllegalStateException("a query vector holds only numbers");
                case Value.Null e -> throw new IllegalStateException("a query vector holds only numbers");
                case Value.Arr e -> throw new IllegalStateException("a query vector holds only numbers");
                case Value.Obj e -> throw new IllegalStateException("a query vector holds only numbers");
            }
        }
        return text.append(']').toString();
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reading<T> reading, String file) {
        try {
            return reading.read();
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + file);
        } catch (EvalFormatException e) {
            throw CommandFailure.badRequest(e.getMessage());
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw CommandFailure.badRequest("not a valid path: " + file);
        }
    }
}
