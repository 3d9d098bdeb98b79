package dev.rankql.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rankql.models.embedding.TextEmbedder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes texts into unit vectors with a {@link PretrainedModel}, in process; thread-safe, and each text's vector is
 * the same whichever thread encodes it and whatever else is encoded.
 */
public final class TextEncoder implements TextEmbedder, AutoCloseable {

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final PretrainedModel model;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;

    private TextEncoder(PretrainedModel model, OrtEnvironment environment, OrtSession session,
            HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
    }

    /**
     * Loads {@code model}'s graph and tokenizer from the class path.
     *
     * @throws IllegalStateException when a resource is missing or the graph cannot be loaded
     */
    public static TextEncoder open(PretrainedModel model) {
        Objects.requireNonNull(model, "model");
        byte[] graph = resource(model, model.graphResource());
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = new ByteArrayInputStream(resource(model, model.tokenizerResource()))) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "maxLength", Integer.toString(model.maxTokens()),
                    "truncation", "true",
                    "padding", "false",
                    "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer of " + model.name(), e);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread per call: callers parallelise over texts, and a single-threaded kernel sums in one order.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(graph, options);
            if (!session.getInputNames().contains(INPUT_IDS) || !session.getInputNames().contains(ATTENTION_MASK)) {
                session.close();
                tokenizer.close();
                throw new IllegalStateException("the graph of " + model.name() + " does not take [" + INPUT_IDS
                        + "] and [" + ATTENTION_MASK + "]; its inputs are " + session.getInputNames());
            }
            return new TextEncoder(model, environment, session, tokenizer);
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("cannot load the graph of " + model.name() + ": " + e.getMessage(), e);
        }
    }

    /** The model this encoder runs. */
    public PretrainedModel model() {
        return model;
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    /** The unit vector of a document's text, encoded as it is (truncated to the model's token limit). */
    @Override
    public float[] embedDocument(String text) {
        return embed(text);
    }

    /** The unit vector of a query's text, encoded after the model's {@link PretrainedModel#queryPrefix()}. */
    @Override
    public float[] embedQuery(String text) {
        return embed(model.queryPrefix() + text);
    }

    private float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        Encoding encoding;
        synchronized (tokenizer) {
            encoding = tokenizer.encode(text);
        }
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] types = encoding.getTypeIds();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, new long[][] {ids}));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, new long[][] {mask}));
            if (takesTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, new long[][] {types}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] states = ((float[][][]) result.get(0).getValue())[0];
                return normalise(pool(states, mask));
            }
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + " failed on a text of " + ids.length + " tokens: "
                    + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private double[] pool(float[][] states, long[] mask) {
        int dimensions = states[0].length;
        if (dimensions != model.dimensions()) {
            throw new IllegalStateException(model.name() + " produced " + dimensions + " dimensions, not "
                    + model.dimensions());
        }
        double[] pooled = new double[dimensions];
        switch (model.pooling()) {
            case CLS -> {
                for (int d = 0; d < dimensions; d++) {
                    pooled[d] = states[0][d];
                }
            }
            case MEAN -> {
                int tokens = 0;
                for (int t = 0; t < states.length; t++) {
                    if (mask[t] == 0) {
                        continue;
                    }
                    tokens++;
                    for (int d = 0; d < dimensions; d++) {
                        pooled[d] += states[t][d];
                    }
                }
                for (int d = 0; d < dimensions; d++) {
                    pooled[d] /= tokens;
                }
            }
        }
        return pooled;
    }

    private float[] normalise(double[] vector) {
        double squares = 0;
        for (double value : vector) {
            squares += value * value;
        }
        double norm = Math.sqrt(squares);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalStateException(model.name() + " produced a vector of norm " + norm);
        }
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = (float) (vector[d] / norm);
        }
        return unit;
    }

    private static byte[] resource(PretrainedModel model, String name) {
        try (InputStream in = TextEncoder.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource [" + name + "] of " + model.name()
                        + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource [" + name + "] of " + model.name(), e);
        }
    }

    /** Releases the graph and the tokenizer; the encoder cannot be used afterwards. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the graph of " + model.name() + ": " + e.getMessage(), e);
        } finally {
            tokenizer.close();
        }
    }
}
