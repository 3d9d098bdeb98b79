package dev.rankql.models.lsa;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** The leading singular values and right singular vectors of a sparse matrix by a randomized range finder. */
final class RandomizedSvd {

    /** Extra sample columns beyond the rank asked for, which make the captured range accurate (Halko et al. §4.2). */
    static final int OVERSAMPLING = 10;

    /** Power iterations, which sharpen a slowly decaying spectrum such as a term-document matrix's (§4.5). */
    static final int POWER_ITERATIONS = 4;

    /**
     * The result: {@code values} descending, and {@code vectors} the matching right singular vectors as the columns of
     * a row-major {@code columns x k} array, each signed so that its largest-magnitude component is positive.
     */
    record Result(double[] values, double[] vectors) {}

    private RandomizedSvd() {}

    /** The rank-{@code k} truncated SVD of {@code a}; requires {@code 1 <= k < min(rows, columns)}. */
    static Result compute(SparseRows a, int k, long seed) {
        int l = Math.min(k + OVERSAMPLING, Math.min(a.rows(), a.columns()));
        DMatrixRMaj omega = new DMatrixRMaj(a.columns(), l);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < omega.data.length; i++) {
            omega.data[i] = random.nextGaussian();
        }
        // Orthonormalising after every product keeps the small singular directions from drowning in rounding (§4.5).
        QRDecomposition<DMatrixRMaj> rowQr = DecompositionFactory_DDRM.qr(a.rows(), l);
        QRDecomposition<DMatrixRMaj> columnQr = DecompositionFactory_DDRM.qr(a.columns(), l);
        DMatrixRMaj q = orthonormal(rowQr, a.times(omega));
        for (int i = 0; i < POWER_ITERATIONS; i++) {
            DMatrixRMaj z = orthonormal(columnQr, a.transposeTimes(q));
            q = orthonormal(rowQr, a.times(z));
        }
        // B = Q^T A is l x columns; its transpose is tall, and B's right singular vectors are the left ones of B^T.
        DMatrixRMaj bt = a.transposeTimes(q);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(bt.numRows, l, true, false, true);
        if (!svd.decompose(bt)) {
            throw new IllegalStateException("the SVD of the projected " + l + " x " + a.columns() + " matrix did not converge");
        }
        double[] all = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false);
        Integer[] order = new Integer[svd.numberOfSingularValues()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(all[y], all[x]));
        int n = a.columns();
        double[] values = new double[k];
        double[] vectors = new double[n * k];
        for (int d = 0; d < k; d++) {
            int source = order[d];
            values[d] = all[source];
            int largest = 0;
            for (int t = 1; t < n; t++) {
                if (Math.abs(u.get(t, source)) > Math.abs(u.get(largest, source))) {
                    largest = t;
                }
            }
            double sign = u.get(largest, source) < 0 ? -1 : 1;
            for (int t = 0; t < n; t++) {
                vectors[t * k + d] = sign * u.get(t, source);
            }
        }
        return new Result(values, vectors);
    }

    private static DMatrixRMaj orthonormal(QRDecomposition<DMatrixRMaj> qr, DMatrixRMaj m) {
        if (!qr.decompose(m)) {
            throw new IllegalStateException("the QR decomposition of a " + m.numRows + " x " + m.numCols + " matrix failed");
        }
        return qr.getQ(null, true);
    }
}
