package dev.rankql.engine.ltr;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An extractor's query as a mustache template over the request's params, compiled once at deploy time.
 *
 * <p>As Elasticsearch does, the query is serialised to JSON text and only treated as a template when it contains
 * two opening braces; values are escaped for JSON strings (never HTML-escaped), and a template that names a parameter
 * the merged params lack is reported as missing instead of rendering an empty string.
 */
public final class QueryTemplate {

    /** Escapes for the inside of a JSON string, as Elasticsearch's JSON mustache templates do. */
    private static final class JsonMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(escapeJson(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Partials would read files of the server's machine into a user's query, so there are none. */
        @Override
        public java.io.Reader getReader(String resourceName) {
            throw noPartials(resourceName);
        }
    }

    /** The error for a {@code {{>name}}} partial, which the default factory would read from a file. */
    public static MustacheException noPartials(String name) {
        return new MustacheException("partials are not supported, got {{>" + name + "}}");
    }

    private final JsonNode query;
    private final Optional<Mustache> template;
    private final Set<String> variables;

    private QueryTemplate(JsonNode query, Optional<Mustache> template, Set<String> variables) {
        this.query = query;
        this.template = template;
        this.variables = variables;
    }

    /** Compiles {@code query}; {@code where} names the extractor in errors. */
    public static QueryTemplate compile(JsonNode query, String where) {
        var text = Json.write(query);
        if (!text.contains("{{")) {
            return new QueryTemplate(query.deepCopy(), Optional.empty(), Set.of());
        }
        EngineLimits.scriptSize(text);
        try {
            Mustache mustache = new JsonMustacheFactory().compile(new StringReader(text), where);
            var names = new LinkedHashSet<String>();
            collect(mustache.getCodes(), names);
            return new QueryTemplate(query.deepCopy(), Optional.of(mustache), Set.copyOf(names));
        } catch (MustacheException | IllegalArgumentException e) {
            // mustache.java reports some malformed templates (a variable inside a {{<parent}} block) with an
            // IllegalArgumentException rather than its own exception.
            throw EngineException.parsing("[" + where + "] is not a valid mustache template: " + e.getMessage());
        }
    }

    /**
     * Adds to {@code names} the variables a compiled template reads outside sections (whose context changes), to
     * detect missing params; shared with the evaluation's request templates.
     */
    public static void collect(Code[] codes, Set<String> names) {
        if (codes == null) {
            return;
        }
        for (var code : codes) {
            if (code instanceof ValueCode && code.getName() != null && !code.getName().equals(".")) {
                names.add(code.getName());
            } else if (code instanceof IterableCode && !(code instanceof NotIterableCode)) {
                names.add(code.getName());
            } else {
                collect(code.getCodes(), names);
            }
        }
    }

    /** Whether the query has template placeholders. */
    public boolean isTemplate() {
        return template.isPresent();
    }

    /** The variables this template needs. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * The query rendered with {@code params} (plain Java values: String, Number, Boolean, List, Map), or empty when a
     * referenced parameter is missing.
     */
    public Optional<JsonNode> render(Map<String, Object> params) {
        if (template.isEmpty()) {
            return Optional.of(query);
        }
        for (var name : variables) {
            if (resolve(params, name) == null) {
                return Optional.empty();
            }
        }
        var out = new EngineLimits.BoundedWriter("feature query template");
        List<Object> scopes = new ArrayList<>();
        scopes.add(params);
        try {
            template.get().execute(out, scopes);
        } catch (MustacheException e) {
            throw rootCause(e);
        }
        try {
            return Optional.of(Json.MAPPER.readTree(out.toString()));
        } catch (JacksonException e) {
            throw EngineException.parsing("the rendered feature query is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The engine error a template's rendering failed with, or a parsing error saying what mustache reported. */
    public static EngineException rootCause(MustacheException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EngineException engine) {
                return engine;
            }
        }
        return EngineException.parsing("the feature query template cannot be rendered: " + e.getMessage());
    }

    private static Object resolve(Map<String, Object> params, String dotted) {
        Object current = params;
        for (var part : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /** {@code value} escaped for the inside of a JSON string. */
    public static String escapeJson(String value) {
        var sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
