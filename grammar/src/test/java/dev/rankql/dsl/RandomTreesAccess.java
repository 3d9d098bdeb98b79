package dev.rankql.dsl;

import dev.rankql.ast.SearchRequest;
import java.util.function.Supplier;

/** Lends the DSL's random-tree generator to tests outside its package. */
public final class RandomTreesAccess {

    private RandomTreesAccess() {}

    /** Valid random requests from a seeded generator. */
    public static Supplier<SearchRequest> seeded(long seed) {
        var trees = new RandomTrees(seed);
        return trees::validRequest;
    }
}
