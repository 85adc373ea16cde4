package org.losslab.training.layers;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution for DL4J's {@code ConvolutionLayer} on the CPU, plugged in through DL4J's own layer-helper
 * seam ({@link ConvolutionHelper}, the slot cuDNN and oneDNN use): one im2col into a scratch matrix kept by the
 * helper, one BLAS GEMM for the whole batch, and the input gradient as a second im2col (of the output gradient,
 * shifted the other way) and GEMM, so there is no scatter-add. Every copy is a bulk copy of a contiguous run.
 *
 * <p>Why: DL4J M2.1's built-in path spends half its time in libnd4j's {@code im2col} on permuted 6-D views and
 * recomputes the forward convolution in backprop; with the pooling helper and FastDenseLayer the small CNN
 * trains 3.1x faster (BENCHMARKS.md). It computes the same function: {@code FastLayersTest} checks it against
 * DL4J's layer to 1e-10 in double precision, for values and gradients, with and without bias, padding modes and dilation.
 *
 * <p>Scope: NCHW, float or double, stride 1 (any kernel, padding mode, dilation). Anything else returns
 * {@code null}, which DL4J reads as "use the built-in implementation", so a layer this helper does not cover
 * still trains correctly. The network's first layer skips the input gradient unless asked
 * ({@link FastLayers#inputGradients}).
 * Scratch space (about {@code (2K + Co) * N * P} elements for K = Ci*kH*kW, batch N and P output pixels) lives
 * outside DL4J's workspaces and is reused from step to step.
 */
final class Im2colConvolution implements ConvolutionHelper {
  private final Scratch col = new Scratch();
  private final Scratch product = new Scratch();
  private final Scratch colT = new Scratch();
  private final Scratch deltaT = new Scratch();
  private final Scratch inputGrad = new Scratch();
  private final Scratch flipped = new Scratch();
  private Geometry fwd;
  private Geometry bwd;
  private boolean inputGradient;
  private INDArray colInput; // the input the col scratch holds the im2col of

  /** @param inputGradient compute the gradient for the layer below (false only for a network's first layer) */
  Im2colConvolution(boolean inputGradient) {
    this.inputGradient = inputGradient;
  }

  void inputGradient(boolean on) {
    inputGradient = on;
  }

  @Override
  public boolean checkSupported() {
    return true;
  }

  @Override
  public Map<String, Long> helperMemoryUse() {
    return Map.of("im2col_scratch", col.bytes() + product.bytes() + colT.bytes() + deltaT.bytes() + inputGrad.bytes()
        + flipped.bytes());
  }

  @Override
  public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                            AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation,
                            CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
    if (!supported(input, strides, format)) return null;
    INDArray x = dense(input);
    int n = (int) x.size(0);
    int co = (int) weights.size(0);
    int[] out = ConvolutionUtils.getOutputSize(x, kernel, strides, pad, convolutionMode, dilation, format);
    Geometry g = forward(x, kernel, pad, dilation, out);
    // col [K, N*P]: row (c, i, j) holds input channel c shifted by kernel tap (i, j), for every sample.
    INDArray c = g.im2col(x, col, n);
    colInput = x;
    INDArray zt = product.get(x.dataType(), co, (long) n * g.dstPixels(), false);
    Nd4j.gemm(weights.reshape('c', co, g.rows()), c, zt, false, false, 1.0, 0.0);
    zt.addiColumnVector(bias.reshape(co, 1));
    INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), new long[] {n, co, out[0], out[1]}, 'c');
    Scratch.transposeBlocks(zt, z, co, n, g.dstPixels());
    return z;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                   int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                   INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                   BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
                                                   ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                   LayerWorkspaceMgr workspaceMgr) {
    if (!supported(input, strides, format)) return null;
    INDArray x = dense(input);
    INDArray d = dense(delta);
    int n = (int) x.size(0);
    int ci = (int) x.size(1);
    int co = (int) weights.size(0);
    int[] out = {(int) d.size(2), (int) d.size(3)};
    Geometry g = forward(x, kernel, pad, dilation, out);
    int p = g.dstPixels();

    // Delta as [Co, N*P]: the weight gradient is one GEMM against the im2col matrix, the bias gradient a row sum.
    INDArray dt = deltaT.get(x.dataType(), co, (long) n * p, false);
    Scratch.transposeBlocks(d, dt, n, co, p);
    // Within one DL4J step backprop follows the forward pass on the same input object: its im2col is still here.
    INDArray c = x == colInput ? col.get(x.dataType(), g.rows(), (long) n * p, true) : g.im2col(x, col, n);
    INDArray dW = Shape.newShapeNoCopy(weightGradView, new long[] {co, g.rows()}, false);
    if (dW == null) throw new IllegalStateException("convolution weight gradient view is not dense");
    Nd4j.gemm(dt, c, dW, false, true, 1.0, 0.0);
    dt.sum(biasGradView, 1);

    Gradient grad = new DefaultGradient();
    grad.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
    grad.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
    INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
    if (!inputGradient) return new Pair<>(grad, eps.assign(Double.NaN)); // nobody reads it: poison, not zeros

    // Input gradient: a stride-1 convolution of delta with the kernel flipped, channels swapped.
    Geometry b = backward(x, d, kernel, pad, dilation);
    INDArray dc = b.im2col(d, colT, n);
    INDArray wT = flipped.get(x.dataType(), ci, b.rows(), false);
    wT.assign(weights.permute(1, 0, 2, 3).reshape('c', ci, b.rows())); // [Ci, Co*kH*kW], reused every step
    INDArray et = inputGrad.get(x.dataType(), ci, (long) n * b.dstPixels(), false);
    Nd4j.gemm(wT, dc, et, false, false, 1.0, 0.0);
    Scratch.transposeBlocks(et, eps, ci, n, b.dstPixels());
    return new Pair<>(grad, eps);
  }

  @Override
  public INDArray activate(INDArray z, IActivation afn, boolean training) {
    return null; // DL4J applies the activation in place on the dense output.
  }

  private static boolean supported(INDArray input, int[] strides, CNN2DFormat format) {
    return format == CNN2DFormat.NCHW && strides[0] == 1 && strides[1] == 1 && input.rank() == 4
        && (input.dataType() == DataType.FLOAT || input.dataType() == DataType.DOUBLE);
  }

  /** The array itself when it is dense in c order, else a dense copy. */
  static INDArray dense(INDArray a) {
    return a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
  }

  private Geometry forward(INDArray x, int[] kernel, int[] pad, int[] dilation, int[] out) {
    int ci = (int) x.size(1);
    int[] key = {ci, (int) x.size(2), (int) x.size(3), kernel[0], kernel[1], pad[0], pad[1], dilation[0], dilation[1], out[0], out[1]};
    if (fwd == null || !Arrays.equals(fwd.key, key)) {
      // Tap (i, j) reads input row y - pad + i*dil for output row y.
      fwd = new Geometry(key, ci, (int) x.size(2), (int) x.size(3), out[0], out[1], kernel, -pad[0], -pad[1],
          dilation[0], dilation[1]);
    }
    return fwd;
  }

  private Geometry backward(INDArray x, INDArray d, int[] kernel, int[] pad, int[] dilation) {
    int co = (int) d.size(1);
    int[] key = {co, (int) d.size(2), (int) d.size(3), kernel[0], kernel[1], pad[0], pad[1], dilation[0], dilation[1],
        (int) x.size(2), (int) x.size(3)};
    if (bwd == null || !Arrays.equals(bwd.key, key)) {
      // dX[y] = sum_i dZ[y + pad - i*dil] W[i]: the same shifted copy, the other way, over the input grid.
      bwd = new Geometry(key, co, (int) d.size(2), (int) d.size(3), (int) x.size(2), (int) x.size(3), kernel,
          pad[0], pad[1], -dilation[0], -dilation[1]);
    }
    return bwd;
  }

  /**
   * The shifted-copy plan of one im2col: for each matrix row (channel c, tap i, j) and each destination row y,
   * the run of destination columns whose source pixel lies inside the image. Runs of consecutive rows that
   * are equally far apart in source and destination (stride 1 over same-size grids, as in 'same' padding) are
   * merged into one block copy; the few positions between them, which the block copy fills from the
   * neighbouring image row, are zeroed after it. All other positions stay zero in the scratch matrix.
   */
  private static final class Geometry {
    final int[] key;
    private final int channels;
    private final int srcPixels;
    private final int dstPixels;
    private final int taps;
    private final int[] blocks;     // triples (dst offset, src offset within the channel, length)
    private final int[] blockStart; // per tap, into blocks
    private final int[] gaps;       // pairs (dst offset, length) to zero after the copies
    private final int[] gapStart;   // per tap, into gaps

    Geometry(int[] key, int channels, int srcH, int srcW, int dstH, int dstW, int[] kernel, int offY, int offX,
             int stepY, int stepX) {
      this.key = key;
      this.channels = channels;
      this.srcPixels = srcH * srcW;
      this.dstPixels = dstH * dstW;
      this.taps = kernel[0] * kernel[1];
      int[] b = new int[3 * taps * dstH];
      int[] z = new int[2 * taps * dstH];
      blockStart = new int[taps + 1];
      gapStart = new int[taps + 1];
      int nb = 0;
      int nz = 0;
      for (int i = 0; i < kernel[0]; i++) {
        for (int j = 0; j < kernel[1]; j++) {
          int t = i * kernel[1] + j;
          blockStart[t] = nb;
          gapStart[t] = nz;
          int dx = offX + j * stepX;
          int x0 = Math.max(0, -dx);
          int x1 = Math.min(dstW, srcW - dx);
          for (int y = 0; y < dstH && x1 > x0; y++) {
            int sy = y + offY + i * stepY;
            if (sy < 0 || sy >= srcH) continue;
            int dst = y * dstW + x0;
            int src = sy * srcW + x0 + dx;
            int len = x1 - x0;
            if (nb > blockStart[t] && dst - b[nb - 3] == src - b[nb - 2]) {
              int end = b[nb - 3] + b[nb - 1];
              if (dst > end) {
                z[nz++] = end;
                z[nz++] = dst - end;
              }
              b[nb - 1] = dst + len - b[nb - 3];
            } else {
              b[nb++] = dst;
              b[nb++] = src;
              b[nb++] = len;
            }
          }
        }
      }
      blockStart[taps] = nb;
      gapStart[taps] = nz;
      blocks = Arrays.copyOf(b, nb);
      gaps = Arrays.copyOf(z, nz);
    }

    int rows() {
      return channels * taps;
    }

    int dstPixels() {
      return dstPixels;
    }

    /** Fills {@code [channels*taps, n*dstPixels]} from {@code src [n, channels, srcH, srcW]}. */
    INDArray im2col(INDArray src, Scratch scratch, int n) {
      long width = (long) n * dstPixels;
      INDArray m = scratch.get(src.dataType(), rows(), width, true);
      int es = src.data().getElementSize();
      ByteBuffer s = src.data().asNio();
      ByteBuffer d = m.data().asNio();
      long sBase = src.offset();
      for (int c = 0; c < channels; c++) {
        for (int t = 0; t < taps; t++) {
          long rowBase = (long) (c * taps + t) * width;
          for (int k = 0; k < n; k++) {
            long so = sBase + (long) (k * channels + c) * srcPixels;
            long dO = rowBase + (long) k * dstPixels;
            for (int r = blockStart[t]; r < blockStart[t + 1]; r += 3) {
              d.put((int) ((dO + blocks[r]) * es), s, (int) ((so + blocks[r + 1]) * es), blocks[r + 2] * es);
            }
            for (int r = gapStart[t]; r < gapStart[t + 1]; r += 2) {
              for (int q = 0, at = (int) ((dO + gaps[r]) * es); q < gaps[r + 1]; q++, at += es) {
                if (es == 4) d.putInt(at, 0);
                else d.putLong(at, 0L);
              }
            }
          }
        }
      }
      return m;
    }
  }
}
