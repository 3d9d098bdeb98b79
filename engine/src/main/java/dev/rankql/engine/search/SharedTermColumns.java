package dev.rankql.engine.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.Similarity;

/**
 * Feature queries built only from term queries combined by {@code bool}, {@code dis_max}, boosts and
 * {@code constant_score} — what {@code match}, {@code multi_match} best/most fields and their variants compile to —
 * evaluated together from one postings enum per distinct term instead of one per feature and term.
 *
 * <p>Twenty features over the same few query terms otherwise decode the same postings blocks many times. Here each
 * window document advances every distinct term once, reads each field's norm once, and every feature's value is
 * computed from those frequencies with the same similarity scorers and the same arithmetic as Lucene's scorers
 * (sums in double cast to float, {@code dis_max}'s max plus tie-breaker times the others, required plus optional
 * as two floats), so the values are Lucene's own.
 */
final class SharedTermColumns {

    /** One feature's query as a tree over shared terms. */
    sealed interface Node {
        /** A scored term: {@code leaf} indexes the (term, boost) scorers. */
        record Leaf(int leaf) implements Node {}

        /** A boolean query with its clauses by occurrence. */
        record Bool(Node[] must, Node[] filter, Node[] should, Node[] mustNot, int minimumShouldMatch) implements Node {}

        /** A disjunction-max query. */
        record DisMax(Node[] disjuncts, float tieBreaker) implements Node {}

        /** A constant-score query: {@code score} where {@code inner} matches. */
        record Constant(Node inner, float score) implements Node {}

        /** Matches nothing (a term absent from the index, {@code match_none}). */
        record None() implements Node {}
    }

    private final Term[] terms;
    private final TermStates[] states;
    private final int[] fieldOfTerm;
    private final String[] fields;
    private final int[] leafTerm;
    private final int[] leafField;
    private final Similarity.SimScorer[] leafScorers;
    private final int[] columns;
    private final Node[] roots;
    private final boolean[] constantOne;

    private SharedTermColumns(Builder builder, int[] columns, Node[] roots, boolean[] constantOne) {
        this.terms = builder.terms.toArray(Term[]::new);
        this.states = builder.states.toArray(TermStates[]::new);
        this.fields = builder.fields.toArray(String[]::new);
        this.fieldOfTerm = builder.fieldOfTerm.stream().mapToInt(Integer::intValue).toArray();
        this.leafTerm = builder.leafTerm.stream().mapToInt(Integer::intValue).toArray();
        this.leafField = new int[leafTerm.length];
        for (int l = 0; l < leafTerm.length; l++) {
            leafField[l] = fieldOfTerm[leafTerm[l]];
        }
        this.leafScorers = builder.leafScorers.toArray(Similarity.SimScorer[]::new);
        this.columns = columns;
        this.roots = roots;
        this.constantOne = constantOne;
    }

    /** Collects distinct terms, fields and (term, boost) scorers while queries are translated. */
    static final class Builder {
        private final IndexSearcher searcher;
        private final Map<Term, TermStates> sharedStates;
        private final List<Term> terms = new ArrayList<>();
        private final List<TermStates> states = new ArrayList<>();
        private final Map<Term, Integer> termSlots = new HashMap<>();
        private final List<String> fields = new ArrayList<>();
        private final List<Integer> fieldOfTerm = new ArrayList<>();
        private final List<Integer> leafTerm = new ArrayList<>();
        private final List<Similarity.SimScorer> leafScorers = new ArrayList<>();
        private final Map<Long, Integer> leafSlots = new HashMap<>();
        private final List<Integer> columns = new ArrayList<>();
        private final List<Node> roots = new ArrayList<>();
        private final List<Boolean> constantOne = new ArrayList<>();

        Builder(IndexSearcher searcher, Map<Term, TermStates> sharedStates) {
            this.searcher = searcher;
            this.sharedStates = sharedStates;
        }

        /**
         * Adds column {@code column} when {@code query} (rewritten) is made only of supported queries; returns false,
         * adding nothing, otherwise.
         */
        boolean add(int column, Query query, boolean one) throws IOException {
            if (!supported(query)) {
                return false;
            }
            columns.add(column);
            roots.add(translate(query, 1f));
            constantOne.add(one);
            return true;
        }

        /** Whether every part of {@code query} is a query this class evaluates. */
        private static boolean supported(Query query) {
            return switch (query) {
                case TermQuery t -> true;
                case BooleanQuery b -> b.clauses().stream().allMatch(c -> supported(c.query()));
                case DisjunctionMaxQuery d -> d.getDisjuncts().stream().allMatch(Builder::supported);
                case BoostQuery b -> supported(b.getQuery());
                case ConstantScoreQuery c -> supported(c.getQuery());
                case MatchNoDocsQuery m -> true;
                default -> false;
            };
        }

        boolean isEmpty() {
            return columns.isEmpty();
        }

        SharedTermColumns build() {
            return new SharedTermColumns(this, columns.stream().mapToInt(Integer::intValue).toArray(),
                    roots.toArray(Node[]::new), toArray(constantOne));
        }

        private static boolean[] toArray(List<Boolean> list) {
            var result = new boolean[list.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = list.get(i);
            }
            return result;
        }

        /** {@code query} scored with {@code boost} as a tree; only called on {@link #supported} queries. */
        private Node translate(Query query, float boost) throws IOException {
            return switch (query) {
                case TermQuery t -> leaf(t, boost);
                case BooleanQuery b -> {
                    var must = new ArrayList<Node>();
                    var filter = new ArrayList<Node>();
                    var should = new ArrayList<Node>();
                    var mustNot = new ArrayList<Node>();
                    for (var clause : b.clauses()) {
                        var child = translate(clause.query(), boost);
                        switch (clause.occur()) {
                            case MUST -> must.add(child);
                            case FILTER -> filter.add(child);
                            case SHOULD -> should.add(child);
                            case MUST_NOT -> mustNot.add(child);
                        }
                    }
                    if (must.isEmpty() && filter.isEmpty() && should.isEmpty()) {
                        yield new Node.None();
                    }
                    yield new Node.Bool(must.toArray(Node[]::new), filter.toArray(Node[]::new), should.toArray(Node[]::new),
                            mustNot.toArray(Node[]::new), b.getMinimumNumberShouldMatch());
                }
                case DisjunctionMaxQuery d -> {
                    var disjuncts = new ArrayList<Node>();
                    for (var disjunct : d.getDisjuncts()) {
                        disjuncts.add(translate(disjunct, boost));
                    }
                    yield disjuncts.isEmpty() ? new Node.None()
                            : new Node.DisMax(disjuncts.toArray(Node[]::new), d.getTieBreakerMultiplier());
                }
                case BoostQuery b -> translate(b.getQuery(), boost * b.getBoost());
                case ConstantScoreQuery c -> new Node.Constant(translate(c.getQuery(), 1f), boost);
                case MatchNoDocsQuery m -> new Node.None();
                default -> throw new IllegalArgumentException("unsupported query " + query.getClass().getSimpleName());
            };
        }

        /** A term query's leaf: Lucene's term weight computes exactly this scorer from the same statistics. */
        private Node leaf(TermQuery query, float boost) throws IOException {
            var term = query.getTerm();
            var termStates = query.getTermStates();
            if (termStates == null) {
                termStates = sharedStates.get(term);
                if (termStates == null) {
                    termStates = TermStates.build(searcher, term, true);
                    sharedStates.put(term, termStates);
                }
            }
            if (termStates.docFreq() == 0) {
                return new Node.None();
            }
            Integer slot = termSlots.get(term);
            if (slot == null) {
                slot = terms.size();
                termSlots.put(term, slot);
                terms.add(term);
                states.add(termStates);
                int field = fields.indexOf(term.field());
                if (field < 0) {
                    field = fields.size();
                    fields.add(term.field());
                }
                fieldOfTerm.add(field);
            }
            long key = ((long) slot << 32) | (Float.floatToIntBits(boost) & 0xffffffffL);
            Integer leaf = leafSlots.get(key);
            if (leaf == null) {
                var collection = searcher.collectionStatistics(term.field());
                var termStatistics = searcher.termStatistics(term, termStates.docFreq(), termStates.totalTermFreq());
                leaf = leafTerm.size();
                leafSlots.put(key, leaf);
                leafTerm.add(slot);
                leafScorers.add(searcher.getSimilarity().scorer(boost, collection, termStatistics));
            }
            return new Node.Leaf(leaf);
        }
    }

    /** The matrix columns these trees fill. */
    int[] columns() {
        return columns;
    }

    /**
     * Fills every shared column of {@code matrix} for the rows {@code sortedDocs[0 .. n)} (ascending doc ids): per
     * segment one postings enum per distinct term and one norms reader per field, each advanced forward once per row.
     */
    void fill(IndexSearcher searcher, int[] sortedDocs, int n, float[] matrix, int width) throws IOException {
        fill(searcher, sortedDocs, n, matrix, width, null);
    }

    /**
     * As {@link #fill(IndexSearcher, int[], int, float[], int)}, with the terms and postings enums of each segment taken
     * from {@code reuse} (when not null) and handed back to Lucene to reset for this request's terms.
     */
    void fill(IndexSearcher searcher, int[] sortedDocs, int n, float[] matrix, int width, Reuse reuse) throws IOException {
        var scratch = new Scratch(terms.length, fields.length);
        var leaves = searcher.getIndexReader().leaves();
        int r = 0;
        while (r < n) {
            var leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
            int end = leaf.docBase + leaf.reader().maxDoc();
            var segment = reuse == null ? null : reuse.segment(leaf.reader());
            // One terms enum per field, positioned on each of its terms in turn from the states read at bind time.
            for (int f = 0; f < fields.length; f++) {
                var enums = segment == null ? null : segment.field(leaf.reader(), fields[f]);
                scratch.fieldEnums[f] = enums;
                if (enums != null) {
                    enums.used = 0;
                    scratch.termsEnums[f] = enums.termsEnum;
                } else {
                    var fieldTerms = leaf.reader().terms(fields[f]);
                    scratch.termsEnums[f] = fieldTerms == null ? null : fieldTerms.iterator();
                }
            }
            for (int t = 0; t < terms.length; t++) {
                var supplier = states[t].get(leaf);
                var state = supplier == null ? null : supplier.get();
                var termsEnum = scratch.termsEnums[fieldOfTerm[t]];
                PostingsEnum postings = null;
                if (state != null && termsEnum != null) {
                    termsEnum.seekExact(terms[t].bytes(), state);
                    var enums = scratch.fieldEnums[fieldOfTerm[t]];
                    if (enums == null) {
                        postings = termsEnum.postings(null, PostingsEnum.FREQS);
                    } else {
                        // Lucene resets an enum of the same segment and field for another term instead of making one.
                        int slot = enums.used++;
                        if (slot == enums.postings.length) {
                            enums.postings = Arrays.copyOf(enums.postings, 2 * slot + 1);
                        }
                        postings = termsEnum.postings(enums.postings[slot], PostingsEnum.FREQS);
                        enums.postings[slot] = postings;
                    }
                }
                scratch.postings[t] = postings;
            }
            for (int f = 0; f < fields.length; f++) {
                scratch.normValues[f] = leaf.reader().getNormValues(fields[f]);
            }
            for (; r < n && sortedDocs[r] < end; r++) {
                int target = sortedDocs[r] - leaf.docBase;
                for (int t = 0; t < terms.length; t++) {
                    var postings = scratch.postings[t];
                    int freq = 0;
                    if (postings != null) {
                        if (postings.docID() < target) {
                            postings.advance(target);
                        }
                        if (postings.docID() == target) {
                            freq = postings.freq();
                        }
                    }
                    scratch.freqs[t] = freq;
                }
                for (int f = 0; f < fields.length; f++) {
                    var norms = scratch.normValues[f];
                    // As Lucene's term scorer: a document without a norm scores with norm 1.
                    scratch.norms[f] = norms != null && norms.advanceExact(target) ? norms.longValue() : 1L;
                }
                int base = r * width;
                for (int k = 0; k < columns.length; k++) {
                    float value = value(roots[k], scratch);
                    if (!Float.isNaN(value)) {
                        matrix[base + columns[k]] = constantOne[k] ? 1f : value;
                    }
                }
            }
        }
    }

    /**
     * The terms and postings enums of the segments one thread has rescored, kept for the next request that thread
     * makes, so that a window touching many segments does not pay Lucene's enum set-up (its block buffers, several
     * kilobytes per term) in each of them on every request. Used by one thread at a time; entries are weakly keyed by
     * the segment's reader and go with it, and the whole map is dropped if it ever holds more than
     * {@value #MAX_SEGMENTS} segments.
     */
    static final class Reuse {
        private static final int MAX_SEGMENTS = 1_024;
        private final WeakHashMap<LeafReader, Segment> segments = new WeakHashMap<>();

        /** The enums kept for {@code reader}, created empty the first time. */
        Segment segment(LeafReader reader) {
            var segment = segments.get(reader);
            if (segment == null) {
                if (segments.size() >= MAX_SEGMENTS) {
                    segments.clear();
                }
                segment = new Segment();
                segments.put(reader, segment);
            }
            return segment;
        }

        /** How many segments have enums kept (for tests). */
        int size() {
            return segments.size();
        }
    }

    /** One segment's kept enums, per field. */
    static final class Segment {
        private final Map<String, FieldEnums> fields = new HashMap<>();

        /** The enums of {@code field} in {@code reader}, or null when the segment has no terms in it. */
        FieldEnums field(LeafReader reader, String field) throws IOException {
            var enums = fields.get(field);
            if (enums == null) {
                var terms = reader.terms(field);
                enums = new FieldEnums(terms == null ? null : terms.iterator());
                fields.put(field, enums);
            }
            return enums.termsEnum == null ? null : enums;
        }
    }

    /** A field's terms enum in one segment and the postings enums Lucene resets for each term a request reads. */
    static final class FieldEnums {
        final TermsEnum termsEnum;
        PostingsEnum[] postings = new PostingsEnum[4];
        int used;

        FieldEnums(TermsEnum termsEnum) {
            this.termsEnum = termsEnum;
        }
    }

    /** The per-request state of {@link #fill}: postings, norms and the current document's frequencies. */
    private static final class Scratch {
        final PostingsEnum[] postings;
        final int[] freqs;
        final NumericDocValues[] normValues;
        final long[] norms;
        final TermsEnum[] termsEnums;
        final FieldEnums[] fieldEnums;

        Scratch(int terms, int fields) {
            termsEnums = new TermsEnum[fields];
            fieldEnums = new FieldEnums[fields];
            postings = new PostingsEnum[terms];
            freqs = new int[terms];
            normValues = new NumericDocValues[fields];
            norms = new long[fields];
        }
    }

    /** The score of {@code node} for the current document, or NaN when it does not match. */
    private float value(Node node, Scratch scratch) {
        return switch (node) {
            case Node.Leaf l -> {
                int freq = scratch.freqs[leafTerm[l.leaf()]];
                yield freq == 0 ? Float.NaN : leafScorers[l.leaf()].score(freq, scratch.norms[leafField[l.leaf()]]);
            }
            case Node.Bool b -> bool(b, scratch);
            case Node.DisMax d -> {
                float max = 0;
                double others = 0;
                boolean any = false;
                for (var disjunct : d.disjuncts()) {
                    float v = value(disjunct, scratch);
                    if (Float.isNaN(v)) {
                        continue;
                    }
                    any = true;
                    if (v >= max) {
                        others += max;
                        max = v;
                    } else {
                        others += v;
                    }
                }
                yield any ? (float) (max + others * d.tieBreaker()) : Float.NaN;
            }
            case Node.Constant c -> Float.isNaN(value(c.inner(), scratch)) ? Float.NaN : c.score();
            case Node.None n -> Float.NaN;
        };
    }

    /**
     * A boolean query as Lucene scores it: required clauses summed in double (a conjunction), optional ones summed in
     * double (a disjunction), the two added as floats; FILTER clauses must match and add nothing.
     */
    private float bool(Node.Bool b, Scratch scratch) {
        double required = 0;
        for (var must : b.must()) {
            float v = value(must, scratch);
            if (Float.isNaN(v)) {
                return Float.NaN;
            }
            required += v;
        }
        for (var filter : b.filter()) {
            if (Float.isNaN(value(filter, scratch))) {
                return Float.NaN;
            }
        }
        for (var mustNot : b.mustNot()) {
            if (!Float.isNaN(value(mustNot, scratch))) {
                return Float.NaN;
            }
        }
        int matched = 0;
        double optional = 0;
        for (var should : b.should()) {
            float v = value(should, scratch);
            if (!Float.isNaN(v)) {
                matched++;
                optional += v;
            }
        }
        boolean hasRequired = b.must().length + b.filter().length > 0;
        if (b.minimumShouldMatch() > 0 ? matched < b.minimumShouldMatch() : !hasRequired && matched == 0) {
            return Float.NaN;
        }
        if (!hasRequired) {
            return (float) optional;
        }
        float score = (float) required;
        return matched == 0 ? score : score + (float) optional;
    }
}
