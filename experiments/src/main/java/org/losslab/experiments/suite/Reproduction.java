package org.losslab.experiments.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.losslab.experiments.cli.UserError;

/**
 * RESULTS.md as a document built from the suites' tables: each table appears in it between
 * {@code <!-- table: results/NAME.md -->} and {@code <!-- /table -->}, exactly as the suite wrote it; the prose
 * around the blocks is written by hand. {@link #sync} copies every table file into its block, {@link #check}
 * lists the blocks that differ from their files, and {@link #suites} finds the suite behind each block.
 */
public final class Reproduction {
  private static final Pattern BLOCK = Pattern.compile("(<!-- table: ([^ ]+) -->\\n)(.*?)(<!-- /table -->)", Pattern.DOTALL);

  /** A table block of RESULTS.md: the table file it embeds and the suite file that writes it. */
  public record Entry(String table, Path suite) {}

  private Reproduction() {}

  /** The blocks of {@code results} (RESULTS.md), in order, each with the suite under {@code suitesDir} that writes its table. */
  public static List<Entry> entries(Path results, Path suitesDir) throws IOException {
    String text = read(results);
    Map<Path, Path> bySuiteTable = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(suitesDir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        SuiteSpec spec = SuiteRunner.read(f);
        if (spec.table() != null) bySuiteTable.put(f.toAbsolutePath().getParent().resolve(spec.table()).normalize(), f);
      }
    }
    List<Entry> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      Path table = results.toAbsolutePath().getParent().resolve(m.group(2)).normalize();
      Path suite = bySuiteTable.get(table);
      if (suite == null) {
        throw new UserError(results + ": the block for " + m.group(2) + " names a table no suite in " + suitesDir + " writes");
      }
      out.add(new Entry(m.group(2), suite));
    }
    return out;
  }

  /** Copies every table file into its block of RESULTS.md; returns the tables whose block changed. */
  public static List<String> sync(Path results) throws IOException {
    List<String> changed = new ArrayList<>();
    String updated = replace(results, changed);
    if (!changed.isEmpty()) Files.writeString(results, updated, StandardCharsets.UTF_8);
    return changed;
  }

  /** The tables whose block in RESULTS.md differs from the table file (empty when RESULTS.md is current). */
  public static List<String> check(Path results) throws IOException {
    List<String> changed = new ArrayList<>();
    replace(results, changed);
    return changed;
  }

  private static String replace(Path results, List<String> changed) throws IOException {
    String text = read(results);
    Matcher m = BLOCK.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Path table = results.toAbsolutePath().getParent().resolve(m.group(2)).normalize();
      if (!Files.isRegularFile(table)) throw new UserError(results + ": the block for " + m.group(2) + " names a missing file " + table);
      String content = read(table);
      if (!content.endsWith("\n")) content += "\n";
      if (!content.equals(m.group(3))) changed.add(m.group(2));
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + content + m.group(4)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }
}
