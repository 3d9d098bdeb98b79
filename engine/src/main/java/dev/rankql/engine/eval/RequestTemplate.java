package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import dev.rankql.ast.SearchRequest;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.ltr.QueryTemplate;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A search request written as text (the rankql DSL, or Elasticsearch JSON when it starts with <code>{</code>) with
 * mustache placeholders such as <code>{{query_text}}</code>, rendered once per evaluation query.
 *
 * <p>Values are escaped for the inside of a JSON string, which is also the escaping of the DSL's double-quoted
 * strings, so a placeholder written inside quotes ({@code match(title, "{{query_text}}")}) yields a valid string for
 * any query text; numbers and booleans are written as their text. A placeholder without a value is an error rather
 * than an empty string, so a misspelt name cannot silently search for nothing.
 */
public final class RequestTemplate {

    /** Escapes for JSON strings, never for HTML. */
    private static final class JsonStringMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(QueryTemplate.escapeJson(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Partials would read files into the request, so there are none. */
        @Override
        public java.io.Reader getReader(String resourceName) {
            throw QueryTemplate.noPartials(resourceName);
        }
    }

    private final String text;
    private final String source;
    private final Mustache mustache;
    private final Set<String> variables;

    private RequestTemplate(String text, String source, Mustache mustache, Set<String> variables) {
        this.text = text;
        this.source = source;
        this.mustache = mustache;
        this.variables = variables;
    }

    /**
     * Compiles a template; {@code source} names it in error messages (a file name, or {@code --request}).
     *
     * @throws IllegalArgumentException when the text is blank or not a valid mustache template
     */
    public static RequestTemplate compile(String text, String source) {
        requireNonNull(text, "text");
        requireNonNull(source, "source");
        if (text.isBlank()) {
            throw new IllegalArgumentException(source + ": the request template is empty");
        }
        try {
            EngineLimits.scriptSize(text);
        } catch (EngineException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        try {
            Mustache mustache = new JsonStringMustacheFactory().compile(new StringReader(text), source);
            Set<String> names = new LinkedHashSet<>();
            QueryTemplate.collect(mustache.getCodes(), names);
            return new RequestTemplate(text, source, mustache, Set.copyOf(names));
        } catch (MustacheException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a valid mustache template: " + e.getMessage(), e);
        }
    }

    /** The template's text, as given. */
    public String text() {
        return text;
    }

    /** The placeholders the template reads. */
    public Set<String> variables() {
        return variables;
    }

    /** Whether the template is Elasticsearch JSON (its first non-blank character is an opening brace). */
    public boolean isJson() {
        return text.stripLeading().startsWith("{");
    }

    /**
     * Checks that every placeholder is one of {@code allowed}.
     *
     * @throws IllegalArgumentException naming the unknown placeholders and the allowed ones
     */
    public RequestTemplate requireOnly(Set<String> allowed) {
        List<String> unknown = variables.stream().filter(v -> !allowed.contains(v)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown placeholder" + (unknown.size() > 1 ? "s " : " ")
                    + unknown.stream().map(v -> "{{" + v + "}}").collect(Collectors.joining(", "))
                    + "; the template may use " + allowed.stream().sorted().map(v -> "{{" + v + "}}")
                            .collect(Collectors.joining(", ")));
        }
        return this;
    }

    /**
     * The text rendered with {@code params} (String, Number, Boolean, List or Map values).
     *
     * @throws IllegalArgumentException when a placeholder has no value
     */
    public String renderText(Map<String, ?> params) {
        return renderText(params, "");
    }

    /** The text rendered with {@code params}; {@code forWhat} ends the message of a placeholder without a value. */
    private String renderText(Map<String, ?> params, String forWhat) {
        requireNonNull(params, "params");
        for (String name : variables) {
            if (!params.containsKey(name) || params.get(name) == null) {
                throw new IllegalArgumentException(source + ": the placeholder {{" + name + "}} has no value" + forWhat);
            }
        }
        var out = new EngineLimits.BoundedWriter("request template " + source);
        List<Object> scopes = new ArrayList<>();
        scopes.add(params);
        try {
            mustache.execute(out, scopes);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(source + ": " + QueryTemplate.rootCause(e).getMessage(), e);
        } catch (EngineException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * The rendered request, parsed as JSON or DSL.
     *
     * @param what names the rendering in errors, such as {@code query [q7]}
     * @throws IllegalArgumentException when a placeholder has no value, or the rendered text is not a valid request
     *     (the message gives the parser's position and reason)
     */
    public SearchRequest render(Map<String, ?> params, String what) {
        String rendered = renderText(params, " for " + what);
        try {
            return isJson() ? EsJson.parseSearch(rendered) : Dsl.parseRequest(rendered);
        } catch (DslSyntaxException | InvalidRequestException e) {
            throw new IllegalArgumentException(source + ": the request rendered for " + what + " is invalid: "
                    + e.getMessage(), e);
        }
    }
}
