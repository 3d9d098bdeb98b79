package dev.rankql.bench.engine;

import dev.rankql.engine.search.PerFieldSimilarity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.NumericUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest peer: a hand-written {@link IndexWriter} loop that builds, from each JSON line parsed once with Jackson,
 * the Lucene document rankql builds for the benchmark mapping, and commits once per batch file as rankql commits
 * once per ingest request.
 *
 * <p>The document has what rankql's has: {@code title} and {@code content} as english-analyzed text, {@code price}
 * as a double point plus sorted-numeric doc values, {@code popularity} likewise as a long, one
 * {@code _field_names} term per field, a stored {@code _id} term with an Elasticsearch-shaped generated id, the line's
 * bytes as stored {@code _source}, and {@code _version}/{@code _seq_no} doc values. The writer has rankql's
 * configuration: Elasticsearch's BM25 norms, {@link LogByteSizeMergePolicy}, default RAM buffer and merge scheduler.
 */
public final class LuceneIngest implements Closeable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String[] MAPPED = {"title", "content", "price", "popularity"};

    private final IdGenerator ids = new IdGenerator();
    private final FSDirectory directory;
    private final IndexWriter writer;
    private long seqNo;

    /** Creates an empty index at {@code luceneDir} and commits it, as rankql's create-index does. */
    public LuceneIngest(Path luceneDir) throws IOException {
        var english = new EnglishAnalyzer();
        var analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(), Map.of("title", english, "content", english));
        var config = new IndexWriterConfig(analyzer);
        config.setSimilarity(new PerFieldSimilarity(1.2f, 0.75f));
        config.setMergePolicy(new LogByteSizeMergePolicy());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        config.setCommitOnClose(false);
        directory = FSDirectory.open(luceneDir);
        writer = new IndexWriter(directory, config);
        writer.commit();
    }

    /** Indexes every batch file, committing after each; returns the number of documents written. */
    public long ingest(List<Path> batches) throws IOException {
        long count = 0;
        for (var batch : batches) {
            try (var reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        writer.addDocument(document(line.getBytes(StandardCharsets.UTF_8)));
                        count++;
                    }
                }
            }
            writer.setLiveCommitData(Map.of("rankql.max_seq_no", Long.toString(seqNo - 1)).entrySet());
            writer.commit();
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    private Document document(byte[] source) {
        JsonNode node = MAPPER.readTree(source);
        var doc = new Document();
        doc.add(new TextField("title", node.get("title").asString(), Field.Store.NO));
        doc.add(new TextField("content", node.get("content").asString(), Field.Store.NO));
        double price = node.get("price").asDouble();
        doc.add(new DoublePoint("price", price));
        doc.add(new SortedNumericDocValuesField("price", NumericUtils.doubleToSortableLong(price)));
        long popularity = node.get("popularity").asLong();
        doc.add(new LongPoint("popularity", popularity));
        doc.add(new SortedNumericDocValuesField("popularity", popularity));
        for (var field : MAPPED) {
            doc.add(new StringField("_field_names", field, Field.Store.NO));
        }
        doc.add(new StringField("_id", ids.next(), Field.Store.YES));
        doc.add(new StoredField("_source", source));
        doc.add(new NumericDocValuesField("_version", 1));
        doc.add(new NumericDocValuesField("_seq_no", seqNo++));
        return doc;
    }

    /** Ids of Elasticsearch's shape (sequence, time, node; base64url), so the {@code _id} terms look alike. */
    private static final class IdGenerator {
        private final byte[] node = new byte[6];
        private int sequence;

        IdGenerator() {
            var random = new SecureRandom();
            random.nextBytes(node);
            sequence = random.nextInt() & 0xFFFFFF;
        }

        String next() {
            sequence = (sequence + 1) & 0xFFFFFF;
            long timestamp = System.currentTimeMillis();
            var bytes = new byte[15];
            bytes[0] = (byte) sequence;
            bytes[1] = (byte) (sequence >>> 16);
            for (int i = 0; i < 6; i++) {
                bytes[2 + i] = (byte) (timestamp >>> (8 * (5 - i)));
            }
            System.arraycopy(node, 0, bytes, 8, 6);
            bytes[14] = (byte) (sequence >>> 8);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
