package org.losslab.training;

import java.util.List;

/**
 * A network named in a descriptor.
 *
 * @param type       {@code linear}, {@code mlp} or {@code cnn}
 * @param hidden     hidden layer widths (mlp) or the dense width after the convolutions (cnn, first entry)
 * @param activation hidden activation name as DL4J spells it ({@code relu}, {@code tanh}, ...)
 * @param dropout    probability of <b>dropping</b> a hidden unit (DL4J's own argument is the keep probability)
 * @param channels   convolution channels per conv block (cnn)
 * @param kernel     square convolution kernel size (cnn)
 * @param init       weight initialisation as DL4J names it ({@code xavier}, {@code relu}, ...)
 * @param batchNorm  mlp: a batch normalisation after each hidden layer's activation (as EnsLoss's TabMLP)
 * @param embedding  for embedding losses: the output width (the embedding size); 0 for a classifier, whose output
 *                   width is the loss's (the class count)
 * @param head       for embedding losses: the projection head's hidden widths between the encoder (the layers
 *                   above) and the embedding output, as SimCLR's MLP head; evaluation can drop it
 *                   ({@link #featureLayer})
 */
public record ModelSpec(String type, List<Integer> hidden, String activation, double dropout,
                        List<Integer> channels, int kernel, String init, boolean batchNorm, int embedding,
                        List<Integer> head) {
  public static final List<String> TYPES = List.of("linear", "mlp", "cnn");

  public ModelSpec {
    hidden = hidden == null ? List.of() : List.copyOf(hidden);
    channels = channels == null ? List.of() : List.copyOf(channels);
    head = head == null ? List.of() : List.copyOf(head);
    if (embedding < 0) throw new IllegalArgumentException("model.embedding must be >= 0, got " + embedding);
    if (embedding == 0 && !head.isEmpty()) {
      throw new IllegalArgumentException("model.head is the projection head of an embedding model: set model.embedding");
    }
  }

  /** A classifier. */
  public ModelSpec(String type, List<Integer> hidden, String activation, double dropout, List<Integer> channels,
                   int kernel, String init, boolean batchNorm) {
    this(type, hidden, activation, dropout, channels, kernel, init, batchNorm, 0, List.of());
  }

  /** The same network with an embedding output of this width and this projection head. */
  public ModelSpec withEmbedding(int width, List<Integer> headWidths) {
    return new ModelSpec(type, hidden, activation, dropout, channels, kernel, init, batchNorm, width, headWidths);
  }

  /**
   * Index of the layer whose activations are the encoder's features (the head dropped): the layer before the head,
   * in a network {@link Models#build} made from this spec with {@code layers} layers.
   */
  public int featureLayer(int layers) {
    int k = layers - 2 - head.size();
    if (k < 0) {
      throw new IllegalArgumentException("the model has no encoder layer before its " + (head.isEmpty() ? "output" : "head")
          + " (model type " + type + " with hidden " + hidden + "): evaluate the embedding itself (evaluation.embedding.features: "
          + "embedding) or give the model hidden layers");
    }
    return k;
  }

  /** Without batch normalisation. */
  public ModelSpec(String type, List<Integer> hidden, String activation, double dropout, List<Integer> channels,
                   int kernel, String init) {
    this(type, hidden, activation, dropout, channels, kernel, init, false);
  }

  public static ModelSpec mlp(List<Integer> hidden, String activation) {
    return new ModelSpec("mlp", hidden, activation, 0, List.of(), 5, "xavier");
  }

  public static ModelSpec linear() {
    return new ModelSpec("linear", List.of(), "identity", 0, List.of(), 5, "xavier");
  }
}
