package dev.rankql.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * Shared-postings evaluation against Lucene's own scorers: random corpora over several segments, random trees of
 * term, boolean (every occurrence, minimum_should_match), dis_max, boost and constant-score queries, and for every
 * document the same present/missing status and the same score within 1e-6 relative.
 */
class SharedTermColumnsTest {

    private static final String[] FIELDS = {"title", "body"};

    @Test
    void randomTermTreesScoreAsLuceneScorers() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            check(new Random(seed));
        }
    }

    private static void check(Random random) throws IOException {
        int vocabulary = 4 + random.nextInt(12);
        try (var directory = new ByteBuffersDirectory()) {
            var config = new IndexWriterConfig(new WhitespaceAnalyzer()).setMaxBufferedDocs(20 + random.nextInt(40));
            try (var writer = new IndexWriter(directory, config)) {
                int docs = 50 + random.nextInt(250);
                for (int d = 0; d < docs; d++) {
                    var doc = new Document();
                    for (var field : FIELDS) {
                        if (random.nextInt(10) > 0) {
                            doc.add(new TextField(field, text(random, vocabulary, 1 + random.nextInt(field.equals("title") ? 6 : 30)),
                                    Field.Store.NO));
                        }
                    }
                    writer.addDocument(doc);
                }
            }
            try (var reader = DirectoryReader.open(directory)) {
                var searcher = new IndexSearcher(reader);
                searcher.setSimilarity(new PerFieldSimilarity(1.2f, 0.75f));
                searcher.setQueryCache(null);
                int columns = 12;
                var queries = new ArrayList<Query>();
                var builder = new SharedTermColumns.Builder(searcher, new HashMap<>());
                var one = new boolean[columns];
                for (int c = 0; c < columns; c++) {
                    var query = searcher.rewrite(randomQuery(random, vocabulary, 3));
                    queries.add(query);
                    one[c] = random.nextInt(5) == 0;
                    assertThat(builder.add(c, query, one[c])).as("supported: %s", query).isTrue();
                }
                // A window of random documents in doc-id order, as the rescorer hands them over.
                int maxDoc = reader.maxDoc();
                var docs = random.ints(Math.min(maxDoc, 10 + random.nextInt(maxDoc)), 0, maxDoc).distinct().sorted().toArray();
                var built = builder.build();
                var shared = fill(built, searcher, docs, columns, null);
                // Enums kept between requests (as each pooled rescore workspace keeps them) give the same values, also
                // when another request's terms used them in between.
                var otherBuilder = new SharedTermColumns.Builder(searcher, new HashMap<>());
                for (int c = 0; c < columns; c++) {
                    otherBuilder.add(c, searcher.rewrite(randomQuery(random, vocabulary, 3)), false);
                }
                var other = otherBuilder.build();
                var reuse = new SharedTermColumns.Reuse();
                var otherFresh = fill(other, searcher, docs, columns, null);
                for (int repeat = 0; repeat < 3; repeat++) {
                    assertThat(fill(built, searcher, docs, columns, reuse)).as("reused enums, repeat %d", repeat)
                            .isEqualTo(shared);
                    assertThat(fill(other, searcher, docs, columns, reuse)).as("reused enums, other terms, repeat %d", repeat)
                            .isEqualTo(otherFresh);
                }
                assertThat(reuse.size()).isEqualTo((int) Arrays.stream(docs)
                        .map(d -> ReaderUtil.subIndex(d, reader.leaves())).distinct().count());
                for (int c = 0; c < columns; c++) {
                    var weight = searcher.createWeight(queries.get(c), ScoreMode.COMPLETE, 1f);
                    var leaves = reader.leaves();
                    for (int r = 0; r < docs.length; r++) {
                        var leaf = leaves.get(ReaderUtil.subIndex(docs[r], leaves));
                        var scorer = weight.scorer(leaf);
                        float expected = Float.NaN;
                        int target = docs[r] - leaf.docBase;
                        if (scorer != null && scorer.iterator().advance(target) == target) {
                            expected = one[c] ? 1f : scorer.score();
                        }
                        float actual = shared[r * columns + c];
                        var where = "query " + queries.get(c) + " doc " + docs[r];
                        if (Float.isNaN(expected)) {
                            assertThat(actual).as(where).isNaN();
                        } else {
                            assertThat(actual).as(where).isNotNaN();
                            assertThat((double) Math.abs(actual - expected)).as(where)
                                    .isLessThanOrEqualTo(1e-6 * Math.max(1e-3, Math.abs(expected)));
                        }
                    }
                }
            }
        }
    }

    private static float[] fill(SharedTermColumns shared, IndexSearcher searcher, int[] docs, int columns,
            SharedTermColumns.Reuse reuse) throws IOException {
        var matrix = new float[docs.length * columns];
        Arrays.fill(matrix, Float.NaN);
        shared.fill(searcher, docs, docs.length, matrix, columns, reuse);
        return matrix;
    }

    @Test
    void queriesWithOtherPartsAreLeftToLucene() throws IOException {
        try (var directory = new ByteBuffersDirectory(); var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.addDocument(new Document());
            writer.commit();
            try (var reader = DirectoryReader.open(directory)) {
                var builder = new SharedTermColumns.Builder(new IndexSearcher(reader), new HashMap<>());
                var phrase = new org.apache.lucene.search.PhraseQuery("title", "a", "b");
                var bool = new BooleanQuery.Builder().add(new TermQuery(new Term("title", "a")), BooleanClause.Occur.SHOULD)
                        .add(phrase, BooleanClause.Occur.SHOULD).build();
                assertThat(builder.add(0, phrase, false)).isFalse();
                assertThat(builder.add(1, bool, false)).isFalse();
                assertThat(builder.isEmpty()).isTrue();
            }
        }
    }

    private static String text(Random random, int vocabulary, int length) {
        var words = new ArrayList<String>();
        for (int i = 0; i < length; i++) {
            // Skewed towards the first words, so that some terms are frequent and others rare.
            words.add("w" + (int) (vocabulary * Math.pow(random.nextDouble(), 2)));
        }
        return String.join(" ", words);
    }

    private static Query randomQuery(Random random, int vocabulary, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(7);
        return switch (kind) {
            case 0, 1 -> new TermQuery(new Term(FIELDS[random.nextInt(2)], "w" + random.nextInt(vocabulary + 2)));
            case 2, 3 -> {
                var bool = new BooleanQuery.Builder();
                int clauses = 1 + random.nextInt(4);
                int should = 0;
                for (int i = 0; i < clauses; i++) {
                    var occur = List.of(BooleanClause.Occur.values()).get(random.nextInt(BooleanClause.Occur.values().length));
                    occur = random.nextInt(3) == 0 ? occur : BooleanClause.Occur.SHOULD;
                    should += occur == BooleanClause.Occur.SHOULD ? 1 : 0;
                    bool.add(randomQuery(random, vocabulary, depth - 1), occur);
                }
                if (should > 1 && random.nextBoolean()) {
                    bool.setMinimumNumberShouldMatch(1 + random.nextInt(should));
                }
                yield bool.build();
            }
            case 4 -> {
                var disjuncts = new ArrayList<Query>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    disjuncts.add(randomQuery(random, vocabulary, depth - 1));
                }
                yield new DisjunctionMaxQuery(disjuncts, random.nextBoolean() ? 0f : random.nextFloat());
            }
            case 5 -> new BoostQuery(randomQuery(random, vocabulary, depth - 1), 0.5f + 3 * random.nextFloat());
            default -> random.nextInt(8) == 0 ? new MatchNoDocsQuery()
                    : new ConstantScoreQuery(randomQuery(random, vocabulary, depth - 1));
        };
    }
}
