package dev.rankql.engine.search;

import dev.rankql.ast.Script;
import dev.rankql.ast.Value;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.mapping.FieldMapping;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.expressions.SimpleBindings;
import org.apache.lucene.expressions.js.JavascriptCompiler;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.NumericUtils;

/**
 * Compiles scripts with Lucene expressions: {@code lang: expression} as is, and Painless sources that are a single
 * expression ({@code <expr>} or {@code return <expr>;}) after translating {@code Math.*} calls.
 */
public final class Scripts {

    private static final Pattern MATH = Pattern.compile("Math\\.(\\w+)");
    private static final Pattern STATEMENT_KEYWORDS = Pattern.compile(
            "\\b(if|else|for|while|do|def|var|int|long|double|float|boolean|String|new|return|break|continue|try|catch|throw)\\b");
    private static final Pattern PARAM = Pattern.compile("params(?:\\.(\\w+)|\\['([^']+)'\\])");
    private static final Pattern DOC = Pattern.compile("doc\\['([^']+)'\\]\\.value");

    /** A compiled script: a per-document value that may read the incoming score. */
    public record Compiled(DoubleValuesSource source, String text) {}

    /**
     * Compiled expressions by language and source. Compiling generates and loads a class, which costs more than the
     * rest of a typical request (an LTR feature with a script paid it on every search); an expression is immutable and
     * binds to fields and params afresh on each use, so sharing it is safe. Bounded by clearing, since sources may be
     * user-generated.
     */
    private static final Map<String, org.apache.lucene.expressions.Expression> COMPILED = new ConcurrentHashMap<>();

    private static final int CACHE_LIMIT = 1024;

    private Scripts() {}

    /** Compiles {@code script} against the fields of {@code index}; unsupported constructs get a clear error. */
    public static Compiled compile(Script script, IndexView index) {
        var lang = script.lang().orElse("painless");
        EngineLimits.scriptSize(script.source());
        var key = lang + '\u0000' + script.source();
        var compiled = COMPILED.get(key);
        if (compiled == null) {
            String expression = switch (lang) {
                case "expression" -> script.source();
                case "painless" -> translatePainless(script.source());
                default -> throw EngineException.illegalArgument("script_lang not supported [" + lang + "]");
            };
            try {
                compiled = JavascriptCompiler.compile(expression);
            } catch (ParseException | IllegalArgumentException e) {
                throw unsupported(script.source(), e.getMessage());
            }
            if (COMPILED.size() >= CACHE_LIMIT) {
                COMPILED.clear();
            }
            COMPILED.put(key, compiled);
        }
        var bindings = new SimpleBindings();
        for (var variable : compiled.variables) {
            bindings.add(variable, bind(variable, script.params(), index, script.source()));
        }
        try {
            return new Compiled(compiled.getDoubleValuesSource(bindings), script.source());
        } catch (IllegalArgumentException e) {
            throw unsupported(script.source(), e.getMessage());
        }
    }

    private static EngineException unsupported(String source, String detail) {
        return new EngineException("script_exception", "unsupported script [" + source + "]: " + detail, 400);
    }

    /** Turns a single-expression Painless source into a Lucene expression. */
    static String translatePainless(String source) {
        var text = source.strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (text.startsWith("return ") || text.startsWith("return\t") || text.startsWith("return(")) {
            text = text.substring("return".length()).strip();
        }
        if (text.contains(";")) {
            throw unsupported(source, "only a single expression is supported, found several statements");
        }
        if (text.contains("{") || text.contains("}")) {
            throw unsupported(source, "blocks are not supported");
        }
        var keyword = STATEMENT_KEYWORDS.matcher(text);
        if (keyword.find()) {
            throw unsupported(source, "[" + keyword.group(1) + "] is not supported; write a single expression");
        }
        var withoutDoc = text.replaceAll("doc\\[(['\"])([^'\"]+)\\1\\]\\.value", "");
        var method = Pattern.compile("\\.(\\w+)\\s*\\(").matcher(withoutDoc.replaceAll("Math\\.\\w+", ""));
        if (method.find()) {
            throw unsupported(source, "method call [" + method.group(1) + "()] is not supported");
        }
        var access = Pattern.compile("doc\\[(['\"])([^'\"]+)\\1\\](?!\\.value)(\\.\\w+)?").matcher(text);
        if (access.find()) {
            throw unsupported(source, "only doc['field'].value is supported, found [" + access.group() + "]");
        }
        var math = MATH.matcher(text);
        var out = new StringBuilder();
        while (math.find()) {
            var replacement = switch (math.group(1)) {
                case "log" -> "ln";
                case "PI" -> Double.toString(Math.PI);
                case "E" -> Double.toString(Math.E);
                case "log10", "exp", "sqrt", "pow", "abs", "max", "min", "floor", "ceil", "sin", "cos", "tan", "asin",
                        "acos", "atan", "atan2", "sinh", "cosh", "tanh" -> math.group(1);
                default -> throw unsupported(source, "[Math." + math.group(1) + "] is not supported");
            };
            math.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        math.appendTail(out);
        return out.toString();
    }

    private static DoubleValuesSource bind(String variable, Map<String, Value> params, IndexView index, String source) {
        if (variable.equals("_score")) {
            return DoubleValuesSource.SCORES;
        }
        var param = PARAM.matcher(variable);
        if (param.matches()) {
            var name = param.group(1) != null ? param.group(1) : param.group(2);
            var value = params.get(name);
            return switch (value) {
                case null -> throw unsupported(source, "parameter [" + name + "] is not given in [params]");
                case Value.Int i -> DoubleValuesSource.constant(i.value());
                case Value.Dbl d -> DoubleValuesSource.constant(d.value());
                case Value.Bool b -> DoubleValuesSource.constant(b.value() ? 1 : 0);
                case Value.Str s -> throw unsupported(source, "parameter [" + name + "] must be a number, found a string");
                case Value.Null n -> throw unsupported(source, "parameter [" + name + "] must be a number, found null");
                case Value.Arr a -> throw unsupported(source, "parameter [" + name + "] must be a number, found an array");
                case Value.Obj o -> throw unsupported(source, "parameter [" + name + "] must be a number, found an object");
            };
        }
        var doc = DOC.matcher(variable);
        if (doc.matches()) {
            var field = index.resolve(doc.group(1));
            var mapping = index.fields().get(field);
            return switch (mapping) {
                case null -> throw EngineException.illegalArgument("No field found for [" + field + "] in mapping");
                case FieldMapping.Numeric n -> new DocValuesSource(field, n.type().isDecimal());
                case FieldMapping.Date d -> new DocValuesSource(field, false);
                case FieldMapping.Bool b -> new DocValuesSource(field, false);
                case FieldMapping.Text t -> throw EngineException.illegalArgument(
                        "Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on ["
                                + field + "] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
                case FieldMapping.Keyword k -> throw unsupported(source, "keyword field [" + field + "] has no numeric value");
                case FieldMapping.RankFeature r -> throw unsupported(source, "rank_feature field [" + field + "] has no doc values");
                case FieldMapping.RankFeatures r -> throw unsupported(source, "rank_features field [" + field + "] has no doc values");
                case FieldMapping.DenseVector v -> throw unsupported(source, "dense_vector field [" + field + "] has no single value");
                case FieldMapping.ObjectMapping o -> throw unsupported(source, "object field [" + field + "] has no value");
            };
        }
        throw unsupported(source, "unknown variable [" + variable + "]; use doc['field'].value, params.name or _score");
    }

    /** The first (smallest) doc value of a numeric, date or boolean field; 0 when the document has none. */
    private static final class DocValuesSource extends DoubleValuesSource {
        private final String field;
        private final boolean decimal;

        DocValuesSource(String field, boolean decimal) {
            this.field = field;
            this.decimal = decimal;
        }

        @Override
        public DoubleValues getValues(LeafReaderContext ctx, DoubleValues scores) throws IOException {
            SortedNumericDocValues values = DocValues.getSortedNumeric(ctx.reader(), field);
            return new DoubleValues() {
                private double current;

                @Override
                public double doubleValue() {
                    return current;
                }

                @Override
                public boolean advanceExact(int doc) throws IOException {
                    if (values.advanceExact(doc)) {
                        long raw = values.nextValue();
                        current = decimal ? NumericUtils.sortableLongToDouble(raw) : raw;
                    } else {
                        current = 0;
                    }
                    return true;
                }
            };
        }

        @Override
        public boolean needsScores() {
            return false;
        }

        @Override
        public DoubleValuesSource rewrite(IndexSearcher searcher) {
            return this;
        }

        @Override
        public int hashCode() {
            return field.hashCode() * 31 + Boolean.hashCode(decimal);
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof DocValuesSource other && other.field.equals(field) && other.decimal == decimal;
        }

        @Override
        public String toString() {
            return "doc['" + field + "'].value";
        }

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
            return true;
        }
    }
}
