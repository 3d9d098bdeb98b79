package dev.rankql.embed;

import dev.rankql.models.embedding.TextEmbedder;
import java.util.List;

/** Offers every {@link PretrainedModel} to the engine as a {@link TextEmbedder}, by its name. */
public final class PretrainedProvider implements TextEmbedder.Provider {

    @Override
    public List<String> names() {
        return PretrainedModel.all().stream().map(PretrainedModel::name).toList();
    }

    @Override
    public TextEmbedder open(String name) {
        return TextEncoder.open(PretrainedModel.named(name).orElseThrow(
                () -> new IllegalArgumentException("no pretrained model [" + name + "]")));
    }
}
