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
 */
public record ModelSpec(String type, List<Integer> hidden, String activation, double dropout,
                        List<Integer> channels, int kernel, String init, boolean batchNorm) {
  public static final List<String> TYPES = List.of("linear", "mlp", "cnn");

  public ModelSpec {
    hidden = hidden == null ? List.of() : List.copyOf(hidden);
    channels = channels == null ? List.of() : List.copyOf(channels);
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
