package dev.rankql.ast;

import static dev.rankql.ast.Checks.nonNegative;
import static dev.rankql.ast.Checks.notBlank;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An Elasticsearch query: the subset of the query DSL that rankql executes.
 *
 * <p>Every query has the optional {@code boost} and {@code _name} that Elasticsearch gives it; {@code name} here is
 * the {@code _name} of the JSON form.
 */
public sealed interface Query {

    /** Where the query was written. */
    Span span();

    /** The {@code boost}, if given. */
    Optional<Float> boost();

    /** The {@code _name}, if given. */
    Optional<String> name();

    /** An analyzed full-text query on one field. */
    record Match(
            Span span,
            String field,
            Value query,
            Optional<Operator> operator,
            Optional<String> minimumShouldMatch,
            Optional<String> fuzziness,
            Optional<String> analyzer,
            Optional<ZeroTermsQuery> zeroTermsQuery,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Match {
            requireNonNull(span, "span");
            notBlank(field, "field");
            Checks.scalar(query, "query");
            requireNonNull(operator, "operator");
            requireNonNull(minimumShouldMatch, "minimumShouldMatch");
            requireNonNull(fuzziness, "fuzziness");
            requireNonNull(analyzer, "analyzer");
            requireNonNull(zeroTermsQuery, "zeroTermsQuery");
            Checks.common(boost, name);
        }
    }

    /** An analyzed full-text query over several fields, combined as {@link MultiMatchType} says. */
    record MultiMatch(
            Span span,
            Value query,
            List<FieldRef> fields,
            Optional<MultiMatchType> type,
            Optional<Float> tieBreaker,
            Optional<Operator> operator,
            Optional<String> minimumShouldMatch,
            Optional<String> fuzziness,
            Optional<String> analyzer,
            Optional<Integer> slop,
            Optional<ZeroTermsQuery> zeroTermsQuery,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public MultiMatch {
            requireNonNull(span, "span");
            Checks.scalar(query, "query");
            fields = List.copyOf(fields);
            requireNonNull(type, "type");
            Checks.finite(tieBreaker, "tie_breaker");
            requireNonNull(operator, "operator");
            requireNonNull(minimumShouldMatch, "minimumShouldMatch");
            requireNonNull(fuzziness, "fuzziness");
            requireNonNull(analyzer, "analyzer");
            nonNegative(slop, "slop");
            requireNonNull(zeroTermsQuery, "zeroTermsQuery");
            Checks.common(boost, name);
            var kind = type.orElse(MultiMatchType.BEST_FIELDS);
            if (fuzziness.isPresent() && (kind == MultiMatchType.CROSS_FIELDS || kind == MultiMatchType.PHRASE
                    || kind == MultiMatchType.PHRASE_PREFIX)) {
                throw new IllegalArgumentException("Fuzziness not allowed for type [" + kind.keyword() + "]");
            }
            if (slop.isPresent() && slop.get() != 0 && kind == MultiMatchType.BOOL_PREFIX) {
                throw new IllegalArgumentException("[slop] not allowed for type [bool_prefix]");
            }
        }
    }

    /** A phrase query on one field, with an optional {@code slop}. */
    record MatchPhrase(
            Span span,
            String field,
            String query,
            Optional<Integer> slop,
            Optional<String> analyzer,
            Optional<ZeroTermsQuery> zeroTermsQuery,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public MatchPhrase {
            requireNonNull(span, "span");
            notBlank(field, "field");
            requireNonNull(query, "query");
            nonNegative(slop, "slop");
            requireNonNull(analyzer, "analyzer");
            requireNonNull(zeroTermsQuery, "zeroTermsQuery");
            Checks.common(boost, name);
        }
    }

    /** A phrase query whose last term is a prefix. */
    record MatchPhrasePrefix(
            Span span,
            String field,
            String query,
            Optional<Integer> slop,
            Optional<Integer> maxExpansions,
            Optional<String> analyzer,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public MatchPhrasePrefix {
            requireNonNull(span, "span");
            notBlank(field, "field");
            requireNonNull(query, "query");
            nonNegative(slop, "slop");
            nonNegative(maxExpansions, "maxExpansions");
            requireNonNull(analyzer, "analyzer");
            Checks.common(boost, name);
        }
    }

    /** An exact, unanalyzed term. */
    record Term(
            Span span,
            String field,
            Value value,
            Optional<Boolean> caseInsensitive,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Term {
            requireNonNull(span, "span");
            notBlank(field, "field");
            Checks.scalar(value, "value");
            requireNonNull(caseInsensitive, "caseInsensitive");
            Checks.common(boost, name);
        }
    }

    /** Any of several exact terms. */
    record Terms(Span span, String field, List<Value> values, Optional<Float> boost, Optional<String> name)
            implements Query {
        public Terms {
            requireNonNull(span, "span");
            notBlank(field, "field");
            values = List.copyOf(values);
            values.forEach(v -> Checks.scalar(v, "values"));
            Checks.common(boost, name);
        }
    }

    /** Values between bounds, on numeric, date or keyword fields. */
    record Range(
            Span span,
            String field,
            Optional<Value> gt,
            Optional<Value> gte,
            Optional<Value> lt,
            Optional<Value> lte,
            Optional<String> format,
            Optional<String> timeZone,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Range {
            requireNonNull(span, "span");
            notBlank(field, "field");
            gt.ifPresent(v -> Checks.scalar(v, "gt"));
            gte.ifPresent(v -> Checks.scalar(v, "gte"));
            lt.ifPresent(v -> Checks.scalar(v, "lt"));
            lte.ifPresent(v -> Checks.scalar(v, "lte"));
            requireNonNull(format, "format");
            requireNonNull(timeZone, "timeZone");
            Checks.common(boost, name);
        }
    }

    /** A boolean combination of clauses. */
    record Bool(
            Span span,
            List<Query> must,
            List<Query> should,
            List<Query> filter,
            List<Query> mustNot,
            Optional<String> minimumShouldMatch,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Bool {
            requireNonNull(span, "span");
            must = List.copyOf(must);
            should = List.copyOf(should);
            filter = List.copyOf(filter);
            mustNot = List.copyOf(mustNot);
            requireNonNull(minimumShouldMatch, "minimumShouldMatch");
            Checks.common(boost, name);
        }
    }

    /** Documents that have a value for the field. */
    record Exists(Span span, String field, Optional<Float> boost, Optional<String> name) implements Query {
        public Exists {
            requireNonNull(span, "span");
            notBlank(field, "field");
            Checks.common(boost, name);
        }
    }

    /** Documents with the given {@code _id}s. */
    record Ids(Span span, List<String> values, Optional<Float> boost, Optional<String> name) implements Query {
        public Ids {
            requireNonNull(span, "span");
            values = List.copyOf(values);
            Checks.common(boost, name);
        }
    }

    /** Every document, scored 1 (times the boost). */
    record MatchAll(Span span, Optional<Float> boost, Optional<String> name) implements Query {
        public MatchAll {
            requireNonNull(span, "span");
            Checks.common(boost, name);
        }
    }

    /** No document. */
    record MatchNone(Span span, Optional<Float> boost, Optional<String> name) implements Query {
        public MatchNone {
            requireNonNull(span, "span");
            Checks.common(boost, name);
        }
    }

    /** A filter whose matches all score the boost. */
    record ConstantScore(Span span, Query filter, Optional<Float> boost, Optional<String> name) implements Query {
        public ConstantScore {
            requireNonNull(span, "span");
            requireNonNull(filter, "filter");
            Checks.common(boost, name);
        }
    }

    /** The best of several queries plus {@code tie_breaker} times the others. */
    record DisMax(
            Span span, List<Query> queries, Optional<Float> tieBreaker, Optional<Float> boost, Optional<String> name)
            implements Query {
        public DisMax {
            requireNonNull(span, "span");
            queries = List.copyOf(queries);
            if (queries.isEmpty()) {
                throw new IllegalArgumentException("[dis_max] requires 'queries' field with at least one clause");
            }
            Checks.finite(tieBreaker, "tie_breaker");
            Checks.common(boost, name);
        }
    }

    /** Terms that start with a prefix. */
    record Prefix(
            Span span,
            String field,
            String value,
            Optional<Boolean> caseInsensitive,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Prefix {
            requireNonNull(span, "span");
            notBlank(field, "field");
            requireNonNull(value, "value");
            requireNonNull(caseInsensitive, "caseInsensitive");
            Checks.common(boost, name);
        }
    }

    /** Terms that match a pattern with {@code *} and {@code ?}. */
    record Wildcard(
            Span span,
            String field,
            String value,
            Optional<Boolean> caseInsensitive,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Wildcard {
            requireNonNull(span, "span");
            notBlank(field, "field");
            requireNonNull(value, "value");
            requireNonNull(caseInsensitive, "caseInsensitive");
            Checks.common(boost, name);
        }
    }

    /** Terms within an edit distance of a value. */
    record Fuzzy(
            Span span,
            String field,
            Value value,
            Optional<String> fuzziness,
            Optional<Integer> prefixLength,
            Optional<Integer> maxExpansions,
            Optional<Boolean> transpositions,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public Fuzzy {
            requireNonNull(span, "span");
            notBlank(field, "field");
            Checks.scalar(value, "value");
            requireNonNull(fuzziness, "fuzziness");
            nonNegative(prefixLength, "prefixLength");
            nonNegative(maxExpansions, "maxExpansions");
            requireNonNull(transpositions, "transpositions");
            Checks.common(boost, name);
        }
    }

    /** A score from a {@code rank_feature} or {@code rank_features} field through a saturating function. */
    record RankFeature(
            Span span,
            String field,
            Optional<RankFeatureFunction> function,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public RankFeature {
            requireNonNull(span, "span");
            notBlank(field, "field");
            requireNonNull(function, "function");
            Checks.common(boost, name);
        }
    }

    /** A query whose matches are scored by a script. */
    record ScriptScore(
            Span span,
            Query query,
            Script script,
            Optional<Float> minScore,
            Optional<Float> boost,
            Optional<String> name)
            implements Query {
        public ScriptScore {
            requireNonNull(span, "span");
            requireNonNull(query, "query");
            requireNonNull(script, "script");
            Checks.finite(minScore, "min_score");
            Checks.common(boost, name);
        }
    }
}
