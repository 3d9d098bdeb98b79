package dev.rankql.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

    private static final List<String> DOCUMENTS = List.of(
            "Aspirin lowers the risk of a second heart attack in patients with coronary artery disease.",
            "The boundary layer over a flat plate becomes turbulent at high Reynolds numbers.",
            "Mutations in the BRCA1 gene raise the lifetime risk of breast and ovarian cancer.",
            "Vitamin D supplements did not reduce the rate of fractures in elderly women in a randomised trial.",
            "Supersonic flow past a wedge produces an oblique shock wave attached to its leading edge.",
            "Café au lait spots — naïve résumé of ünïcödé text, with emoji 🙂 and CJK 研究.",
            "");

    private static TextEncoder encoder;

    @BeforeAll
    static void open() {
        encoder = TextEncoder.open(PretrainedModel.BGE_SMALL_EN_V15);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void vectorsHaveTheModelsDimensionsAndUnitLength() {
        for (String text : DOCUMENTS) {
            float[] vector = encoder.embedDocument(text);
            assertThat(vector).hasSize(384);
            double squares = 0;
            for (float value : vector) {
                assertThat(Float.isFinite(value)).isTrue();
                squares += value * value;
            }
            assertThat(Math.sqrt(squares)).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void aQueryIsClosestToTheDocumentAboutItsTopic() {
        float[] query = encoder.embedQuery("does aspirin prevent heart attacks");
        float[] onTopic = encoder.embedDocument(DOCUMENTS.get(0));
        for (String other : DOCUMENTS.subList(1, DOCUMENTS.size())) {
            assertThat(dot(query, onTopic)).isGreaterThan(dot(query, encoder.embedDocument(other)) + 0.05);
        }
        // Shares no word with the document, so only the encoder can tell it is about the same thing.
        float[] paraphrase = encoder.embedQuery("acetylsalicylic acid and myocardial infarction recurrence");
        assertThat(dot(paraphrase, onTopic)).isGreaterThan(dot(paraphrase, encoder.embedDocument(DOCUMENTS.get(1))));
    }

    @Test
    void aQueryIsEncodedAfterTheModelsInstruction() {
        String text = "shock waves on wedges";
        assertThat(encoder.embedQuery(text))
                .containsExactly(encoder.embedDocument(PretrainedModel.BGE_SMALL_EN_V15.queryPrefix() + text));
        assertThat(encoder.embedQuery(text)).isNotEqualTo(encoder.embedDocument(text));
    }

    @Test
    void aTextLongerThanTheTokenLimitIsTruncatedNotSplit() {
        String head = "The wing section was tested in the wind tunnel at several angles of attack. ".repeat(60);
        float[] truncated = encoder.embedDocument(head);
        assertThat(encoder.embedDocument(head + "Nothing after the first 512 tokens is read by the encoder."))
                .containsExactly(truncated);
        assertThat(encoder.embedDocument("A short text about wind tunnels.")).isNotEqualTo(truncated);
    }

    @Test
    void aTextHasTheSameVectorOnEveryThreadAndEveryCall() throws Exception {
        List<float[]> first = new ArrayList<>();
        for (String text : DOCUMENTS) {
            first.add(encoder.embedDocument(text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> again = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (String text : DOCUMENTS.reversed()) {
                    again.add(pool.submit(() -> encoder.embedDocument(text)));
                }
            }
            for (int i = 0; i < again.size(); i++) {
                int document = DOCUMENTS.size() - 1 - i % DOCUMENTS.size();
                assertThat(again.get(i).get()).containsExactly(first.get(document));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void matchesLangChain4jsRunOfTheSameModel() {
        // LangChain4j's own wrapper of the same graph, the reference implementation (texts under 510 tokens, which
        // it does not split).
        var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        String prefix = PretrainedModel.BGE_SMALL_EN_V15.queryPrefix();
        for (String text : DOCUMENTS.subList(0, DOCUMENTS.size() - 1)) {
            assertClose(encoder.embedDocument(text), reference.embed(TextSegment.from(text)).content().vector());
            assertClose(encoder.embedQuery(text),
                    reference.embed(TextSegment.from(prefix + text)).content().vector());
        }
    }

    @Test
    void theCatalogueNamesItsModels() {
        assertThat(PretrainedModel.named("bge-small-en-v1.5")).contains(PretrainedModel.BGE_SMALL_EN_V15);
        assertThat(PretrainedModel.named("bge-small")).isEmpty();
        assertThat(PretrainedModel.all()).extracting(PretrainedModel::name).doesNotHaveDuplicates();
    }

    @Test
    void aModelWhoseResourcesAreMissingFailsToOpenWithItsName() {
        var missing = new PretrainedModel("nowhere", "no-such-graph.onnx", "no-such-tokenizer.json", 8, 512,
                Pooling.MEAN, "", "a test model");
        assertThatThrownBy(() -> TextEncoder.open(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the resource [no-such-graph.onnx] of nowhere is not on the class path");
        assertThatThrownBy(() -> new PretrainedModel("x", "g", "t", 0, 512, Pooling.CLS, "", ""))
                .hasMessage("dimensions must be at least 1, got 0");
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(dot(actual, expected)).isGreaterThan(0.99999);
        for (int d = 0; d < actual.length; d++) {
            assertThat(actual[d]).isCloseTo(expected[d], within(1e-4f));
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }
}
