package dev.rankql.bench.suite;

import dev.rankql.bench.models.ObjectWalker;
import dev.rankql.models.Model;
import dev.rankql.models.TreeEnsemble;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.lucene.search.ScoreDoc;

/**
 * The suite's correctness gate, run before anything is timed (and by the tests on a small corpus): every optimized
 * path returns the scores of the straightforward path and of the reference library on the same inputs, within
 * {@value #RELATIVE} relative (with the same value as an absolute floor for scores near zero, where float sums in
 * another order differ by a few ulps of the terms rather than of the total).
 */
public final class Gate {

    /** The largest relative difference accepted. */
    public static final double RELATIVE = 1e-6;

    private Gate() {}

    /** Whether {@code a} and {@code b} agree within the gate's tolerance. */
    public static boolean close(double a, double b) {
        return Math.abs(a - b) <= RELATIVE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /**
     * The model stage on one window's feature rows: rankql's model as deployed (block walk), its scalar walk, the
     * object-node walker and xgboost4j agree on every row. Returns the number of rows compared.
     */
    static int trees(TreeEnsemble ours, ObjectWalker walker, NativePeers.Xgboost xgboost, float[] rows, int n, String where)
            throws XGBoostError {
        var block = new double[n];
        ours.score(rows, 0, n, block, 0);
        var scalar = new double[n];
        ours.scalarOnly().score(rows, 0, n, scalar, 0);
        var walked = new double[n];
        walker.score(rows, n, walked);
        var reference = xgboost.predict(rows, n);
        for (int r = 0; r < n; r++) {
            if (!close(block[r], scalar[r]) || !close(walked[r], scalar[r]) || !close(reference[r][0], scalar[r])) {
                throw new IllegalStateException("model correctness gate failed at " + where + ", row " + r + ": block walk "
                        + block[r] + ", scalar walk " + scalar[r] + ", object walker " + walked[r] + ", xgboost4j "
                        + reference[r][0]);
            }
        }
        return n;
    }

    /** rankql's reading of a LightGBM model and lightgbmlib agree on every row; returns the number compared. */
    static int lightgbm(Model ours, NativePeers.LightGbm lightgbm, float[] rows, int n, String where) {
        var scores = new double[n];
        ours.score(rows, 0, n, scores, 0);
        var copy = NativePeers.LightGbm.copy(rows);
        try {
            lightgbm.predict(copy, n);
        } finally {
            NativePeers.LightGbm.free(copy);
        }
        for (int r = 0; r < n; r++) {
            if (!close(scores[r], lightgbm.score(r))) {
                throw new IllegalStateException("lightgbm correctness gate failed at " + where + ", row " + r + ": rankql "
                        + scores[r] + ", lightgbmlib " + lightgbm.score(r));
            }
        }
        return n;
    }

    /**
     * Two rescored windows: the same documents with the same scores, in the same order except where scores tie within
     * the tolerance. Throws {@link IllegalStateException} naming the first difference.
     */
    public static void rescore(ScoreDoc[] ours, ScoreDoc[] theirs, String where) {
        dev.rankql.bench.rescore.RescoreBench.compare(ours, theirs, where, Gate::close);
    }
}
