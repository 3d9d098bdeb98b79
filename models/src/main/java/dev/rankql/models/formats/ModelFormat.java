package dev.rankql.models.formats;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A model file format that rankql reads, with its {@code --format} name. */
public enum ModelFormat {
    /** Elasticsearch trained-model definitions ({@code tree} and {@code ensemble}). */
    ES(EsFormat.NAME, "Elasticsearch trained model: tree or ensemble, whole PUT body or its definition"),
    /** XGBoost's native JSON model. */
    XGBOOST(XgboostFormat.NAME, "XGBoost native JSON model (save_model), also inside the o19s/OpenSearch raw wrapper"),
    /** XGBoost's native JSON model scored as the o19s/OpenSearch LTR plugin scores it. */
    XGBOOST_OPENSEARCH(XgboostFormat.OPENSEARCH_NAME, "XGBoost native JSON scored as the o19s/OpenSearch plugin does"
            + " (model/xgboost+json+raw): base_score ignored, leaves from base_weights"),
    /** XGBoost's JSON tree dump. */
    XGBOOST_DUMP(XgboostDumpFormat.NAME, "XGBoost JSON dump (dump_model), bare array or o19s {objective, splits}"),
    /** LightGBM's text model file. */
    LIGHTGBM(LightGbmFormat.NAME, "LightGBM text model file (save_model)"),
    /** LightGBM's JSON dump. */
    LIGHTGBM_JSON(LightGbmJsonFormat.NAME, "LightGBM JSON dump (dump_model)"),
    /** RankLib model files. */
    RANKLIB(RankLibFormat.NAME, "RankLib model file: MART/LambdaMART ensembles, Coordinate Ascent, Linear Regression"),
    /** Solr LTR models. */
    SOLR(SolrFormat.NAME, "Solr LTR model: LinearModel, MultipleAdditiveTreesModel, NeuralNetworkModel; normalizers"),
    /** The o19s/OpenSearch linear model. */
    LINEAR(LinearFormat.NAME, "o19s/OpenSearch model/linear: feature name to weight");

    private final String formatName;
    private final String description;

    ModelFormat(String formatName, String description) {
        this.formatName = formatName;
        this.description = description;
    }

    /** The name used on the command line ({@code --format}). */
    public String formatName() {
        return formatName;
    }

    /** One line saying what the format is. */
    public String description() {
        return description;
    }

    /** The format with the given {@code --format} name. */
    public static Optional<ModelFormat> byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.formatName.equals(key)).findFirst();
    }

    /** Reads a model in this format from the text of its file. */
    public Model read(String text, LoadOptions options) {
        return switch (this) {
            case ES -> EsFormat.read(Json.parse(text), options);
            case XGBOOST -> XgboostFormat.read(Json.parseTrees(text), options);
            case XGBOOST_OPENSEARCH -> XgboostFormat.readOpenSearch(Json.parseTrees(text, true), options);
            case XGBOOST_DUMP -> XgboostDumpFormat.read(Json.parse(text), options);
            case LIGHTGBM -> LightGbmFormat.read(text, options);
            case LIGHTGBM_JSON -> LightGbmJsonFormat.read(Json.parse(text), options);
            case RANKLIB -> RankLibFormat.read(text, options);
            case SOLR -> SolrFormat.read(Json.parse(text), options);
            case LINEAR -> LinearFormat.read(Json.parse(text), options);
        };
    }
}
