package dev.rankql.cli.repl;

import static java.util.Objects.requireNonNull;

import dev.rankql.dsl.DslTokens;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from what the cursor follows: command names and their arguments after a leading {@code :}; index
 * names after {@code FROM}; a model id in the quotes of {@code ltr("...")}; else keywords, functions and the current
 * index's fields. The line reader keeps the candidates that start with the typed word.
 */
final class ReplCompleter implements Completer {

    private final Session session;

    ReplCompleter(Session session) {
        this.session = requireNonNull(session, "session");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        var text = line.line();
        int wordStart = line.cursor() - line.wordCursor();
        var before = text.substring(0, wordStart);
        if (Statements.isCommand(text)) {
            command(before, candidates);
        } else {
            statement(before, candidates);
        }
    }

    private void command(String before, List<Candidate> candidates) {
        if (before.isBlank()) {
            for (var command : Session.COMMANDS) {
                candidates.add(new Candidate(command[0], command[0], "commands", command[2], null, null, true));
            }
            return;
        }
        var name = before.strip().split("\\s+", 2)[0];
        switch (name) {
            case ":use" -> indices(candidates);
            case ":format" -> words(candidates, "table", "json");
            case ":explain" -> words(candidates, "on", "off", "last");
            case ":profile", ":timing" -> words(candidates, "on", "off");
            case ":fields" -> fields(candidates);
            case ":json", ":ast" -> statement(before.substring(before.indexOf(name) + name.length()), candidates);
            default -> {}
        }
    }

    private void statement(String before, List<Candidate> candidates) {
        var trimmed = before.stripTrailing();
        if (before.endsWith("\"") || before.endsWith("'")) {
            // Inside quotes only names are worth completing: a model id, or an index after FROM.
            var head = before.substring(0, before.length() - 1).stripTrailing();
            if (head.endsWith("ltr(") || head.endsWith("learning_to_rank(") || head.endsWith("model_id:")) {
                for (var id : session.modelIds()) {
                    candidates.add(new Candidate(id, id, "models", "model", null, null, false));
                }
            } else if (endsWithKeyword(head, "FROM")) {
                indices(candidates);
            }
            return;
        }
        if (endsWithKeyword(trimmed, "FROM")) {
            indices(candidates);
            return;
        }
        for (var keyword : DslTokens.keywords()) {
            candidates.add(new Candidate(keyword, keyword, "keywords", null, null, null, true));
        }
        for (var literal : DslTokens.literals()) {
            candidates.add(new Candidate(literal, literal, "keywords", null, null, null, false));
        }
        for (var function : DslTokens.functions()) {
            candidates.add(new Candidate(function, function, "functions", null, null, null, false));
        }
        fields(candidates);
    }

    /** Whether the last token of {@code text} is the keyword {@code keyword}, not an identifier ending in it. */
    private static boolean endsWithKeyword(String text, String keyword) {
        if (!text.endsWith(keyword)) {
            return false;
        }
        var spans = DslTokens.scan(text);
        return !spans.isEmpty() && spans.getLast().kind() == DslTokens.Kind.KEYWORD;
    }

    private void indices(List<Candidate> candidates) {
        for (var index : session.indices()) {
            candidates.add(new Candidate(index, index, "indices", "index", null, null, true));
        }
    }

    private void fields(List<Candidate> candidates) {
        for (var field : session.fieldNames()) {
            candidates.add(new Candidate(field, field, "fields", "field", null, null, false));
        }
    }

    private static void words(List<Candidate> candidates, String... words) {
        for (var word : words) {
            candidates.add(new Candidate(word));
        }
    }
}
