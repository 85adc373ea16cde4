package org.losslab.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Checks a loss's analytic gradient against central finite differences of its total score, in double precision,
 * on random logits and labels (the {@code check-loss} command).
 *
 * <p>For every logit x_ij: numeric = (S(x + eps e_ij) - S(x - eps e_ij)) / (2 eps) with S =
 * {@code computeScore(average=false)}, the total over the batch (DL4J's gradient is per example, not averaged,
 * so it is the derivative of the total). An entry passes when |analytic - numeric| &lt;= absFloor or the
 * relative error |analytic - numeric| / max(|analytic|, |numeric|) &lt;= tolerance. Also checked: the score array
 * sums to the total, the average is total / rows and every value is finite; a loss that overwrites its input
 * gets a note.
 *
 * <p>Order of calls, as one training step (see {@link StepAware}): {@link StatefulLoss#initState} (when the loss
 * has no state yet) and {@link StepAware#beginStep} (with {@link Options#step} or rows 0..B-1 of a training set
 * of B at step 0), then the score at the base point (where a stateful loss makes its one update), the
 * finite-difference scores, and the gradient last. A {@link DetachedSurrogate} is frozen at the base point. The
 * check advances a stateful loss's state by one step: give it a fresh instance unless that is the point.
 */
public final class LossGradientCheck {
  /** Columns of the random embeddings an embedding loss is checked on. */
  static final int EMBEDDING_WIDTH = 5;
  private LossGradientCheck() {}

  /**
   * @param rows       batch rows
   * @param logitScale standard deviation of the random logits
   * @param epsilon    finite-difference step
   * @param tolerance  the largest relative error that passes
   * @param absFloor   absolute differences up to this pass whatever their relative size
   * @param seed       random logits, labels and the default step's seed
   * @param step       the step given to a {@link StepAware} loss, or null for the default
   */
  public record Options(int rows, double logitScale, double epsilon, double tolerance, double absFloor, long seed,
                        StepInfo step) {
    public static Options defaults() {
      return new Options(6, 1.5, 1e-6, 1e-5, 1e-8, 12345L, null);
    }

    public Options withSeed(long s) {
      return new Options(rows, logitScale, epsilon, tolerance, absFloor, s, step);
    }

    public Options withTolerance(double t) {
      return new Options(rows, logitScale, epsilon, t, absFloor, seed, step);
    }

    public Options withRows(int r) {
      return new Options(r, logitScale, epsilon, tolerance, absFloor, seed, step);
    }

    public Options withStep(StepInfo s) {
      return new Options(rows, logitScale, epsilon, tolerance, absFloor, seed, s);
    }
  }

  /**
   * The outcome of one check.
   *
   * @param loss          the loss's {@code toString()}
   * @param worstRelError the largest relative error over all entries (failures count only above the absolute floor)
   * @param worstRow      row of the worst entry (-1 if none)
   * @param analytic      the loss's gradient at the worst entry
   * @param numeric       the finite difference at the worst entry
   * @param failures      entries over the tolerance
   * @param problems      everything that failed, as sentences (empty when passed)
   * @param notes         observations that do not fail the check (DL4J's own softmax losses overwrite their
   *                      preOutput argument, which DL4J allows)
   */
  public record Result(String loss, int rows, int columns, boolean passed, double worstRelError, int worstRow,
                       int worstCol, double analytic, double numeric, int failures, int checked,
                       double tolerance, double score, List<String> problems, List<String> notes) {
    /** One paragraph for printing. */
    public String summary() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%s: gradient check %s on a %d x %d batch: worst relative error %.3g",
          loss, passed ? "passed" : "FAILED", rows, columns, worstRelError));
      if (worstRow >= 0) {
        b.append(String.format(Locale.ROOT, " at row %d, column %d (analytic %.9g, numeric %.9g)", worstRow,
            worstCol, analytic, numeric));
      }
      b.append(String.format(Locale.ROOT, "; %d of %d entries over the tolerance %.1g", failures, checked,
          tolerance));
      for (String p : problems) b.append("\n  - ").append(p);
      for (String n : notes) b.append("\n  (note) ").append(n);
      return b.toString();
    }
  }

  /** Checks with {@link Options#defaults()}. */
  public static Result check(ILossFunction loss, int numClasses) {
    return check(loss, numClasses, Options.defaults());
  }

  /**
   * @param numClasses classes of the problem; the logits get {@link OutputSpec#columnsOf} columns (1 for a
   *                   binary-only loss, whose labels are then 0/1)
   */
  public static Result check(ILossFunction loss, int numClasses, Options o) {
    int rows = o.rows();
    EmbeddingLoss embedding = loss instanceof EmbeddingLoss e ? e : null;
    // an embedding loss gets EMBEDDING_WIDTH columns and one label column of class indices, each class on at least
    // two rows; a two-view loss an even number of rows (rows a and a + B are views of one sample)
    if (embedding != null && embedding.views() == 2 && rows % 2 != 0) rows++;
    int cols = embedding != null ? EMBEDDING_WIDTH : OutputSpec.columnsOf(loss, numClasses);
    int labelCols = embedding != null ? 1 : cols;
    IActivation act = OutputSpec.activationOf(loss).getActivationFunction();
    Random rnd = new Random(o.seed());
    double[] logits = new double[rows * cols];
    for (int i = 0; i < logits.length; i++) logits[i] = rnd.nextGaussian() * o.logitScale();
    double[] lab = new double[rows * labelCols];
    for (int i = 0; i < rows; i++) {
      if (embedding != null) lab[i] = embedding.views() == 2 ? (i % (rows / 2)) % numClasses : (i / 2) % numClasses;
      else if (cols == 1) lab[i] = rnd.nextBoolean() ? 1 : 0;
      else lab[i * cols + rnd.nextInt(cols)] = 1;
    }
    INDArray x = Nd4j.create(logits, new long[] {rows, cols}, DataType.DOUBLE);
    INDArray labels = Nd4j.create(lab, new long[] {rows, labelCols}, DataType.DOUBLE);
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    int views = embedding != null ? embedding.views() : 1;
    StepInfo step = o.step() != null ? o.step()
        : new StepInfo(IntStream.range(0, rows / views).toArray(), rows / views, 0, 0, o.seed(), views, null);
    if (loss instanceof StatefulLoss s && step.state() == null) step = step.withState(s.initialState(step.datasetSize()));
    if (loss instanceof StepAware s) s.beginStep(step);
    DetachedSurrogate frozen = loss instanceof DetachedSurrogate d ? d : null;
    try {
      if (frozen != null) frozen.freeze(labels, x, null);
      INDArray input = x.dup();
      double total = loss.computeScore(labels, input, act, null, false);
      if (!input.equals(x)) notes.add("computeScore modified its preOutput argument in place");
      if (!Double.isFinite(total)) problems.add("the total score is not finite: " + total);
      double avg = loss.computeScore(labels, x.dup(), act, null, true);
      if (!close(avg * rows, total)) {
        problems.add("computeScore(average=true) = " + avg + " is not total / rows = " + total / rows);
      }
      double arraySum = loss.computeScoreArray(labels, x.dup(), act, null).sumNumber().doubleValue();
      if (!close(arraySum, total)) {
        problems.add("computeScoreArray sums to " + arraySum + ", computeScore(average=false) is " + total);
      }

      double[][] numeric = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          INDArray p = x.dup();
          p.putScalar(i, j, x.getDouble(i, j) + o.epsilon());
          double plus = loss.computeScore(labels, p, act, null, false);
          p.putScalar(i, j, x.getDouble(i, j) - o.epsilon());
          double minus = loss.computeScore(labels, p, act, null, false);
          numeric[i][j] = (plus - minus) / (2 * o.epsilon());
        }
      }
      input = x.dup();
      INDArray grad = loss.computeGradient(labels, input, act, null);
      if (!input.equals(x)) notes.add("computeGradient modified its preOutput argument in place");
      if (grad == null || grad.rows() != rows || grad.columns() != cols) {
        problems.add("computeGradient returned " + (grad == null ? "null" : "shape "
            + java.util.Arrays.toString(grad.shape())) + ", expected [" + rows + ", " + cols + "]");
        return new Result(loss.toString(), rows, cols, false, Double.NaN, -1, -1, Double.NaN, Double.NaN,
            rows * cols, rows * cols, o.tolerance(), total, problems, notes);
      }
      double worst = 0;
      int wr = -1;
      int wc = -1;
      int failures = 0;
      int relFailures = 0;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double a = grad.getDouble(i, j);
          double n = numeric[i][j];
          double diff = Math.abs(a - n);
          if (!Double.isFinite(a) || !Double.isFinite(n)) {
            failures++;
            problems.add("non-finite gradient at row " + i + ", column " + j + ": analytic " + a + ", numeric " + n);
            continue;
          }
          double scale = Math.max(Math.abs(a), Math.abs(n));
          double rel = scale == 0 ? 0 : diff / scale;
          // Entries whose absolute difference is below the floor cannot fail (round-off on tiny entries), but
          // they still count towards the reported worst error, so a pass shows how close it really was.
          if (diff > o.absFloor() && rel > o.tolerance()) {
            failures++;
            relFailures++;
          }
          if (rel > worst) {
            worst = rel;
            wr = i;
            wc = j;
          }
        }
      }
      if (relFailures > 0) {
        problems.add(String.format(Locale.ROOT,
            "%d gradient entries differ from central finite differences by more than %.1g relative; the worst "
                + "is %.9g against %.9g (ratio %.6f), at row %d, column %d", relFailures, o.tolerance(),
            grad.getDouble(wr, wc), numeric[wr][wc], grad.getDouble(wr, wc) / numeric[wr][wc], wr, wc));
      }
      return new Result(loss.toString(), rows, cols, problems.isEmpty(), worst, wr, wc,
          wr < 0 ? 0 : grad.getDouble(wr, wc), wr < 0 ? 0 : numeric[wr][wc], failures, rows * cols,
          o.tolerance(), total, List.copyOf(problems), List.copyOf(notes));
    } finally {
      if (frozen != null) frozen.release();
      if (loss instanceof StepAware s) s.endStep();
    }
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
  }
}
