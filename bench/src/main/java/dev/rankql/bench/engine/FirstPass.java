package dev.rankql.bench.engine;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.Engine;
import dev.rankql.ast.Retriever;
import dev.rankql.engine.search.IndexView;
import dev.rankql.engine.search.PerFieldSimilarity;
import dev.rankql.engine.search.QueryCompiler;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.json.EsJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The first-pass benchmark's two sides over one committed index: rankql's {@code standard} retriever with a
 * {@code multi_match} best_fields query through {@link Engine#search}, and a raw {@link IndexSearcher} running the
 * equivalent hand-built Lucene query on a reader of the same Lucene directory.
 *
 * <p>Both return the top 10 with their {@code _id} and {@code _source}, count hits exactly up to 10,000 (Elasticsearch's
 * default {@code track_total_hits}, which rankql applies) and score with rankql's Elasticsearch BM25.
 */
public final class FirstPass implements Closeable {

    /** The hits returned per query. */
    public static final int TOP = 10;

    /** The {@code multi_match} tie breaker of the benchmark query. */
    public static final float TIE_BREAKER = 0.3f;

    private static final List<String> FIELDS = List.of("title", "content");
    private static final Set<String> STORED = Set.of("_id", "_source");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One hit as both sides report it. */
    public record Hit(String id, float score) {}

    private final Engine engine;
    private final String index;
    private final List<String> texts;
    private final SearchRequest[] requests;
    private final Query[] luceneQueries;
    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final float rawTieBreaker;
    private long sink;

    /**
     * Binds both sides to index {@code index} of {@code engine}, whose Lucene files are in {@code luceneDir}; the raw
     * side's dis_max uses {@code rawTieBreaker} (tests pass a wrong one to see the correctness gate fail).
     */
    public FirstPass(Engine engine, String index, Path luceneDir, List<String> texts, float rawTieBreaker) throws IOException {
        this.engine = engine;
        this.index = index;
        this.texts = List.copyOf(texts);
        this.rawTieBreaker = rawTieBreaker;
        this.requests = new SearchRequest[texts.size()];
        this.luceneQueries = new Query[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            requests[i] = EsJson.parseSearch(body(texts.get(i)));
            luceneQueries[i] = luceneQuery(texts.get(i));
        }
        this.directory = FSDirectory.open(luceneDir);
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new PerFieldSimilarity(1.2f, 0.75f));
    }

    /** The Elasticsearch search body a client sends for query text {@code text}. */
    public static String body(String text) {
        var multiMatch = JsonNodeFactory.instance.objectNode();
        multiMatch.put("query", text);
        var fields = multiMatch.putArray("fields");
        FIELDS.forEach(fields::add);
        multiMatch.put("type", "best_fields");
        multiMatch.put("tie_breaker", TIE_BREAKER);
        var root = JsonNodeFactory.instance.objectNode();
        root.putObject("retriever").putObject("standard").putObject("query").set("multi_match", multiMatch);
        return MAPPER.writeValueAsString(root);
    }

    /** The number of queries. */
    public int size() {
        return texts.size();
    }

    /** The number of segments of the searched index. */
    public int segments() {
        return reader.leaves().size();
    }

    /**
     * The Lucene query rankql builds for {@code text}: per field the english-analyzed terms as a term query (one term)
     * or a disjunction of term queries, fields without terms left out, and a dis_max over the fields.
     */
    public Query luceneQuery(String text) {
        var perField = new ArrayList<Query>();
        for (var field : FIELDS) {
            var terms = analyze(field, text);
            if (terms.isEmpty()) {
                continue;
            }
            if (terms.size() == 1) {
                perField.add(new TermQuery(new Term(field, terms.get(0))));
                continue;
            }
            var bool = new BooleanQuery.Builder();
            for (var term : terms) {
                bool.add(new TermQuery(new Term(field, term)), BooleanClause.Occur.SHOULD);
            }
            perField.add(bool.build());
        }
        if (perField.isEmpty()) {
            return MatchNoDocsQuery.INSTANCE;
        }
        return perField.size() == 1 ? perField.get(0) : new DisjunctionMaxQuery(perField, rawTieBreaker);
    }

    private List<BytesRef> analyze(String field, String text) {
        var terms = new ArrayList<BytesRef>();
        try (var stream = analyzer.tokenStream(field, text)) {
            var term = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(BytesRef.deepCopyOf(term.getBytesRef()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /**
     * Runs query {@code i} through rankql: compile (after the first time, a lookup in the index's compiled-query cache,
     * as the raw side builds its query once), search, fetch the hits (their sources stay unparsed until read).
     */
    public void rankql(int i) {
        var response = engine.search(index, requests[i], SearchOptions.NONE);
        sink += response.hits().size();
    }

    /** Runs query {@code i}'s prebuilt Lucene query and fetches the hits' {@code _id} and {@code _source}. */
    public void lucene(int i) throws IOException {
        search(luceneQueries[i]);
    }

    /** Like {@link #lucene(int)} with the query analyzed and built again, as a raw application would per request. */
    public void luceneWithAnalysis(int i) throws IOException {
        search(luceneQuery(texts.get(i)));
    }

    private void search(Query query) throws IOException {
        var top = searcher.search(query, new TopScoreDocCollectorManager(TOP, SearchExecutor.DEFAULT_TRACK_TOTAL_HITS));
        var stored = searcher.storedFields();
        for (var scoreDoc : top.scoreDocs) {
            var doc = stored.document(scoreDoc.doc, STORED);
            sink += doc.get("_id").length() + doc.getBinaryValue("_source").length;
        }
    }

    /** rankql's top hits of query {@code i}. */
    public List<Hit> rankqlHits(int i) {
        return engine.search(index, requests[i], SearchOptions.NONE).hits().stream()
                .map(h -> new Hit(h.id(), h.score().orElse(Float.NaN)))
                .toList();
    }

    /** The raw side's top hits of query {@code i}. */
    public List<Hit> luceneHits(int i) throws IOException {
        var top = searcher.search(luceneQueries[i], new TopScoreDocCollectorManager(TOP, SearchExecutor.DEFAULT_TRACK_TOTAL_HITS));
        var stored = searcher.storedFields();
        var hits = new ArrayList<Hit>();
        for (var scoreDoc : top.scoreDocs) {
            hits.add(new Hit(stored.document(scoreDoc.doc, STORED).get("_id"), scoreDoc.score));
        }
        return hits;
    }

    /**
     * The correctness gate: for every query rankql's compiler builds a Lucene query equal to the raw side's, and both
     * sides return the same ids in the same order with scores equal within 1e-6 relative; throws {@link
     * IllegalStateException} naming the first difference otherwise. Returns the number of hits compared.
     */
    public long verify() throws IOException {
        var metadata = engine.getIndex(index);
        var view = new IndexView(index, metadata.settings(), metadata.mappings(), metadata.mappings().flatten());
        var compiler = new QueryCompiler(view, reader);
        long compared = 0;
        for (int i = 0; i < texts.size(); i++) {
            var standard = (Retriever.Standard) requests[i].retriever().orElseThrow();
            var compiled = compiler.compile(standard.query().orElseThrow());
            if (!compiled.equals(luceneQueries[i])) {
                throw new IllegalStateException("first-pass correctness gate failed for query " + i + " [" + texts.get(i)
                        + "]: rankql compiles " + compiled + ", the raw side runs " + luceneQueries[i]);
            }
            var ours = rankqlHits(i);
            var theirs = luceneHits(i);
            if (ours.size() != theirs.size()) {
                throw mismatch(i, "rankql returned " + ours.size() + " hits, Lucene " + theirs.size(), ours, theirs);
            }
            for (int h = 0; h < ours.size(); h++) {
                var a = ours.get(h);
                var b = theirs.get(h);
                if (!a.id().equals(b.id())) {
                    throw mismatch(i, "hit " + (h + 1) + " is [" + a.id() + "] in rankql, [" + b.id() + "] in Lucene", ours, theirs);
                }
                if (Math.abs(a.score() - b.score()) > 1e-6 * Math.max(Math.abs(a.score()), Math.abs(b.score()))) {
                    throw mismatch(i, "hit " + (h + 1) + " [" + a.id() + "] scores " + a.score() + " in rankql, " + b.score()
                            + " in Lucene", ours, theirs);
                }
            }
            compared += ours.size();
        }
        return compared;
    }

    private IllegalStateException mismatch(int i, String what, List<Hit> ours, List<Hit> theirs) {
        return new IllegalStateException("first-pass correctness gate failed for query " + i + " [" + texts.get(i) + "]: "
                + what + "\n  rankql: " + ours + "\n  Lucene: " + theirs + "\n  Lucene query: " + luceneQueries[i]);
    }

    /** A value that depends on every result, so the JIT cannot drop the work. */
    public long sink() {
        return sink;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            directory.close();
        }
    }
}
