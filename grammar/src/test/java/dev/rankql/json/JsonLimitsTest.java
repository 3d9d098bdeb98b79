package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each of Jackson's stream limits that rankql sets, at its boundary and one past it, in a search body. */
class JsonLimitsTest {

    private static String termQuery(String field, String valueJson) {
        return "{\"query\": {\"term\": {\"" + field + "\": " + valueJson + "}}}";
    }

    private static void assertValid(String body) {
        var result = EsJson.readSearch(body);
        assertThat(result.isValid()).as("%s", result.isInvalid() ? result.getError() : "").isTrue();
    }

    private static String onlyMessage(String body) {
        var result = EsJson.readSearch(body);
        assertThat(result.isInvalid()).as("invalid: %s", body.length() > 200 ? body.substring(0, 200) : body).isTrue();
        assertThat(result.getError()).hasSize(1);
        var diagnostic = result.getError().head();
        assertThat(diagnostic.type()).isEqualTo(Diagnostic.X_CONTENT_PARSE_EXCEPTION);
        return diagnostic.message();
    }

    @Test
    void stringsUpToTheLimitAreReadAndOneCharacterMoreIsAPositionedError() {
        String fits = "x".repeat(JsonLimits.MAX_STRING_LENGTH);
        assertValid(termQuery("tag", "\"" + fits + "\""));
        assertThat(onlyMessage(termQuery("tag", "\"" + fits + "x\"")))
                .startsWith("invalid JSON at line 1, column ")
                .contains("String value length (" + (JsonLimits.MAX_STRING_LENGTH + 1) + ") exceeds the maximum allowed ("
                        + JsonLimits.MAX_STRING_LENGTH);
    }

    @Test
    void numbersUpToTheLimitAreReadAndOneDigitMoreIsAPositionedError() {
        // A decimal, since a whole number of a thousand digits is out of range anyway; its point is not counted.
        String fits = "0." + "0".repeat(JsonLimits.MAX_NUMBER_LENGTH - 2) + "1";
        assertValid("{\"ext\": {\"n\": " + fits + "}}");
        assertThat(onlyMessage("{\"ext\": {\"n\": " + fits + "1}}"))
                .startsWith("invalid JSON at line 1, column ")
                .contains("Number value length (" + (JsonLimits.MAX_NUMBER_LENGTH + 1) + ") exceeds the maximum allowed ("
                        + JsonLimits.MAX_NUMBER_LENGTH);
    }

    @Test
    void aDecimalWhoseExponentNoBigDecimalHoldsIsAPositionedError() {
        // Found by fuzzing: Jackson reports it with a bare NumberFormatException, not a JacksonException.
        assertValid("{\"query\": {\"match\": {\"f\": {\"query\": \"x\", \"boost\": 1e-2147483647}}}}");
        assertThat(onlyMessage("{\"query\": {\"match\": {\"f\": {\"query\": \"x\",\n  \"boost\": 1e-2147483648}}}}"))
                .isEqualTo("invalid JSON at line 2, column 12: the number 1e-2147483648 has an exponent out of range");
        assertThat(onlyMessage("{\"size\": 11111e1000000" + "1".repeat(60) + "}"))
                .isEqualTo("invalid JSON at line 1, column 10: the number 11111e10000001111111...111111111111111 has an"
                        + " exponent out of range");
    }

    @Test
    void namesUpToTheLimitAreReadAndOneCharacterMoreIsAPositionedError() {
        String fits = "f".repeat(JsonLimits.MAX_NAME_LENGTH);
        assertValid(termQuery(fits, "\"x\""));
        assertThat(onlyMessage(termQuery(fits + "f", "\"x\"")))
                .startsWith("invalid JSON at line 1, column ")
                .contains("Name length (" + (JsonLimits.MAX_NAME_LENGTH + 1) + ") exceeds the maximum allowed ("
                        + JsonLimits.MAX_NAME_LENGTH);
    }

    @Test
    void theDefaultsAreDocumentedValues() {
        assertThat(JsonLimits.MAX_STRING_LENGTH).isEqualTo(20_000_000);
        assertThat(JsonLimits.MAX_NUMBER_LENGTH).isEqualTo(1_000);
        assertThat(JsonLimits.MAX_NAME_LENGTH).isEqualTo(50_000);
        assertThat(JsonLimits.MAX_NESTING_DEPTH).isEqualTo(1_000);
    }

    @Test
    void aBadSettingNamesItsProperty() {
        System.setProperty("rankql.test.limit", "-3");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonLimits.property("rankql.test.limit", 5))
                    .hasMessage("system property [rankql.test.limit] must be a positive integer, got [-3]");
        } finally {
            System.clearProperty("rankql.test.limit");
        }
        assertThat(JsonLimits.property("rankql.test.limit", 5)).isEqualTo(5);
    }
}
