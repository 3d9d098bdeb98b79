package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import org.junit.jupiter.api.Test;

class EsErrorsTest {

    @Test
    void engineErrorsKeepTheirStatusAndBody() {
        var error = EsErrors.of(EngineException.indexNotFound("nope"));
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.body().at("/error/root_cause/0/type").asString()).isEqualTo("index_not_found_exception");
        assertThat(error.body().at("/status").asInt()).isEqualTo(404);
        assertThat(error.summary()).isEqualTo("index_not_found_exception: no such index [nope]");
    }

    @Test
    void dslErrorsAreParsingExceptionsWithLineAndColumn() {
        var e = catchThrowableOfType(DslSyntaxException.class, () -> Dsl.parseRequest("QUERY match(title,"));
        var error = EsErrors.of(e);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.body().at("/error/type").asString()).isEqualTo("parsing_exception");
        assertThat(error.body().at("/error/line").asInt()).isEqualTo(e.line());
        assertThat(error.body().at("/error/col").asInt()).isEqualTo(e.column());
        assertThat(error.body().at("/error/root_cause/0/reason").asString()).isEqualTo(e.getMessage());
    }

    @Test
    void jsonErrorsListEveryProblemWithItsPath() {
        var e = catchThrowableOfType(InvalidRequestException.class,
                () -> EsJson.parseSearch("{\"size\": \"x\", \"query\": {\"nope\": {}}}"));
        var error = EsErrors.of(e);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.body().at("/error/root_cause")).hasSize(e.diagnostics().size());
        assertThat(error.body().at("/error/type").asString()).isEqualTo(e.diagnostics().getFirst().type());
        assertThat(error.body().at("/error/path").asString()).isEqualTo(e.diagnostics().getFirst().path());
        assertThat(Json.write(error.body())).contains("\"status\":400");
    }
}
