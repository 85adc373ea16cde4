package org.losslab.training;

import org.losslab.datasets.Dataset;
import org.losslab.losses.EmbeddingLoss;
import org.losslab.losses.OutputSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Turns sample indices into DL4J mini-batches. The label matrix (one-hot, or a single 0/1 column for
 * binary-output losses) is built once, so a batch costs two row gathers.
 */
public final class Batches {
  private final INDArray features;
  private final INDArray labels;

  public Batches(Dataset data, int outputColumns, DataType dataType) {
    this(data, labelMatrix(data, outputColumns, dataType), dataType);
  }

  private Batches(Dataset data, INDArray labels, DataType dataType) {
    this.features = data.features().dataType() == dataType ? data.features() : data.features().castTo(dataType);
    this.labels = labels;
  }

  /** Batches in the label layout the loss reads: one-hot, a 0/1 column, or (embedding losses) class indices. */
  public static Batches forLoss(Dataset data, ILossFunction loss, DataType dataType) {
    if (loss instanceof EmbeddingLoss) return new Batches(data, classIndices(data, dataType), dataType);
    return new Batches(data, OutputSpec.columnsOf(loss, data.numClasses()), dataType);
  }

  /** A [n, 1] column of each sample's class index (the labels of an embedding loss). */
  public static INDArray classIndices(Dataset data, DataType dataType) {
    int[] labels = data.labels();
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) y[i] = labels[i];
    return Nd4j.create(y, new long[] {y.length, 1}).castTo(dataType);
  }

  /** One-hot rows, or a 0/1 column when the model has a single output (binary losses). */
  public static INDArray labelMatrix(Dataset data, int outputColumns, DataType dataType) {
    int n = data.size();
    if (outputColumns == 1) {
      if (data.numClasses() != 2) {
        throw new IllegalArgumentException("a single-output (binary) loss needs 2 classes, but " + data.name()
            + " has " + data.numClasses());
      }
      float[] y = new float[n];
      for (int i = 0; i < n; i++) y[i] = data.label(i);
      return Nd4j.create(y, new long[] {n, 1}).castTo(dataType);
    }
    if (outputColumns != data.numClasses()) {
      throw new IllegalArgumentException("the model has " + outputColumns + " outputs but " + data.name()
          + " has " + data.numClasses() + " classes");
    }
    float[] y = new float[n * outputColumns];
    for (int i = 0; i < n; i++) y[i * outputColumns + data.label(i)] = 1f;
    return Nd4j.create(y, new long[] {n, outputColumns}).castTo(dataType);
  }

  public DataSet batch(int[] indices) {
    // pullRows is a native gather; getRows builds the result row by row and was ~100x slower here.
    return new DataSet(Nd4j.pullRows(features, 1, indices), Nd4j.pullRows(labels, 1, indices));
  }

  public INDArray features() {
    return features;
  }

  public INDArray labels() {
    return labels;
  }
}
