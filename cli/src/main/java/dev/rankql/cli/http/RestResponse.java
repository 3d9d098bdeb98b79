package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What an endpoint answers: a status and a JSON body, a text body or no body, with extra headers. */
sealed interface RestResponse {

    /** The HTTP status. */
    int status();

    /** Headers besides the ones every response carries. */
    Map<String, String> headers();

    /** A JSON body, written compact or, with {@code ?pretty}, indented. */
    record Json(int status, JsonNode body, Map<String, String> headers) implements RestResponse {
        public Json {
            requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }

        Json(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /** A plain-text body, such as a DSL translation. */
    record Text(int status, String body) implements RestResponse {
        public Text {
            requireNonNull(body, "body");
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    /** No body at all, as for {@code HEAD} or Elasticsearch's 413. */
    record Empty(int status, Map<String, String> headers) implements RestResponse {
        public Empty {
            headers = Map.copyOf(headers);
        }

        Empty(int status) {
            this(status, Map.of());
        }
    }
}
