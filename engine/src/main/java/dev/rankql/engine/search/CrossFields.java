package dev.rankql.engine.search;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Operator;
import dev.rankql.engine.mapping.Analyzers;
import dev.rankql.engine.mapping.FieldMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * {@code multi_match} of type {@code cross_fields}: fields that share a search analyzer form a group, the query is
 * analyzed once per group, and each term becomes a dis_max over the group's fields whose term statistics are
 * blended as Elasticsearch's BlendedTermQuery does (the largest document frequency, with a small bias towards the
 * more frequent fields, and one shared total term frequency).
 */
final class CrossFields {

    private CrossFields() {}

    static Query build(
            QueryCompiler compiler, IndexReader reader, List<FieldRef> fields, String text, Operator operator,
            Optional<String> msm, Optional<String> analyzerOverride, float tieBreaker) {
        var groups = new LinkedHashMap<Analyzer, List<FieldRef>>();
        for (var field : fields) {
            var mapping = compiler.index().fields().get(field.field());
            Analyzer analyzer;
            if (mapping instanceof FieldMapping.Text) {
                analyzer = compiler.analyzerFor(field.field(), analyzerOverride);
            } else if (mapping instanceof FieldMapping.Keyword) {
                analyzer = Analyzers.require("keyword");
            } else {
                continue;
            }
            groups.computeIfAbsent(analyzer, a -> new ArrayList<>()).add(field);
        }
        var occur = operator == Operator.AND ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD;
        var groupQueries = new ArrayList<Query>();
        for (var group : groups.entrySet()) {
            var groupFields = group.getValue();
            var builder = new BlendingBuilder(group.getKey(), reader, groupFields, tieBreaker);
            var q = builder.createBooleanQuery(groupFields.get(0).field(), text, occur);
            if (q == null) {
                continue;
            }
            if (msm.isPresent() && q instanceof BooleanQuery bq) {
                int optional = (int) bq.clauses().stream().filter(c -> c.occur() == BooleanClause.Occur.SHOULD).count();
                int required = MinimumShouldMatch.calculate(optional, msm.get());
                if (required > 0) {
                    var copy = new BooleanQuery.Builder();
                    bq.clauses().forEach(copy::add);
                    copy.setMinimumNumberShouldMatch(required);
                    q = copy.build();
                }
            }
            groupQueries.add(q);
        }
        if (groupQueries.isEmpty()) {
            return null;
        }
        return groupQueries.size() == 1 ? groupQueries.get(0) : new DisjunctionMaxQuery(groupQueries, tieBreaker);
    }

    /** Replaces each analyzed term by a blended dis_max across the group's fields. */
    private static final class BlendingBuilder extends QueryBuilder {
        private final IndexReader reader;
        private final List<FieldRef> fields;
        private final float tieBreaker;

        BlendingBuilder(Analyzer analyzer, IndexReader reader, List<FieldRef> fields, float tieBreaker) {
            super(analyzer);
            this.reader = reader;
            this.fields = fields;
            this.tieBreaker = tieBreaker;
        }

        @Override
        protected Query newTermQuery(Term term, float boost) {
            try {
                return blend(term);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Query blend(Term analyzed) throws IOException {
            int n = fields.size();
            var terms = new Term[n];
            var states = new TermStates[n];
            var searcher = new org.apache.lucene.search.IndexSearcher(reader);
            for (int i = 0; i < n; i++) {
                terms[i] = new Term(fields.get(i).field(), analyzed.bytes());
                states[i] = TermStates.build(searcher, terms[i], true);
            }
            if (n > 1) {
                adjust(terms, states);
            }
            var queries = new ArrayList<Query>(n);
            for (int i = 0; i < n; i++) {
                Query q = new TermQuery(terms[i], states[i]);
                float boost = fields.get(i).boost().orElse(1f);
                queries.add(boost == 1f ? q : new BoostQuery(q, boost));
            }
            return n == 1 ? queries.get(0) : new DisjunctionMaxQuery(queries, tieBreaker);
        }

        private void adjust(Term[] terms, TermStates[] states) throws IOException {
            int maxDoc = reader.maxDoc();
            int max = 0;
            long minSumTtf = Long.MAX_VALUE;
            for (int i = 0; i < states.length; i++) {
                max = Math.max(max, states[i].docFreq());
                if (states[i].totalTermFreq() > 0) {
                    minSumTtf = Math.min(minSumTtf, reader.getSumTotalTermFreq(terms[i].field()));
                }
            }
            if (maxDoc > minSumTtf) {
                maxDoc = (int) minSumTtf;
            }
            if (max == 0) {
                return;
            }
            // Most frequent field first; a stable sort keeps the given field order among equals.
            var order = new Integer[states.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(states[b].docFreq(), states[a].docFreq()));
            int previous = states[order[0]].docFreq();
            int actualDf = Math.min(maxDoc, max);
            long sumTtf = 0;
            for (int i : order) {
                int current = states[i].docFreq();
                if (current == 0) {
                    break;
                }
                if (previous > current) {
                    actualDf++;
                }
                int docCount = reader.getDocCount(terms[i].field());
                int newDf = Math.min(Math.min(actualDf, docCount), maxDoc);
                states[i] = withStats(states[i], newDf, Math.max(states[i].totalTermFreq(), newDf));
                previous = current;
                sumTtf += states[i].totalTermFreq();
            }
            sumTtf = Math.min(sumTtf, minSumTtf);
            for (int i = 0; i < states.length; i++) {
                if (states[i].docFreq() == 0) {
                    continue;
                }
                states[i] = withStats(states[i], states[i].docFreq(), sumTtf);
            }
        }

        private TermStates withStats(TermStates original, int docFreq, long totalTermFreq) throws IOException {
            var context = reader.getContext();
            var adjusted = new TermStates(context);
            boolean first = true;
            for (var leaf : context.leaves()) {
                var supplier = original.get(leaf);
                var state = supplier == null ? null : supplier.get();
                if (state == null) {
                    continue;
                }
                if (first) {
                    adjusted.register(state, leaf.ord, docFreq, totalTermFreq);
                    first = false;
                } else {
                    adjusted.register(state, leaf.ord, 0, 0);
                }
            }
            return adjusted;
        }
    }
}
