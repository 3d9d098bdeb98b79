package dev.rankql.models.lsa;

import org.ejml.data.DMatrixRMaj;

/** A sparse matrix in compressed sparse row form, with the two dense products the range finder needs. */
final class SparseRows {

    private final int rows;
    private final int columns;
    private final int[] rowStart;
    private final int[] column;
    private final double[] value;

    /** Row {@code r} holds the entries {@code rowStart[r]} (inclusive) to {@code rowStart[r + 1]} (exclusive). */
    SparseRows(int rows, int columns, int[] rowStart, int[] column, double[] value) {
        this.rows = rows;
        this.columns = columns;
        this.rowStart = rowStart;
        this.column = column;
        this.value = value;
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    /** This matrix times the dense {@code columns x l} matrix {@code x}, as a new {@code rows x l} matrix. */
    DMatrixRMaj times(DMatrixRMaj x) {
        int l = x.numCols;
        DMatrixRMaj result = new DMatrixRMaj(rows, l);
        double[] in = x.data;
        double[] out = result.data;
        for (int r = 0; r < rows; r++) {
            int target = r * l;
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                double a = value[e];
                int source = column[e] * l;
                for (int c = 0; c < l; c++) {
                    out[target + c] += a * in[source + c];
                }
            }
        }
        return result;
    }

    /** The transpose of this matrix times the dense {@code rows x l} matrix {@code x}, as a new {@code columns x l} matrix. */
    DMatrixRMaj transposeTimes(DMatrixRMaj x) {
        int l = x.numCols;
        DMatrixRMaj result = new DMatrixRMaj(columns, l);
        double[] in = x.data;
        double[] out = result.data;
        for (int r = 0; r < rows; r++) {
            int source = r * l;
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                double a = value[e];
                int target = column[e] * l;
                for (int c = 0; c < l; c++) {
                    out[target + c] += a * in[source + c];
                }
            }
        }
        return result;
    }
}
