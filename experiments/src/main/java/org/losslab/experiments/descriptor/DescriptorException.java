package org.losslab.experiments.descriptor;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A descriptor that cannot be run. Each problem names where (file and line, or the {@code --set}
 * override), which key, what was wrong and what is allowed. The CLI prints the message and exits with 2.
 */
public final class DescriptorException extends RuntimeException {
  /** One thing wrong with a descriptor. */
  public record Problem(String where, String key, String message) {
    @Override
    public String toString() {
      return where + ": " + (key == null || key.isEmpty() ? "" : "key '" + key + "': ") + message;
    }
  }

  private final List<Problem> problems;

  public DescriptorException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
