package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One {@code inner_hits} section of a {@code collapse}: the top documents of each collapsed group, ranked by
 * {@code sort} (by score when empty), paged by {@code from}/{@code size} (Elasticsearch's defaults 0 and 3), and
 * optionally collapsed once more on a second field.
 *
 * <p>{@code name} keys the section in each hit's {@code inner_hits}; Elasticsearch uses the collapse field when it
 * is not given. {@code fields} names the fields returned under each inner hit's {@code fields}; {@code version} and
 * {@code seqNoPrimaryTerm} add {@code _version} and {@code _seq_no}/{@code _primary_term} to each inner hit;
 * {@code docvalueFields} adds values read from doc values under each inner hit's {@code fields}.
 */
public record InnerHits(
        Span span,
        Optional<String> name,
        Optional<Integer> from,
        Optional<Integer> size,
        List<SortField> sort,
        Optional<Collapse> collapse,
        Optional<SourceFilter> source,
        List<String> fields,
        boolean version,
        boolean seqNoPrimaryTerm,
        boolean trackScores,
        List<FieldAndFormat> docvalueFields) {

    /** Elasticsearch's default number of inner hits per group. */
    public static final int DEFAULT_SIZE = 3;

    public InnerHits {
        requireNonNull(span, "span");
        requireNonNull(name, "name");
        name.ifPresent(n -> Checks.notBlank(n, "inner_hits name"));
        Checks.nonNegative(from, "from");
        Checks.nonNegative(size, "size");
        sort = List.copyOf(sort);
        requireNonNull(collapse, "collapse");
        collapse.ifPresent(c -> {
            if (!c.innerHits().isEmpty()) {
                throw new IllegalArgumentException("inner_hits' collapse [" + c.field() + "] cannot have inner_hits of its own");
            }
        });
        requireNonNull(source, "source");
        fields = List.copyOf(fields);
        fields.forEach(f -> Checks.notBlank(f, "fields"));
        docvalueFields = List.copyOf(docvalueFields);
    }

    /** Inner hits with every option at its default. */
    public static InnerHits defaults() {
        return new InnerHits(Span.NONE, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), List.of(), false, false, false, List.of());
    }
}
