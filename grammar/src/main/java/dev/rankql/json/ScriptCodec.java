package dev.rankql.json;

import dev.rankql.ast.Script;
import dev.rankql.ast.Span;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes an inline script object {@code {"source": ..., "lang": ..., "params": {...}}}. */
final class ScriptCodec {

    static final String SOURCE = "source";
    static final String LANG = "lang";
    static final String PARAMS = "params";
    private static final List<String> FIELDS = List.of(SOURCE, "inline", LANG, PARAMS, "id", "options");

    private ScriptCodec() {}

    /** The script, or null with diagnostics; Elasticsearch declares these script fields as objects only. */
    static Script read(JsonNode node, String path, Problems problems) {
        if (!node.isObject()) {
            problems.expected(path, "script object", node);
            return null;
        }
        int mark = problems.size();
        var o = new Scope(node, path, problems);
        var source = o.string(SOURCE);
        var inline = o.string("inline");
        if (o.take("id") != null) {
            problems.unsupported(o.at("id"), "a stored script");
        }
        if (o.take("options") != null) {
            problems.unsupported(o.at("options"), "[script] option [options]");
        }
        var lang = o.string(LANG);
        var params = o.params(PARAMS);
        o.rejectRest("script", FIELDS);
        var text = source.or(() -> inline);
        if (!o.has(SOURCE) && !o.has("inline") && !o.has("id")) {
            problems.add(path, "must specify either [source] for an inline script or [id] for a stored script",
                    Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION);
        }
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(path, () -> new Script(Span.NONE, text.get(), lang, params));
    }

    static ObjectNode write(Script script) {
        var o = JsonNodeFactory.instance.objectNode();
        o.put(SOURCE, script.source());
        script.lang().ifPresent(v -> o.put(LANG, v));
        if (!script.params().isEmpty()) {
            o.set(PARAMS, ValueCodec.write(script.params()));
        }
        return o;
    }
}
