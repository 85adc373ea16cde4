/**
 * Evaluation metrics for learned embeddings, in plain Java over {@code double[][]} features (rows = samples) and
 * {@code int[]} labels (any non-negative ints). Each class stands alone, validates its input with messages that say
 * what was wrong and what is allowed (ragged rows, NaN or infinite features, zero rows where a cosine is needed,
 * label counts, degenerate class structure), and is deterministic: one thread, fixed loop order, seeded sampling.
 *
 * <ul>
 *   <li>{@link org.losslab.training.embedding.LinearProbe}: multinomial logistic regression on frozen,
 *       standardised features (L-BFGS, L2), accuracy on a test set.</li>
 *   <li>{@link org.losslab.training.embedding.KnnAccuracy}: cosine kNN with exp(s / 0.07) votes, k = 20.</li>
 *   <li>{@link org.losslab.training.embedding.RecallAtK}: leave-one-out retrieval Recall@k within one set.</li>
 *   <li>{@link org.losslab.training.embedding.AlignmentUniformity}: Wang and Isola's alignment and uniformity and
 *       Wang and Liu's tolerance on the unit hypersphere.</li>
 *   <li>{@link org.losslab.training.embedding.Opis}: OPIS and epsilon-OPIS threshold consistency (TCM, ICLR 2024),
 *       with the per-class utility-versus-threshold curves.</li>
 * </ul>
 *
 * <p>All pairwise metrics compute cosine similarities on the fly from unit-norm rows and never hold an n x n
 * matrix, so tens of thousands of rows fit in memory; their time is O(n^2 d) on one core.
 */
package org.losslab.training.embedding;
