/**
 * Latent semantic analysis: a text embedding in which terms that occur in the same documents point the same way, so
 * that a query and a document can be similar without sharing a word.
 *
 * <p>An {@link dev.rankql.models.lsa.LsaModel} is fitted to N documents, each given as a bag of analysed terms (term
 * to its count within the document; the analysis itself, such as Lucene's English analyzer, is the caller's and is
 * recorded only in the model's opaque metadata). The model is pure arithmetic on plain arrays:
 *
 * <ul>
 *   <li><b>Vocabulary.</b> The terms whose document frequency df satisfies {@code df >= minDocFreq} and
 *       {@code df < N}: a term in every document has idf 0 and carries nothing. The terms are sorted in
 *       {@link java.lang.String} natural order so that the model is deterministic.
 *   <li><b>Weights.</b> A term with frequency tf in a bag weighs {@code w = (1 + ln tf) * ln(N / df)}; the matrix A has
 *       one row per document and one column per vocabulary term, held sparse in compressed rows.
 *   <li><b>Truncated SVD.</b> {@code A ≈ U_k S_k V_k^T} by the randomized range finder of Halko, Martinsson and Tropp
 *       (2011): a Gaussian test matrix drawn from {@code new SplittableRandom(seed)} with k + 10 columns
 *       (oversampling p = 10, fewer when min(N, vocabulary size) is smaller), q = 4 power iterations with a QR
 *       re-orthonormalisation after every product by A or A<sup>T</sup>, then the exact SVD of the small projected
 *       matrix {@code B = Q^T A}, taken through the QR of the tall B<sup>T</sup> and the SVD of its square R factor.
 *       The sparse products are this package's own loops; the dense QR and SVD are EJML's. Memory stays
 *       O((N + V)(k + p)) for V terms: no dense N x V matrix is ever built.
 *   <li><b>Signs.</b> Each singular vector pair is flipped so that the largest-magnitude component of its V column is
 *       positive (the first such component on a tie), which makes the output deterministic.
 *   <li><b>Embedding.</b> The term vectors are the rows of V_k, stored as floats. A bag embeds as
 *       {@code normalise(sum over its vocabulary terms t of w(t) * V_k[t])}, w computed from the bag's own tf and the
 *       model's df and N; for a training document that is its row of {@code U_k S_k} (since {@code A V_k = U_k S_k}),
 *       normalised to unit length. A bag with no vocabulary term has no embedding.
 * </ul>
 *
 * <p>A model is immutable and may be shared between threads. Fitting is single-threaded and deterministic: the same documents, parameters and seed give a byte-identical
 * file. The file is JSON:
 *
 * <pre>{@code
 * {"lsa": {"version": 1, "dimensions": k, "documents": N, "min_doc_freq": m, "seed": s,
 *          "metadata": {"fields": "title,text", "analyzer": "english"},
 *          "singular_values": [k numbers, descending],
 *          "terms": [V strings, sorted and distinct],
 *          "doc_freqs": [V integers, each from m to N - 1],
 *          "vectors": [V * k numbers: V_k row-major, term by term]}}
 * }</pre>
 *
 * <p>Numbers are written as the shortest decimal that reads back to the same double (singular values) or float
 * (vectors), so that reading a written model gives bit-identical vectors. Reading streams the file and checks every
 * field; the first problem is reported as an {@link dev.rankql.models.lsa.LsaFormatException} that names its JSON
 * path, such as {@code $.lsa.vectors: expected 4200 numbers (42 terms x 100 dimensions), found 4199}.
 */
package dev.rankql.models.lsa;
