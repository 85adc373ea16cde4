package org.losslab.optimizers.frugal;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A rank-r orthonormal subspace of an {@code m x n} matrix (FRUGAL's {@code svd} "GaLore-like" and
 * {@code random} projections, optimizers.md 2.1).
 *
 * <p>Right projection (side {@code std} with {@code m >= n}): {@code B} is {@code r x n} with orthonormal
 * rows, {@code r = round(rho n)}, {@code P(G) = G B^T} and {@code P^-1(R) = R B}. Left projection
 * ({@code m < n}): {@code A} is {@code m x r} with orthonormal columns, {@code r = round(rho m)},
 * {@code P(G) = A^T G} and {@code P^-1(R) = A R}. {@code svd} takes the top singular vectors of the
 * gradient at selection time (LAPACK gesvd in the network's precision, fp32 by default as the reference);
 * {@code random} draws a Haar-random semi-orthogonal basis (Gaussian, then Gram-Schmidt, the law of
 * PyTorch's orthogonal initialisation). Rounding is half-to-even, as Python's {@code round}.
 *
 * <p>All products are in-place GEMMs on the live views, so a step allocates nothing of size {@code m x n}.
 */
final class SubspaceProjector implements Projector {
  enum Kind { SVD, RANDOM }

  private final Kind kind;
  private final int m;
  private final int n;
  private final boolean right;
  private final int rank;
  private final DataType dtype;
  /** Right: B, r x n. Left: A, m x r. Null before the first selection. */
  private INDArray basis;

  SubspaceProjector(Kind kind, String side, int m, int n, double density, DataType dtype) {
    this.kind = kind;
    this.m = m;
    this.n = n;
    this.right = switch (side) {
      case "std" -> m >= n;
      case "reverse_std" -> m < n;
      case "right" -> true;
      case "left" -> false;
      default -> throw new IllegalArgumentException("unknown projection side '" + side + "'; known: std, reverse_std, right, left");
    };
    this.rank = (int) Math.rint(density * (right ? n : m));
    this.dtype = dtype;
  }

  @Override
  public void select(INDArray g, SplittableRandom rng) {
    if (rank == 0) return;
    if (kind == Kind.SVD) {
      basis = right ? topRightSingularVectors(g, rank) : topRightSingularVectors(g.transpose(), rank).transpose().dup('c');
    } else {
      basis = right ? orthonormalRows(rank, n, rng) : orthonormalRows(rank, m, rng).transpose().dup('c');
    }
  }

  @Override
  public long[] projectedShape() {
    if (rank == 0) return new long[] {0, 0};
    return right ? new long[] {m, rank} : new long[] {rank, n};
  }

  @Override
  public void project(INDArray g, INDArray r) {
    if (right) Nd4j.gemm(g, basis, r, false, true, 1.0, 0.0);
    else Nd4j.gemm(basis, g, r, true, false, 1.0, 0.0);
  }

  @Override
  public void removeProjected(INDArray g, INDArray r) {
    if (right) Nd4j.gemm(r, basis, g, false, false, -1.0, 1.0);
    else Nd4j.gemm(basis, r, g, false, false, -1.0, 1.0);
  }

  @Override
  public void addBack(INDArray w, INDArray u) {
    if (right) Nd4j.gemm(u, basis, w, false, false, 1.0, 1.0);
    else Nd4j.gemm(basis, u, w, false, false, 1.0, 1.0);
  }

  @Override
  public long storageBytes() {
    return basis == null ? 0 : basis.length() * basis.dataType().width();
  }

  @Override
  public Map<String, INDArray> state() {
    return basis == null ? Map.of() : Map.of("basis", basis.dup('c'));
  }

  @Override
  public void restore(Map<String, INDArray> state) {
    INDArray b = state.get("basis");
    if (b == null) {
      basis = null;
      return;
    }
    long[] want = right ? new long[] {rank, n} : new long[] {m, rank};
    if (!java.util.Arrays.equals(b.shape(), want)) {
      throw new IllegalArgumentException("checkpointed basis has shape " + java.util.Arrays.toString(b.shape())
          + ", expected " + java.util.Arrays.toString(want));
    }
    basis = b.castTo(dtype).dup('c');
  }

  /** The first {@code r} right singular vectors of {@code x} (p x q, p >= q) as the rows of an r x q array. */
  private INDArray topRightSingularVectors(INDArray x, int r) {
    long q = x.columns();
    INDArray a = x.dup('f');
    INDArray s = Nd4j.create(a.dataType(), Math.min(a.rows(), q));
    INDArray vt = Nd4j.create(a.dataType(), new long[] {q, q}, 'f');
    Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, vt);
    return vt.get(NDArrayIndex.interval(0, r), NDArrayIndex.all()).dup('c');
  }

  /** An r x q array (r <= q) with orthonormal rows: Gaussian entries, then modified Gram-Schmidt in double. */
  private INDArray orthonormalRows(int r, int q, SplittableRandom rng) {
    double[][] b = new double[r][q];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < q; j++) b[i][j] = rng.nextGaussian();
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < q; j++) dot += b[i][j] * b[k][j];
        for (int j = 0; j < q; j++) b[i][j] -= dot * b[k][j];
      }
      double norm = 0;
      for (int j = 0; j < q; j++) norm += b[i][j] * b[i][j];
      norm = Math.sqrt(norm);
      for (int j = 0; j < q; j++) b[i][j] /= norm;
    }
    return Nd4j.createFromArray(b).castTo(dtype);
  }
}
