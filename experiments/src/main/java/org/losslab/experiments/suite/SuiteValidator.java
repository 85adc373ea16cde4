package org.losslab.experiments.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.YamlLocations;

/**
 * Checks a suite file before anything runs, naming file:line and key for each problem: a table whose cells
 * could be merged or mislabelled (duplicate or missing labels, duplicate seeds, which would report n = 2 for
 * one seed twice), a name that cannot be a folder, and output files that would land outside the project.
 */
final class SuiteValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

  private SuiteValidator() {}

  static void validate(Path file, SuiteSpec s) {
    YamlLocations loc;
    try {
      loc = YamlLocations.of(Files.readString(file));
    } catch (IOException e) {
      throw new UserError("cannot read suite " + file + ": " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (s.suite() != null && !NAME.matcher(s.suite()).matches()) {
      problems.add(at(file, loc, "suite", "'" + s.suite() + "' cannot name the suite's run folder; allowed: letters, "
          + "digits, '.', '_' and '-', starting with a letter or digit, at most 80 characters"));
    }
    labels(file, loc, "rows", s.rows(), problems);
    labels(file, loc, "columns", s.columns(), problems);
    if (s.seeds() != null) {
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < s.seeds().size(); i++) {
        Long seed = s.seeds().get(i);
        if (seed == null) problems.add(at(file, loc, "seeds[" + i + "]", "a seed must be a whole number"));
        else if (!seen.add(seed)) {
          problems.add(at(file, loc, "seeds[" + i + "]", "seed " + seed + " is listed twice; each seed is one run, "
              + "and a repeated seed would count the same run twice in n, mean and std"));
        }
      }
    }
    if (s.baseline() != null && s.columns() != null
        && s.columns().stream().noneMatch(c -> c != null && s.baseline().equals(c.label()))) {
      problems.add(at(file, loc, "baseline", "'" + s.baseline() + "' is not a column label; allowed: "
          + String.join(", ", s.columns().stream().filter(c -> c != null && c.label() != null).map(SuiteSpec.Cell::label).toList())));
    }
    Path root = projectRoot(file);
    if (s.table() != null) output(file, loc, "table", s.table(), ".md", root, problems);
    if (s.plot() != null && s.plot().file() != null) output(file, loc, "plot.file", s.plot().file(), ".png", root, problems);
    if (!problems.isEmpty()) {
      throw new UserError("the suite cannot be run:\n  " + String.join("\n  ", problems));
    }
  }

  private static void labels(Path file, YamlLocations loc, String key, List<SuiteSpec.Cell> cells, List<String> problems) {
    if (cells == null) return;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cells.size(); i++) {
      SuiteSpec.Cell c = cells.get(i);
      String k = key + "[" + i + "]";
      if (c == null || c.label() == null || c.label().isBlank()) {
        problems.add(at(file, loc, k + ".label", "every entry of " + key + " needs a label (it names a table "
            + (key.equals("rows") ? "row" : "column") + ")"));
      } else if (!seen.add(c.label())) {
        problems.add(at(file, loc, k + ".label", "label '" + c.label() + "' is used twice in " + key + "; labels must be "
            + "unique, or two cells' runs would be merged into one"));
      }
    }
  }

  private static void output(Path file, YamlLocations loc, String key, String value, String suffix, Path root,
                             List<String> problems) {
    Path p = Path.of(value);
    Path resolved = file.toAbsolutePath().getParent().resolve(p).normalize();
    if (p.isAbsolute() || !resolved.startsWith(root)) {
      problems.add(at(file, loc, key, "'" + value + "' is outside the project (" + root + "); give a path relative to "
          + "the suite file that stays inside it"));
    } else if (!value.endsWith(suffix)) {
      problems.add(at(file, loc, key, "'" + value + "' must end in " + suffix));
    }
  }

  /** The nearest folder above the suite file that holds {@code .git}, else the suite file's own folder. */
  static Path projectRoot(Path file) {
    Path dir = file.toAbsolutePath().getParent().normalize();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) return p;
    }
    return dir;
  }

  private static String at(Path file, YamlLocations loc, String key, String message) {
    int line = loc.line(key);
    return file + (line > 0 ? ":" + line : "") + ": key '" + key + "': " + message;
  }
}
