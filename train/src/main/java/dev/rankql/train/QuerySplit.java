package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.Qrels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A query-level split into training and validation queries, drawn at random or by groups of queries that share a
 * relevant document, deterministically from a seed.
 *
 * <p>Both factories depend only on the set of query ids, the seed and the fraction, never on the order in which the
 * ids are given: the ids are first put in a canonical order (sorted, as strings), then shuffled with a
 * {@link SplittableRandom} seeded with {@code seed}, whose sequence Java specifies exactly. The lists of the result
 * keep the order of the input.
 *
 * @param train the training queries, in input order
 * @param validation the validation queries, in input order
 */
public record QuerySplit(List<String> train, List<String> validation) {

    public QuerySplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        Set<String> seen = new HashSet<>(train);
        for (String id : validation) {
            if (seen.contains(id)) {
                throw new IllegalArgumentException("query [" + id + "] is in both parts of the split");
            }
        }
    }

    /**
     * A uniformly random split: {@code round(fraction × n)} queries, at least one and at most {@code n − 1} when
     * there are two or more, go to validation.
     *
     * @throws IllegalArgumentException when {@code fraction} is not strictly between 0 and 1, an id repeats, or there
     *     are fewer than two queries
     */
    public static QuerySplit random(Collection<String> queryIds, double fraction, long seed) {
        List<String> ids = distinct(queryIds);
        checkFraction(fraction, ids.size());
        List<String> shuffled = new ArrayList<>(ids);
        shuffled.sort(null);
        shuffle(shuffled, seed);
        Set<String> validation = new HashSet<>(shuffled.subList(0, target(fraction, ids.size())));
        return partition(ids, validation);
    }

    /**
     * The split that a given list of validation queries (for example the queries of a separate validation qrels file)
     * makes of {@code queryIds}; every other query trains.
     *
     * @throws IllegalArgumentException when an id repeats, a validation query is not among {@code queryIds}, or
     *     either part would be empty
     */
    public static QuerySplit fixed(Collection<String> queryIds, Collection<String> validationIds) {
        List<String> ids = distinct(queryIds);
        Set<String> validation = new HashSet<>(distinct(validationIds));
        Set<String> known = new HashSet<>(ids);
        for (String id : validation) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("validation query [" + id + "] has no training data");
            }
        }
        if (validation.isEmpty() || validation.size() == ids.size()) {
            throw new IllegalArgumentException("a split needs training and validation queries; " + validation.size()
                    + " of the " + ids.size() + " queries validate");
        }
        return partition(ids, validation);
    }

    /**
     * A split in which queries that share a relevant document (grade ≥ {@link Qrels#RELEVANT}) are always on the same
     * side, so validation rewards generalising to unseen documents, not recognising documents seen in training.
     *
     * <p>Queries are joined into groups (connected components of the "shares a relevant document" relation, by
     * union-find); queries without judgments form groups of one. Groups are put in a canonical order (by their
     * smallest query id), shuffled with the seed, and taken one by one: a group goes to validation when that brings
     * the validation size closer to {@code round(fraction × n)}, otherwise to training. A group larger than about
     * twice the target therefore always trains. The validation part may come out empty only when no group fits, that
     * is when nearly all queries are connected; {@link #validation()} then is empty and the caller must choose.
     *
     * @throws IllegalArgumentException when {@code fraction} is not strictly between 0 and 1, an id repeats, or there
     *     are fewer than two queries
     */
    public static QuerySplit grouped(Collection<String> queryIds, Qrels qrels, double fraction, long seed) {
        requireNonNull(qrels, "qrels");
        List<String> ids = distinct(queryIds);
        checkFraction(fraction, ids.size());
        List<List<String>> groups = new ArrayList<>(groups(ids, qrels));
        shuffle(groups, seed);
        int target = target(fraction, ids.size());
        Set<String> validation = new HashSet<>();
        for (List<String> group : groups) {
            int with = validation.size() + group.size();
            if (Math.abs(with - target) < Math.abs(validation.size() - target)) {
                validation.addAll(group);
            }
        }
        return partition(ids, validation);
    }

    /**
     * The groups of queries connected through shared relevant documents, each sorted, ordered by their first id.
     */
    public static List<List<String>> groups(Collection<String> queryIds, Qrels qrels) {
        List<String> ids = distinct(queryIds);
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i), i);
        }
        int[] parent = new int[sorted.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstQueryOfDoc = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            for (Map.Entry<String, Integer> judgment : qrels.judgments(sorted.get(i)).entrySet()) {
                if (judgment.getValue() >= Qrels.RELEVANT) {
                    Integer other = firstQueryOfDoc.putIfAbsent(judgment.getKey(), i);
                    if (other != null) {
                        union(parent, i, other);
                    }
                }
            }
        }
        Map<Integer, List<String>> byRoot = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(sorted.get(i));
        }
        List<List<String>> groups = new ArrayList<>();
        for (List<String> group : byRoot.values()) {
            groups.add(List.copyOf(group));
        }
        groups.sort((a, b) -> Integer.compare(index.get(a.get(0)), index.get(b.get(0))));
        return List.copyOf(groups);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private static QuerySplit partition(List<String> ids, Set<String> validation) {
        List<String> train = new ArrayList<>();
        List<String> dev = new ArrayList<>();
        for (String id : ids) {
            (validation.contains(id) ? dev : train).add(id);
        }
        return new QuerySplit(train, dev);
    }

    private static <T> void shuffle(List<T> list, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
    }

    private static int target(double fraction, int n) {
        return (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
    }

    private static void checkFraction(double fraction, int n) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be strictly between 0 and 1, found "
                    + fraction);
        }
        if (n < 2) {
            throw new IllegalArgumentException("a split needs at least 2 queries, found " + n);
        }
    }

    private static List<String> distinct(Collection<String> queryIds) {
        requireNonNull(queryIds, "queryIds");
        Set<String> ids = new LinkedHashSet<>();
        for (String id : queryIds) {
            if (!ids.add(requireNonNull(id, "query id"))) {
                throw new IllegalArgumentException("query [" + id + "] is listed twice");
            }
        }
        return List.copyOf(ids);
    }
}
