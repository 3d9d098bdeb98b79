package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IndexNamesTest {

    @TempDir
    Path data;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Foo|Invalid index name [Foo], must be lowercase",
        "..|Invalid index name [..], must not be '.' or '..'",
        ".|Invalid index name [.], must not be '.' or '..'",
        "_x|Invalid index name [_x], must not start with '_', '-', or '+'",
        "-x|Invalid index name [-x], must not start with '_', '-', or '+'",
        "+x|Invalid index name [+x], must not start with '_', '-', or '+'",
        "a#b|Invalid index name [a#b], must not contain '#'",
        "a:b|Invalid index name [a:b], must not contain ':'",
    })
    void rejectsWithElasticsearchMessages(String name, String message) {
        assertThatThrownBy(() -> IndexNames.validate(name))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("invalid_index_name_exception");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void pathCharactersAreRejectedWithTheListOfForbiddenCharacters() {
        for (var name : new String[] {"../x", "/etc"}) {
            assertThatThrownBy(() -> IndexNames.validate(name)).hasMessage("Invalid index name [" + name
                    + "], must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\b", "a b", "a*", "a?", "a\"", "a<", "a>", "a|", "a,b", "", "a\u0000b", "a\u202Eb", "\u0130x",
        "\uFF21bc", "x\u200Dy"})
    void rejectsAttacksAndUnicodeTricks(String name) {
        assertThatThrownBy(() -> IndexNames.validate(name)).isInstanceOf(EngineException.class);
    }

    @Test
    void rejectsNamesLongerThan255Bytes() {
        var name = "é".repeat(128);
        assertThatThrownBy(() -> IndexNames.validate(name))
                .hasMessage("Invalid index name [" + name + "], index name is too long, (256 > 255)");
        IndexNames.validate("a".repeat(255));
    }

    @Test
    void acceptsOrdinaryNames() {
        for (var name : new String[] {"products", "my-index.v2", "a_b", "x+y", "données", "日本"}) {
            IndexNames.validate(name);
        }
    }

    @Test
    void engineNeverCreatesAFolderOutsideTheDataDirectory() throws Exception {
        var outside = data.resolve("outside");
        try (var engine = Engine.open(data.resolve("engine"))) {
            for (var name : new String[] {"../outside", outside.toString(), "..", "a/../../outside"}) {
                assertThatThrownBy(() -> engine.createIndex(name, "{}")).isInstanceOf(EngineException.class);
            }
            assertThat(engine.listIndices()).isEmpty();
        }
        assertThat(Files.exists(outside)).isFalse();
        try (var list = Files.list(data.resolve("engine"))) {
            assertThat(list.filter(Files::isDirectory).toList()).isEmpty();
        }
    }
}
