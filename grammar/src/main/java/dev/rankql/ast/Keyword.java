package dev.rankql.ast;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An enumerated option whose spelling in JSON and in the DSL is {@link #keyword()}. */
public interface Keyword {

    /** The lower-case spelling, as Elasticsearch writes it. */
    String keyword();

    /** Finds the constant spelled {@code text}, ignoring case as Elasticsearch does. */
    static <E extends Enum<E> & Keyword> Optional<E> lookup(Class<E> type, String text) {
        var wanted = text.toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.keyword().equals(wanted)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings of {@code type}, for error messages: {@code [and, or]}. */
    static <E extends Enum<E> & Keyword> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Keyword::keyword).collect(Collectors.joining(", ", "[", "]"));
    }
}
