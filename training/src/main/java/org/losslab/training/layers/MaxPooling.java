package org.losslab.training.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.losslab.optimizers.Flat;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backprop of max pooling with non-overlapping windows (kernel = stride, no padding, the image an exact multiple
 * of the window: the registry's 2x2 pooling) for DL4J's {@code SubsamplingLayer}, through its helper seam: each
 * window's maximum is found again in the layer's input and gets the window's gradient. libnd4j's
 * {@code maxpool2d_bp} took 13% of a small-CNN step. The 2x2 comparison is branch-free: with the random-looking
 * activations of a network a branch mispredicts half the time, and the branchy version was 3x slower. That fast
 * path is for float and 2x2 windows; double precision and other windows take a plain loop (same result).
 *
 * <p>The forward pass stays libnd4j's {@code maxpool2d}: DL4J M2.1's {@code SubsamplingLayer.activate} never
 * consults a helper, so {@link #activate} returns {@code null}. Ties go to the first maximum in row-major window
 * order, as in libnd4j and PyTorch; with NaN inputs the choice is unspecified (the trainer stops a run whose loss
 * is not finite). Other pooling shapes and types return {@code null}: DL4J's built-in implementation runs them.
 */
final class MaxPooling implements SubsamplingHelper {
  // The float 2x2 fast path reads the input from a heap copy (reused: arrays this size are "humongous" for G1,
  // and allocating them per step made step times erratic); NIO reads in the inner loop measured 3x slower.
  private float[] staging = new float[0];

  @Override
  public boolean checkSupported() {
    return true;
  }

  @Override
  public Map<String, Long> helperMemoryUse() {
    return Map.of();
  }

  @Override
  public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
                           PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation,
                           CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
    return null;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel, int[] strides,
                                                   int[] pad, PoolingType poolingType,
                                                   ConvolutionMode convolutionMode, int[] dilation,
                                                   CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
    if (poolingType != PoolingType.MAX || format != CNN2DFormat.NCHW || input.rank() != 4) return null;
    if (input.dataType() != DataType.FLOAT && input.dataType() != DataType.DOUBLE) return null;
    if (kernel[0] != strides[0] || kernel[1] != strides[1] || pad[0] != 0 || pad[1] != 0) return null;
    if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) return null;
    int kh = kernel[0];
    int kw = kernel[1];
    int inH = (int) input.size(2);
    int inW = (int) input.size(3);
    if (inH % kh != 0 || inW % kw != 0) return null;
    int outH = inH / kh;
    int outW = inW / kw;
    int planes = (int) (input.size(0) * input.size(1));

    INDArray x = Im2colConvolution.dense(input);
    Flat g = Flat.of(Im2colConvolution.dense(epsilon));
    INDArray eps = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c'); // zeros
    Flat d = Flat.of(eps);
    boolean fast = kh == 2 && kw == 2 && x.dataType() == DataType.FLOAT;
    float[] v = fast ? floats(x) : null;
    Flat in = fast ? null : Flat.of(x);
    int cell = 0;
    for (int plane = 0; plane < planes; plane++) {
      for (int y = 0; y < outH; y++) {
        int rowBase = (plane * inH + y * kh) * inW;
        for (int xo = 0; xo < outW; xo++, cell++) {
          int at = fast ? max2x2(v, rowBase + 2 * xo, inW) : maxWindow(in, rowBase + xo * kw, kh, kw, inW);
          d.set(at, g.get(cell));
        }
      }
    }
    return new Pair<>(new DefaultGradient(), eps);
  }

  private static int maxWindow(Flat in, int base, int kh, int kw, int inW) {
    int best = base;
    for (int i = 0; i < kh; i++) {
      for (int j = 0, a = base + i * inW; j < kw; j++, a++) {
        if (in.get(a) > in.get(best)) best = a;
      }
    }
    return best;
  }

  private float[] floats(INDArray x) {
    int n = (int) x.length();
    if (staging.length < n) staging = new float[n];
    x.data().asNioFloat().get((int) x.offset(), staging, 0, n);
    return staging;
  }

  /** Index of the maximum of a 2x2 window; {@code later(a, b)} is 1 when b > a (the sign bit of a - b). */
  private static int max2x2(float[] in, int base, int inW) {
    int r0 = base + later(in[base], in[base + 1]);
    int b = base + inW;
    int r1 = b + later(in[b], in[b + 1]);
    return r0 + ((r1 - r0) & -later(in[r0], in[r1]));
  }

  private static int later(float a, float b) {
    return Float.floatToRawIntBits(a - b) >>> 31; // a == b gives +0: the first one wins
  }
}
