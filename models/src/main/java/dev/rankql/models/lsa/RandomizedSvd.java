package dev.rankql.models.lsa;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
        // B = Q^T A is l x columns. Its SVD goes through the QR of the tall B^T = Q2 R (as LAPACK does for tall
        // matrices): with R = U_r S W^T, the right singular vectors of B, and so of A, are the columns of Q2 U_r.
        // Decomposing the tall matrix directly costs twice as much, most of it spent forming its left vectors.
        decompose(columnQr, a.transposeTimes(q));
        DMatrixRMaj q2 = columnQr.getQ(null, true);
        DMatrixRMaj r = columnQr.getR(null, true);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(l, l, true, false, false);
        if (!svd.decompose(r)) {
            throw new IllegalStateException("the SVD of a " + l + " x " + l + " matrix did not converge");
        }
        double[] all = svd.getSingularValues();
        DMatrixRMaj ur = svd.getU(null, false);
        Integer[] order = new Integer[svd.numberOfSingularValues()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(all[y], all[x]));
        double[] values = new double[k];
        DMatrixRMaj leading = new DMatrixRMaj(l, k);
        for (int d = 0; d < k; d++) {
            values[d] = all[order[d]];
            for (int i = 0; i < l; i++) {
                leading.set(i, d, ur.get(i, order[d]));
            }
        }
        DMatrixRMaj right = new DMatrixRMaj(a.columns(), k);
        CommonOps_DDRM.mult(q2, leading, right);
        double[] vectors = right.data;
        int n = a.columns();
        for (int d = 0; d < k; d++) {
            int largest = d;
            for (int i = d + k; i < n * k; i += k) {
                if (Math.abs(vectors[i]) > Math.abs(vectors[largest])) {
                    largest = i;
                }
            }
            if (vectors[largest] < 0) {
                for (int i = d; i < n * k; i += k) {
                    vectors[i] = -vectors[i];
                }
            }
        }
        return new Result(values, vectors);
    }

    private static DMatrixRMaj orthonormal(QRDecomposition<DMatrixRMaj> qr, DMatrixRMaj m) {
        decompose(qr, m);
        return qr.getQ(null, true);
    }

    /**
     * Householder QR of {@code m}. EJML reports a column that is zero below the diagonal (a rank-deficient {@code m},
     * as when the corpus has fewer independent documents than sample columns) as a failure, yet completes the
     * factorisation with an identity reflector there: Q stays orthonormal and R gets a zero on its diagonal, which is
     * what the range finder and the final SVD need. Only non-finite input is refused.
     */
    private static void decompose(QRDecomposition<DMatrixRMaj> qr, DMatrixRMaj m) {
        for (double value : m.data) {
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("the QR decomposition of a " + m.numRows + " x " + m.numCols
                        + " matrix met a non-finite value");
            }
        }
        qr.decompose(m);
    }
}
