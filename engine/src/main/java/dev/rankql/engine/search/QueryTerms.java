package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.FieldMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/** The distinct terms a text becomes in a text field, analysed as a {@code match} query on that field would be. */
final class QueryTerms {

    private QueryTerms() {}

    /**
     * The distinct terms of {@code text} in {@code field}, in order of first occurrence; {@code feature} names the
     * extractor in errors.
     */
    static List<Term> of(QueryCompiler compiler, String field, String text, String feature) {
        var mapping = compiler.index().fields().get(field);
        if (!(mapping instanceof FieldMapping.Text)) {
            throw EngineException.illegalArgument("feature [" + feature + "] needs a text field, but [" + field + "] is "
                    + (mapping == null ? "not mapped" : "of type [" + mapping.typeName() + "]"));
        }
        var analyzer = compiler.analyzerFor(field, Optional.empty());
        var distinct = new LinkedHashSet<BytesRef>();
        try (var stream = analyzer.tokenStream(field, text)) {
            var termAtt = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                distinct.add(BytesRef.deepCopyOf(termAtt.getBytesRef()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var terms = new ArrayList<Term>(distinct.size());
        distinct.forEach(bytes -> terms.add(new Term(field, bytes)));
        return terms;
    }
}
