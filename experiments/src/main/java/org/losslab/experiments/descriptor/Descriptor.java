package org.losslab.experiments.descriptor;

import java.util.List;
import java.util.Map;

/**
 * An experiment descriptor: the whole of a run, read from YAML. Every section has defaults except the
 * names that make an experiment what it is (data set, model type, loss, optimizer, epochs, batch size).
 * Keys are snake_case in the file.
 */
public record Descriptor(String name, String description, Data data, Model model, Method loss, Method optimizer,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         Method adversarial,
                         Schedule schedule, Training training, Evaluation evaluation, Output output) {

  /**
   * Where the data come from and what is done to them before training. {@code testFraction} is null for
   * data sets with their own test part; {@code preprocess} {@code auto} takes the data set's default scaling;
   * {@code options} go to the data set's loader (see {@code losslab list datasets}). For representation learning:
   * {@code views} (2: both augmented views of every sample in one batch, as contrastive losses need), {@code augment}
   * (the image augmentations each view gets, in order, see {@code losslab list augmentations}) and {@code sampler}
   * (which samples a batch holds). They are null unless given, so other descriptors resolve (and hash) as before.
   */
  public record Data(String dataset, Map<String, Object> options, Double testFraction, Double validationFraction,
                     String preprocess, Noise noise,
                     @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer views,
                     @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<Object> augment,
                     @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Sampler sampler) {}

  /** {@code shuffle} (default) or {@code class-balanced}: batch / samples_per_class classes of samples_per_class each. */
  public record Sampler(String name, Integer samplesPerClass) {}

  /** Label noise injected into the training (and validation) labels; test labels stay clean. */
  public record Noise(String type, Double rate) {}

  /**
   * The network. {@code batchNorm} (mlp only) puts a batch normalisation after each hidden activation; it is
   * null unless true, so descriptors without it resolve (and hash) as before it existed.
   */
  public record Model(String type, List<Integer> hidden, String activation, Double dropout, List<Integer> channels,
                      Integer kernel, String init,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                      Boolean batchNorm,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer embedding,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<Integer> head) {}

  /**
   * A registered loss or optimizer and its parameters (validated against the registry record). A loss may {@code add}
   * weighted terms (TCM as a regulariser on a base metric loss): the run trains on loss + sum of weight x term.
   */
  public record Method(String name, Map<String, Object> params, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<Term> add) {
    public Method(String name, Map<String, Object> params) {
      this(name, params, null);
    }
  }

  /** A loss term added to the loss: a registered embedding loss, its weight (default 1) and parameters. */
  public record Term(String name, Double weight, Map<String, Object> params) {}

  /** Learning-rate schedule; warm-up and step sizes in epochs. */
  public record Schedule(String type, Double warmupEpochs, Double minLr, Double stepEpochs, Double gamma,
                         List<Integer> milestones) {}

  /**
   * How to train; checkpoints go to the run's {@code checkpoint/} after every {@code checkpointEvery} epochs,
   * and also every {@code checkpointEverySteps} steps (0: off) and every {@code checkpointMinutes} minutes (0: off).
   */
  public record Training(Integer epochs, Integer batchSize, Long seed, Double clipNorm, String precision,
                         Integer checkpointEvery, Integer checkpointEverySteps, Double checkpointMinutes) {}

  /**
   * What is measured: top-k accuracies, early stopping, and optionally the sharpness of the final training loss
   * (left out of the resolved descriptor when not asked for, so it does not change other runs' hashes).
   */
  public record Evaluation(List<Integer> topK, EarlyStopping earlyStopping,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           SharpnessMeasure sharpness,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                           List<AttackEval> attacks,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Embedding embedding) {}

  /**
   * How an embedding model is evaluated (embedding losses only): the named metrics, computed on the validation and
   * test sets every {@code every} epochs (0: after the last epoch only) from the encoder's features (the projection head
   * dropped, as SimCLR evaluates) or the embedding itself.
   *
   * @param metrics  any of linear-probe, knn, recall, alignment (alignment, uniformity, tolerance), opis
   * @param knnK     neighbours of the k@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) classifier
   * @param recallK  the k of Recall@k
   * @param farLow   the low end of OPIS's calibration range, as a false-accept rate on the evaluated set
   * @param farHigh  its high end
   * @param maxRows  rows of a seeded subset for the O(n^2) metrics (recall, alignment, opis); 0 = all
   */
  public record Embedding(List<String> metrics, String features, Integer every, Integer knnK, List<Integer> recallK,
                          Double farLow, Double farHigh, Integer maxRows) {}

  /**
   * Robust accuracy of the final network on the test set under a registered attack ({@code fgsm}, {@code pgd}),
   * reported as {@code final_test_robust.LABEL}.
   *
   * @param label   the metric's name (default: the attack's name; unique within a descriptor)
   * @param samples test rows attacked, a seeded subset (0, the default: all)
   */
  public record AttackEval(String name, String label, Map<String, Object> params, Integer samples) {}

  /**
   * The largest Hessian eigenvalue of the training loss at the end, by power iteration on {@code samples} training
   * rows; {@code iterations} bounds each power iteration (a second, shifted one runs when the dominant eigenvalue is
   * negative, so the summary may report up to twice as many).
   */
  public record SharpnessMeasure(Integer samples, Integer iterations) {}

  public record EarlyStopping(String metric, String mode, Integer patience, Double minDelta) {}

  public record Output(String dir) {}
}
