package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.datasets.FashionMnist;
import org.losslab.experiments.cli.Main;
import org.losslab.experiments.descriptor.DescriptorLoader;

/**
 * A seeded descriptor fuzzer: mutations of the quickstart and of a suite file (keys deleted, values of
 * another type, numbers out of range or infinite, sizes that cannot fit in memory, unknown and misspelled
 * keys, keys given twice, a second YAML document, unknown registry names, output folders leaving the
 * working folder, and valid changes), each given to the CLI as a user would. Every variant must exit 0 with
 * a real run (two steps on a tiny fake Fashion-MNIST) or 2 with a message naming the file, and for a
 * descriptor problem its line and key; never another exit code, a stack trace, a hang, or a file written
 * outside the variant's output folder.
 */
class DescriptorFuzzTest {
  private static final long SEED = 20261202L;
  private static final int QUICKSTART_VARIANTS = 250;
  private static final int SUITE_VARIANTS = 50;
  /** A variant takes under a second (the first, which starts ND4J, a few); this only catches hangs. */
  private static final long VARIANT_TIMEOUT_S = 30;
  /** One problem of a descriptor or suite error: where (file, :line, or the override), the key, what is wrong. */
  private static final Pattern PROBLEM = Pattern.compile("  (.+?)(?::(\\d+))?: (?:key '([^']+)': )?(\\S.*)");
  private static final Path MODULE = Path.of("").toAbsolutePath();

  /** What a variant must do: only valid changes run, a change that must be refused is refused, else either. */
  enum Expect { RUN, REFUSE, EITHER }

  /**
   * A mutation kind, with its weights among the quickstart's and the suite's mutations. Refusing kinds make any
   * descriptor unrunnable and are applied after the others, which could undo them.
   */
  enum Kind {
    VALID(0, 3, 3), DELETE(0, 2, 2), RETYPE(0, 3, 2), NUMBER(0, 4, 2), DATA(0, 2, 0), MEMORY(1, 1, 0),
    UNKNOWN_KEY(2, 1, 1), MISSPELL(2, 1, 1), DUPLICATE(2, 1, 1), SECOND_DOC(2, 1, 1), BAD_NAME(2, 2, 1), ESCAPE(2, 1, 0),
    SUITE_RULE(2, 0, 3);

    /** 0: free; 1 and 2: refusing, 1 first because it replaces whole sections, which would erase an edit made before. */
    final int order;
    final int quickstartWeight;
    final int suiteWeight;

    Kind(int order, int quickstartWeight, int suiteWeight) {
      this.order = order;
      this.quickstartWeight = quickstartWeight;
      this.suiteWeight = suiteWeight;
    }
  }

  /** {@code message}: a text the refusal must contain (hand-written variants), or null. */
  record Variant(String id, Path file, Path outputDir, String text, List<String> mutations, Expect expect,
                 List<Path> mustNotExist, String message) {
    @Override
    public String toString() {
      return id + " (" + expect + ") " + String.join("; ", mutations) + "\n--- " + file + "\n" + text;
    }
  }

  /**
   * A hand-written variant, a defect once, that the random kinds reach rarely: it runs every time, before the random
   * ones, and must be refused with {@code message}. Quickstart: {@code edits} are path, value pairs set in the tree;
   * suite: a text of the written file and its replacement.
   */
  record Fixed(String message, String... edits) {}

  private static final List<Fixed> QUICKSTART_CORPUS = List.of(
      // exit 1 (std::bad_alloc, and every later run in the JVM failed so too), and a logged stack trace
      new Fixed("im2col matrix", "model", "{type: cnn, channels: [4], kernel: 1000}"),
      // a logged stack trace, then DL4J's own convolution, far slower
      new Fixed("im2col matrix", "model", "{type: cnn, channels: [64, 64], kernel: 28}"),
      // exit 1
      new Fixed("cnn needs image data", "data", "{dataset: blobs, test_fraction: 0.25, options: {n: 200, dims: 5}}",
          "model.type", "cnn"),
      // taken as the folder "[1, 2]"
      new Fixed("key 'data.options.dir': fashion-mnist: parameter 'dir' = [1, 2] is invalid: expected text",
          "data.options.dir", "[1, 2]"));
  private static final List<Fixed> SUITE_CORPUS = List.of(
      // blamed on the base descriptor, without a line: the key is only in the override that makes it
      new Fixed("key 'opimizer': unknown key", "optimizer.name: \"frugal\"", "opimizer.name: \"frugal\""),
      // the rows' density, which SGD does not take, was named as a --set nobody typed
      new Fixed("key 'optimizer.params.density': sgd has no parameter", "optimizer.name: \"frugal\"", "optimizer.name: sgd"),
      // ignored
      new Fixed("a second YAML document starts here", "table: frugal-mlp.md", "table: frugal-mlp.md\n---\nseeds: [1]"),
      // named the suite, not its file
      new Fixed("select.folds = 1", "  - label: \"svd\"\n",
          "  - label: \"svd\"\n    select: {grid: {optimizer.params.lr: [0.01]}, folds: 1}\n"));

  private ExecutorService cli;
  private Path root;
  private final List<String> failures = new ArrayList<>();
  /** The files under the test's folder and the module's working folder as the last variant left them. */
  private Map<Path, String> rootFiles;
  private Map<Path, String> moduleFiles;

  @Test
  void everyVariantRunsOrIsRefusedWithItsFileLineAndKey(@TempDir Path tmp) throws Exception {
    long start = System.nanoTime();
    root = tmp;
    Path data = fakeFashionMnist(Files.createDirectories(root.resolve("data")), 64, 16);
    Path variants = Files.createDirectories(root.resolve("variants"));
    Path suites = Files.createDirectories(root.resolve("suite"));
    Path out = root.resolve("out");
    // A variant without data.options.dir reads the default folder: the fake data, never the real 60,000 images.
    String oldDir = System.setProperty(FashionMnist.DIR_PROPERTY, data.toString());
    cli = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzzed-cli");
      t.setDaemon(true); // a hung variant must not keep the JVM alive
      return t;
    });
    Random r = new Random(SEED);
    Map<Expect, Integer> expected = new TreeMap<>();
    try {
      Map<String, Object> quickstart = quickstart(data);
      rootFiles = snapshot(root);
      moduleFiles = snapshot(MODULE);
      for (int i = 0; i < QUICKSTART_VARIANTS; i++) {
        Mutator m = new Mutator(r, copy(quickstart), false, "q" + i, variants, out);
        Variant v = i < QUICKSTART_CORPUS.size() ? m.fixed(QUICKSTART_CORPUS.get(i)) : m.random();
        check(v, "run", v.file().toString(), "--no-progress", "--no-install", "--max-steps", "2");
        expected.merge(v.expect(), 1, Integer::sum);
      }
      Map<String, Object> base = copy(quickstart);
      put(base, "output.dir", json(out.resolve("suite-base").toString()));
      Files.writeString(suites.resolve("base.yaml"), emit(base));
      Map<String, Object> suite = suite();
      rootFiles = snapshot(root);
      for (int i = 0; i < SUITE_VARIANTS; i++) {
        Mutator m = new Mutator(r, copy(suite), true, "s" + i, suites, out);
        Variant v = i < SUITE_CORPUS.size() ? m.fixed(SUITE_CORPUS.get(i)) : m.random();
        // --table-only resolves and validates every cell's descriptor and writes the table, training nothing.
        check(v, "suite", v.file().toString(), "--table-only", "--no-install", "--set",
            "output.dir=" + v.outputDir());
        expected.merge(v.expect(), 1, Integer::sum);
      }
    } finally {
      cli.shutdownNow();
      if (oldDir == null) System.clearProperty(FashionMnist.DIR_PROPERTY);
      else System.setProperty(FashionMnist.DIR_PROPERTY, oldDir);
    }
    System.out.printf("descriptor fuzz: %d variants (%s) in %.1f s%n", QUICKSTART_VARIANTS + SUITE_VARIANTS, expected,
        (System.nanoTime() - start) / 1e9);
    assertTrue(failures.isEmpty(), report());
  }

  private String report() {
    return failures.isEmpty() ? "" : "\n" + failures.size() + " variants failed; the first:\n"
        + String.join("\n\n", failures.subList(0, Math.min(5, failures.size())));
  }

  /** Checks one variant; a failure is kept and the next variant runs, except after a hang, which ends the test. */
  private void check(Variant v, String... args) throws Exception {
    try {
      run(v, args);
    } catch (AssertionError e) {
      // the CLI's thread is stuck: no later variant can run; say what failed before
      if (e instanceof Hang) throw new Hang(e.getMessage() + report());
      failures.add(e.getMessage());
      rootFiles = snapshot(root);
      moduleFiles = snapshot(MODULE);
    }
  }

  /** A variant that did not finish in time; the CLI's thread is still busy, so no later variant can run. */
  static final class Hang extends AssertionError {
    Hang(String message) {
      super(message);
    }
  }

  /** Runs one variant and checks its exit code, its messages, its run folder, and that nothing else was written. */
  private void run(Variant v, String... args) throws Exception {
    Files.writeString(v.file(), v.text());
    CliTest.Result r = execute(v, args);
    // Nothing else writes here while the test runs: the state after this variant is the state before the next.
    Map<Path, String> rootBefore = new TreeMap<>(rootFiles);
    Map<Path, String> moduleBefore = moduleFiles;
    rootFiles = snapshot(root);
    moduleFiles = snapshot(MODULE);
    String shown = "\n" + v + "\n--- exit " + r.code() + ", stdout:\n" + r.out() + "--- stderr:\n" + r.err();
    assertTrue(!r.err().contains("\tat ") && !r.out().contains("\tat "), "a stack trace" + shown);
    assertTrue(r.code() == 0 || r.code() == 2, "exit code " + r.code() + ", allowed 0 or 2" + shown);
    if (v.expect() == Expect.RUN) assertEquals(0, r.code(), "only valid changes, yet refused" + shown);
    if (v.expect() == Expect.REFUSE) assertEquals(2, r.code(), "a change that must be refused, yet it ran" + shown);
    if (v.message() != null) assertTrue(r.err().contains(v.message()), "the message says '" + v.message() + "'" + shown);
    if (r.code() == 0) {
      assertRan(v, r, shown);
    } else {
      assertRefused(v, r, shown);
    }
    for (Path p : v.mustNotExist()) assertTrue(!Files.exists(p), p + " was written" + shown);
    Map<Path, String> rootAfter = new TreeMap<>(rootFiles);
    rootAfter.keySet().removeIf(p -> p.equals(v.file()) || p.startsWith(v.outputDir()));
    rootBefore.keySet().removeIf(p -> p.equals(v.file()) || p.startsWith(v.outputDir()));
    assertEquals(rootBefore, rootAfter, "files written outside the output folder " + v.outputDir() + shown);
    assertEquals(moduleBefore, moduleFiles, "files written in the working folder " + MODULE + shown);
  }

  /** Exit 0: the run folder (or, for a suite, its table) is in the variant's output folder. */
  private static void assertRan(Variant v, CliTest.Result r, String shown) throws IOException {
    if (v.id().startsWith("s")) {
      assertTrue(r.out().contains("|---|"), "a suite prints its table" + shown);
      Matcher m = Pattern.compile("table written to (.+)").matcher(r.out());
      if (m.find()) assertTrue(Path.of(m.group(1)).startsWith(v.outputDir()), "the table goes beside the runs" + shown);
      return;
    }
    List<Path> runs;
    try (Stream<Path> s = Files.list(v.outputDir())) {
      runs = s.toList();
    }
    assertEquals(1, runs.size(), "one run folder" + shown);
    for (String f : List.of("descriptor.yaml", "provenance.json", "summary.json")) {
      assertTrue(Files.isRegularFile(runs.get(0).resolve(f)), f + " in the run folder" + shown);
    }
    Map<?, ?> summary = DescriptorLoader.json().readValue(runs.get(0).resolve("summary.json").toFile(), Map.class);
    boolean stepLimit = "interrupted".equals(summary.get("status")) && "max_steps".equals(summary.get("stopped_by"));
    assertTrue(stepLimit || "completed".equals(summary.get("status")), "summary " + summary + shown);
  }

  /**
   * Exit 2: no run folder, and either a single line {@code losslab: ...} (for a suite, naming the suite file),
   * or a header with one line per problem, each naming the file, with the line and the key unless the file
   * has no such key (a section left out) or does not exist (a suite's base).
   */
  private static void assertRefused(Variant v, CliTest.Result r, String shown) throws IOException {
    boolean suite = v.id().startsWith("s");
    assertTrue(!Files.exists(v.outputDir()), "a refused variant made its output folder" + shown);
    List<String> lines = r.err().strip().lines().toList();
    assertTrue(!lines.isEmpty() && lines.get(0).startsWith("losslab: "), "a message starting 'losslab: '" + shown);
    boolean listed = lines.get(0).equals("losslab: the descriptor cannot be run:")
        || lines.get(0).equals("losslab: the suite cannot be run:");
    if (!listed) {
      assertEquals(1, lines.size(), "one line" + shown);
      if (suite) assertTrue(lines.get(0).contains(v.file().toString()), "the message names the suite file" + shown);
      return;
    }
    assertTrue(lines.size() > 1, "at least one problem" + shown);
    for (String line : lines.subList(1, lines.size())) {
      Matcher m = PROBLEM.matcher(line);
      assertTrue(m.matches(), "a problem line '" + line + "'" + shown);
      String where = m.group(1);
      // A suite's problem is in the suite file or in a descriptor it names, never in an override it makes.
      assertTrue(where.equals(v.file().toString()) || suite && where.startsWith(v.file().getParent() + "/"),
          "the problem names the file, '" + line + "'" + shown);
      if (m.group(2) == null) {
        Path file = Path.of(where);
        boolean absent = !Files.isRegularFile(file) || m.group(3) != null && !Pattern.compile(
            "(?m)^" + Pattern.quote(m.group(3).split("[.\\[]")[0]) + ":").matcher(Files.readString(file)).find();
        assertTrue(absent, "the problem names its line, '" + line + "'" + shown);
      }
    }
  }

  private CliTest.Result execute(Variant v, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      Future<Integer> f = cli.submit(() -> Main.execute(args));
      int code;
      try {
        code = f.get(VARIANT_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        throw new Hang("no result after " + VARIANT_TIMEOUT_S + " s:\n" + v);
      } catch (ExecutionException e) {
        throw new AssertionError("uncaught " + e.getCause() + ":\n" + v, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      return new CliTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Every file under {@code dir} (the module's build output aside) with its size and modification time. */
  private static Map<Path, String> snapshot(Path dir) throws IOException {
    Path target = dir.resolve("target");
    Map<Path, String> files = new TreeMap<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
        return d.equals(target) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        files.put(f, a.size() + "@" + a.lastModifiedTime());
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  // --- the variants ---

  /** The quickstart with its data replaced by the fake Fashion-MNIST (checksums off). */
  private static Map<String, Object> quickstart(Path data) throws IOException {
    Map<String, Object> q = read(Path.of("quickstart.yaml"));
    put(q, "data.options", new LinkedHashMap<>(Map.of("dir", json(data.toString()), "verify", "false")));
    return q;
  }

  /** A suite of the quickstart (frugal-mlp: 3 rows x 5 columns x 3 seeds), its base and table beside it. */
  private static Map<String, Object> suite() throws IOException {
    Map<String, Object> s = read(Path.of("suites/frugal-mlp.yaml"));
    s.put("base", "base.yaml");
    s.put("table", "frugal-mlp.md");
    return s;
  }

  /** Applies 1 to 3 seeded mutations to a tree and writes down what a run of the result must do. */
  private static final class Mutator {
    private final Random r;
    private final Map<String, Object> tree;
    private final boolean suite;
    private final List<String> log = new ArrayList<>();
    private final List<UnaryOperator<String>> textEdits = new ArrayList<>();
    private final List<Path> mustNotExist = new ArrayList<>();
    private final String id;
    private final Path dir;
    private final Path outputDir;

    Mutator(Random r, Map<String, Object> tree, boolean suite, String id, Path dir, Path out) {
      this.r = r;
      this.tree = tree;
      this.suite = suite;
      this.id = id;
      this.dir = dir;
      outputDir = out.resolve(id);
      if (!suite) put(tree, "output.dir", json(outputDir.toString()));
    }

    Variant fixed(Fixed f) {
      for (int i = 0; i < f.edits().length; i += 2) {
        String from = f.edits()[i];
        String to = f.edits()[i + 1];
        if (!suite) {
          set(from, to);
          continue;
        }
        log(from.strip() + " -> " + to.strip());
        textEdits.add(text -> {
          assertTrue(text.contains(from), "the suite has no '" + from + "'");
          return text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
        });
      }
      return variant(Expect.REFUSE, f.message());
    }

    Variant random() {
      List<Kind> kinds = new ArrayList<>();
      // A sixth of the variants make only valid changes, so many real runs are checked too.
      boolean validOnly = r.nextInt(6) == 0;
      for (int n = 1 + r.nextInt(3); n > 0; n--) kinds.add(validOnly ? Kind.VALID : kind());
      kinds.sort(Comparator.comparingInt(k -> k.order));
      for (Kind k : kinds) apply(k);
      return variant(kinds.stream().allMatch(k -> k == Kind.VALID) ? Expect.RUN
          : kinds.stream().anyMatch(k -> k.order > 0) ? Expect.REFUSE : Expect.EITHER, null);
    }

    private Variant variant(Expect expect, String message) {
      String text = emit(tree);
      for (UnaryOperator<String> e : textEdits) text = e.apply(text);
      return new Variant(id, dir.resolve(id + ".yaml"), outputDir, text, log, expect, mustNotExist, message);
    }

    private Kind kind() {
      List<Kind> weighted = new ArrayList<>();
      for (Kind k : Kind.values()) for (int i = 0; i < (suite ? k.suiteWeight : k.quickstartWeight); i++) weighted.add(k);
      return pick(weighted);
    }

    private void apply(Kind k) {
      switch (k) {
        case VALID -> valid();
        case DELETE -> {
          List<Object> p = pick(paths(tree, false));
          log("delete " + name(p));
          remove(tree, p);
        }
        case RETYPE -> {
          List<Object> p = pick(paths(tree, false));
          String v = pick(List.of("fuzz", "'42'", "[1, 2]", "{a: 1}", "true", "null", "~", "''", "3", "-2.5", "[]", "{}"));
          log("retype " + name(p) + " = " + v);
          setAt(tree, p, v);
        }
        case NUMBER -> number();
        case DATA -> data();
        case MEMORY -> memory();
        case UNKNOWN_KEY -> {
          List<List<Object>> maps = new ArrayList<>(paths(tree, true).stream().filter(p -> get(tree, p) instanceof Map).toList());
          maps.add(List.of());
          List<Object> p = pick(maps);
          String key = pick(List.of("bogus", "learning_rate", "epoch", "batchsize", "hidden_layers", "notes", "lr_schedule"));
          log("unknown key " + name(p) + (p.isEmpty() ? "" : ".") + key);
          @SuppressWarnings("unchecked")
          Map<String, Object> m = p.isEmpty() ? tree : (Map<String, Object>) get(tree, p);
          m.put(key, "1");
        }
        case MISSPELL -> {
          List<Object> p = pick(paths(tree, false).stream().filter(x -> x.get(x.size() - 1) instanceof String).toList());
          String key = (String) p.get(p.size() - 1);
          String typo = misspell(key);
          log("misspell " + name(p) + " as " + typo);
          rename(tree, p, typo);
        }
        case DUPLICATE -> {
          int pick = r.nextInt(1000);
          log("a key line given twice (" + pick + ")");
          textEdits.add(text -> duplicateLine(text, pick));
        }
        case SECOND_DOC -> {
          String doc = pick(List.of("---\nname: second\n", "--- {}\n", "--- 3\n", "---\ntraining:\n  epochs: 1\n"));
          log("a second document " + doc.replace('\n', '|'));
          textEdits.add(text -> text + doc);
        }
        case BAD_NAME -> badName();
        case ESCAPE -> {
          String dir = pick(List.of("../../", "../", "runs/../../", "./a/../../")) + "losslab-fuzz-" + id;
          log("output.dir = " + dir);
          put(tree, "output.dir", dir);
          mustNotExist.add(MODULE.resolve(dir).normalize());
        }
        case SUITE_RULE -> suiteRule();
        default -> throw new IllegalStateException(k.toString());
      }
    }

    private void valid() {
      if (suite) {
        switch (r.nextInt(6)) {
          case 0 -> set("seeds", pick(List.of("[7]", "[1, 2]", "[3, 1]")));
          case 1 -> removeCell("rows");
          case 2 -> removeCell("columns");
          case 3 -> set("set.training\\.epochs", pick(List.of("1", "2")));
          case 4 -> set("description", json("a fuzzed suite: " + id));
          default -> {
            // the whole section: the rows' optimizer.params.density is not an SGD parameter
            log("a column with SGD");
            List<Object> columns = cells("columns");
            columns.add(new LinkedHashMap<>(Map.of("label", json("SGD " + id + "." + columns.size()),
                "set", new LinkedHashMap<>(Map.of("optimizer", "{name: sgd, params: {lr: 0.05}}")))));
          }
        }
        return;
      }
      switch (r.nextInt(17)) {
        case 0 -> {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("name", pick(List.of("adam", "adamw", "sgd", "lion", "frugal")));
          o.put("params", new LinkedHashMap<>(Map.of("lr", pick(List.of("0.01", "0.003", "0.0001")))));
          log("optimizer = " + o);
          tree.put("optimizer", o);
        }
        case 1 -> set("loss.name", pick(List.of("cross-entropy", "ce", "mae", "gce", "mse", "ldr-kl", "z-loss", "sum-exp")));
        case 2 -> set("training.epochs", Integer.toString(1 + r.nextInt(4)));
        case 3 -> set("training.batch_size", pick(List.of("1", "7", "32", "64", "1000")));
        case 4 -> set("training.seed", Integer.toString(r.nextInt(Integer.MAX_VALUE)));
        case 5 -> set("model.hidden", pick(List.of("[]", "[8]", "[16, 8]", "[32]")));
        case 6 -> set("model.activation", pick(List.of("relu", "tanh", "sigmoid", "elu", "gelu")));
        case 7 -> {
          String s = pick(List.of("{type: constant}", "{type: cosine, warmup_epochs: 1}", "{type: step, step_epochs: 1, gamma: 0.5}",
              "{type: multistep, milestones: [1, 2]}"));
          set("schedule", s);
        }
        case 8 -> set("data.preprocess", pick(List.of("auto", "standardize", "minmax", "none")));
        case 9 -> set("data.validation_fraction", pick(List.of("0.25", "0.5")));
        case 10 -> set("evaluation.top_k", pick(List.of("[2]", "[3, 5]", "[]")));
        case 11 -> set("training.clip_norm", pick(List.of("1.0", "0")));
        case 12 -> set("name", pick(List.of("fuzz", "q." + id, "A_b-9")));
        case 13 -> set("model", pick(List.of("{type: cnn, channels: [4], kernel: 3}", "{type: cnn, channels: [2, 4], kernel: 5, hidden: [8]}",
            "{type: linear}", "{type: mlp, hidden: [16], batch_norm: true, dropout: 0.2}")));
        case 14 -> set("data.options.keep_classes", pick(List.of("'0,6'", "'3,1,2'")));
        case 15 -> set("data.options.train_fraction", pick(List.of("0.5", "0.1")));
        default -> {
          String edit = pick(List.of("---\n", "# a comment\n"));
          log("text starts with " + edit.strip());
          textEdits.add(text -> edit + text);
        }
      }
    }

    private void number() {
      List<String> ints = List.of("model.hidden", "training.epochs", "training.batch_size", "training.seed", "evaluation.top_k",
          "training.checkpoint_every", "training.checkpoint_every_steps", "model.kernel", "model.channels", "schedule.milestones",
          "data.options.cv_folds", "data.options.cv_fold", "evaluation.early_stopping.patience");
      List<String> reals = List.of("optimizer.params.lr", "optimizer.params.beta1", "optimizer.params.beta2", "optimizer.params.eps",
          "optimizer.params.weight_decay", "data.validation_fraction", "data.test_fraction", "model.dropout", "training.clip_norm",
          "training.checkpoint_minutes", "schedule.warmup_epochs", "schedule.min_lr", "schedule.step_epochs", "schedule.gamma",
          "data.noise.rate", "evaluation.early_stopping.min_delta", "data.options.train_fraction", "data.options.noise_rate");
      if (suite) {
        List<List<Object>> numeric = paths(tree, false).stream()
            .filter(p -> get(tree, p) instanceof String s && s.matches("\\[?[0-9.eE+-]+(,\\s*[0-9.eE+-]+)*]?")).toList();
        List<Object> p = pick(numeric);
        String v = pick(List.of("-1", "0", "1e400", ".nan", ".inf", "2147483648", "1.5", "100000000"));
        log("number " + name(p) + " = " + v);
        setAt(tree, p, ((String) get(tree, p)).startsWith("[") ? "[" + v + "]" : v);
        return;
      }
      boolean integer = r.nextBoolean();
      String key = pick(integer ? ints : reals);
      String v = pick(integer
          ? List.of("-1", "0", "-0", "1e400", ".nan", ".inf", "-.inf", "2147483648", "9223372036854775808", "100000000", "1000",
              "1.5", "2.0", "0x10", "+3")
          : key.endsWith(".lr") ? List.of("-1", "0", "-0.0", "1e400", "-1e400", ".nan", ".NaN", ".inf", "-.inf", "1e-320")
          : List.of("-1", "0", "-0.0", "1e400", "-1e400", ".nan", ".NaN", ".inf", "-.inf", "1e-320", "1", "2", "0.5"));
      if (List.of("model.hidden", "model.channels", "evaluation.top_k", "schedule.milestones").contains(key)) {
        v = pick(List.of("[" + v + "]", "[8, " + v + "]"));
      }
      set(key, v);
    }

    /** Other data, or data options that only the data set or the preparation can check. */
    private void data() {
      switch (r.nextInt(7)) {
        case 0 -> set("data", pick(List.of("{dataset: blobs, test_fraction: 0.25, options: {n: 200, dims: 5, classes: 4}}",
            "{dataset: moons, test_fraction: 0.25, options: {n: 100}}")));
        case 1 -> set("data.options.keep_classes", pick(List.of("'0,x'", "'0,12'", "[0, 6]", "'5'", "'5,5'", "''")));
        case 2 -> set("data.options.train_fraction", pick(List.of("1.0e-9", "0.01", "1")));
        case 3 -> {
          set("data.options.cv_folds", pick(List.of("2", "64", "65")));
          set("data.options.cv_fold", pick(List.of("1", "2", "3")));
        }
        case 4 -> {
          set("data.noise", "{type: pair, rate: 0.2}");
          set("data.options.noise_table", pick(List.of("garbage", "'1<->3,2->6'", "next", "'0<->25'")));
        }
        case 5 -> set("data.validation_fraction", pick(List.of("0.99", "0.01")));
        default -> set("data.test_fraction", "0.5");
      }
    }

    private void memory() {
      // an mlp's hidden layers: a linear model has none, so it would need no memory for them
      switch (r.nextInt(5)) {
        case 0 -> {
          set("model.type", "mlp");
          set("model.hidden", "[100000000]");
        }
        case 1 -> {
          set("model.type", "mlp");
          set("model.hidden", "[100000, 100000]");
        }
        case 2 -> {
          set("model.type", "cnn");
          set("model.channels", "[100000]");
        }
        default -> {
          String size = r.nextBoolean() ? "n: 100000000, dims: 1000000" : "n: 20000000, dims: 100";
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("dataset", "blobs");
          d.put("test_fraction", "0.2");
          d.put("options", "{" + size + ", classes: 10}");
          log("data = " + d);
          tree.put("data", d);
        }
      }
    }

    /** A registry or choice name that does not exist; in a suite, as a column's override. */
    private void badName() {
      String[][] names = {
          {"loss.name", "cross-entropi", "crossentropy", "focal", "''"},
          {"optimizer.name", "adamm", "Adam W", "rmsprop", "sgd-momentum"},
          {"data.dataset", "fashion_mnist", "mnist", "fashion-mnist2", "blobz"},
          {"model.activation", "rectifier", "tanhh", "sigmoid2"},
          {"model.type", "resnet", "perceptron", "MLP"},
          {"model.init", "glorot", "xavierr", "kaiming"},
          {"data.preprocess", "normalize", "zscore", "standardise"},
          {"training.precision", "float32", "half", "fp16"},
          {"schedule.type", "cosine-annealing", "linear", "onecycle"},
          {"data.noise", "{type: symmetric, rate: 0.2}", "{type: flip, rate: 0.1}"}};
      String[] n = names[r.nextInt(names.length)];
      String value = n[1 + r.nextInt(n.length - 1)];
      if (suite) cellSet(n[0], value);
      else set(n[0], value);
    }

    /** A suite-level mistake: seeds or labels given twice, a table or name leaving the project, a bad override. */
    private void suiteRule() {
      switch (r.nextInt(9)) {
        case 0 -> set("seeds", pick(List.of("[1, 1]", "[3, 2, 3]", "[]")));
        case 1 -> {
          List<Object> cells = cells(pick(List.of("rows", "columns")));
          if (cells.size() < 2) cells.add(new LinkedHashMap<>(Map.of("label", "twin", "set", "{}")));
          Map<String, Object> first = cell(cells, 0);
          Map<String, Object> last = cell(cells, cells.size() - 1);
          first.putIfAbsent("label", "twin");
          log("label " + first.get("label") + " twice");
          last.put("label", first.get("label"));
        }
        case 2 -> {
          String t = pick(List.of("../../results/fuzz-" + id + ".md", "/tmp/losslab-fuzz-" + id + ".md", "table-" + id + ".txt",
              "../fuzz-" + id + ".md"));
          set("table", json(t));
          mustNotExist.add(dir.resolve(t).normalize());
        }
        case 3 -> set("suite", pick(List.of("a/b", "../up", "''", ".hidden", json("x".repeat(100)))));
        case 4 -> set("base", pick(List.of("missing.yaml", "../quickstart.yaml", id + ".yaml")));
        case 5 -> cellSet("optimizer.params.density", pick(List.of("1.5", "-0.5", ".nan", "fuzz")));
        case 6 -> cellSet(pick(List.of("optimizer.params.densty", "training.epoch", "model.hiden", "optimizer.name")),
            pick(List.of("0.5", "frugall")));
        case 7 -> {
          Map<String, Object> cell = pickCell();
          log("select with one fold in " + cell.get("label"));
          cell.put("select", "{grid: {optimizer.params.lr: [0.01, 0.001]}, folds: 1}");
        }
        default -> {
          int rows = tree.get("rows") instanceof List<?> l ? l.size() : 0;
          String x = "[" + String.join(", ", java.util.Collections.nCopies(rows + 1, "1.0")) + "]";
          set("plot", "{file: p.png, x: " + x + ", y: final_test.accuracy}");
        }
      }
    }

    private void cellSet(String key, String value) {
      Map<String, Object> cell = pickCell();
      log("set " + key + " = " + value + " in " + cell.get("label"));
      Object set = cell.get("set");
      Map<String, Object> m = new LinkedHashMap<>();
      if (set instanceof Map<?, ?> old) old.forEach((k, v) -> m.put((String) k, v));
      m.put(key, value);
      cell.put("set", m);
    }

    /**
     * A column: its overrides come last, so a bad one reaches every cell of the column (a row's could be
     * replaced by a column that sets the whole section).
     */
    private Map<String, Object> pickCell() {
      List<Object> cells = cells("columns");
      if (cells.isEmpty()) cells.add(new LinkedHashMap<>(Map.of("label", "added")));
      return cell(cells, r.nextInt(cells.size()));
    }

    /** The i-th cell as a map (replacing what a previous mutation left there). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> cell(List<Object> cells, int i) {
      if (!(cells.get(i) instanceof Map<?, ?>)) cells.set(i, new LinkedHashMap<>(Map.of("label", json("cell " + i))));
      return (Map<String, Object>) cells.get(i);
    }

    /** The rows or columns as a list of cells (replacing what a previous mutation left there). */
    @SuppressWarnings("unchecked")
    private List<Object> cells(String key) {
      if (!(tree.get(key) instanceof List<?>)) tree.put(key, new ArrayList<>());
      return (List<Object>) tree.get(key);
    }

    private void removeCell(String key) {
      List<Object> cells = cells(key);
      if (cells.size() < 2) return;
      int i = r.nextInt(cells.size());
      log("remove " + key + "[" + i + "]");
      cells.remove(i);
      // the suite's paired comparison names a column: without that column the comparison goes too (still valid)
      Object baseline = tree.get("baseline");
      if (key.equals("columns") && baseline != null && cells.stream().noneMatch(c -> c instanceof Map<?, ?> m
          && unquote(String.valueOf(m.get("label"))).equals(unquote(String.valueOf(baseline))))) {
        tree.remove("baseline");
        log("remove baseline (its column is gone)");
      }
    }

    private static String unquote(String v) {
      return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private String misspell(String key) {
      for (;;) {
        int i = r.nextInt(key.length());
        String typo = switch (r.nextInt(5)) {
          case 0 -> key.length() > 2 ? key.substring(0, i) + key.substring(i + 1) : key + "s";
          case 1 -> key.substring(0, i) + key.charAt(i) + key.substring(i);
          case 2 -> i + 1 < key.length() ? key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2) : key + "_";
          case 3 -> key.contains("_") ? camel(key) : key.replace('.', '_');
          default -> Character.toUpperCase(key.charAt(0)) + key.substring(1);
        };
        if (!typo.equals(key)) return typo;
      }
    }

    /** Sets a dotted path ({@code \\.} for a dot inside a key), logging it; a flow map becomes a section later edits extend. */
    private void set(String path, String value) {
      log(path.replace("\\.", ".") + " = " + value);
      put(tree, path, value.startsWith("{") ? parse(value) : value);
    }

    private void log(String s) {
      log.add(s);
    }

    private <T> T pick(List<T> xs) {
      return xs.get(r.nextInt(xs.size()));
    }
  }

  private static String camel(String key) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  /** Inserts a copy of the {@code pick}-th "key: value" line right after it: the key twice in one mapping. */
  private static String duplicateLine(String text, int pick) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).matches("\\s*[A-Za-z_][\\w.]*: \\S.*")) candidates.add(i);
    if (candidates.isEmpty()) return text + "name: twice\nname: twice\n";
    int i = candidates.get(pick % candidates.size());
    lines.add(i + 1, lines.get(i));
    return String.join("\n", lines) + "\n";
  }

  // --- a YAML tree whose leaves are YAML text, so that any token (.nan, 1e400, ~, a flow map) can be planted ---

  private static Object parse(String yaml) {
    try {
      return toTree(DescriptorLoader.yaml().readValue(yaml, Map.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(yaml, e);
    }
  }

  private static Map<String, Object> read(Path file) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) toTree(DescriptorLoader.yaml().readValue(file.toFile(), Map.class));
    return m;
  }

  /** Maps stay maps, lists holding maps stay lists, anything else becomes its JSON text (valid YAML flow). */
  private static Object toTree(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> t = new LinkedHashMap<>();
      m.forEach((k, x) -> t.put(String.valueOf(k), toTree(x)));
      return t;
    }
    if (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map || x instanceof List)) {
      List<Object> t = new ArrayList<>();
      l.forEach(x -> t.add(toTree(x)));
      return t;
    }
    return json(v);
  }

  private static String json(Object v) {
    try {
      return DescriptorLoader.json().writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deep copy of a tree. */
  @SuppressWarnings("unchecked")
  private static <T> T copy(T node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put((String) k, copy(v)));
      return (T) c;
    }
    if (node instanceof List<?> l) {
      List<Object> c = new ArrayList<>();
      l.forEach(v -> c.add(copy(v)));
      return (T) c;
    }
    return node;
  }

  /** Block-style YAML of a tree. */
  private static String emit(Object node) {
    StringBuilder sb = new StringBuilder();
    emit(node, "", sb);
    return sb.toString();
  }

  private static void emit(Object node, String indent, StringBuilder sb) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        sb.append(indent).append(k).append(':');
        if (nested(v)) {
          sb.append('\n');
          emit(v, indent + "  ", sb);
        } else {
          sb.append(' ').append(leaf(v)).append('\n');
        }
      });
    } else {
      for (Object x : (List<?>) node) {
        if (x instanceof Map<?, ?> && nested(x)) {
          StringBuilder item = new StringBuilder();
          emit(x, indent + "  ", item);
          sb.append(indent).append("- ").append(item.substring(indent.length() + 2));
        } else if (nested(x)) {
          sb.append(indent).append("-\n");
          emit(x, indent + "  ", sb);
        } else {
          sb.append(indent).append("- ").append(leaf(x)).append('\n');
        }
      }
    }
  }

  private static boolean nested(Object v) {
    return v instanceof Map<?, ?> m && !m.isEmpty() || v instanceof List<?> l && !l.isEmpty();
  }

  private static String leaf(Object v) {
    return v instanceof Map ? "{}" : v instanceof List ? "[]" : (String) v;
  }

  /** Every path to a node (keys and list indices), or only those to maps and lists. */
  private static List<List<Object>> paths(Object node, boolean containersOnly) {
    List<List<Object>> out = new ArrayList<>();
    walk(node, new ArrayList<>(), out, containersOnly);
    // The output folder is the one place a variant may write: keep it pointing into the test's folder.
    out.removeIf(p -> p.get(0).equals("output"));
    return out;
  }

  private static void walk(Object node, List<Object> at, List<List<Object>> out, boolean containersOnly) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> visit(v, at, k, out, containersOnly));
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) visit(l.get(i), at, i, out, containersOnly);
    }
  }

  private static void visit(Object v, List<Object> at, Object step, List<List<Object>> out, boolean containersOnly) {
    List<Object> p = new ArrayList<>(at);
    p.add(step);
    if (!containersOnly || v instanceof Map || v instanceof List) out.add(p);
    walk(v, p, out, containersOnly);
  }

  private static String name(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object s : path) sb.append(s instanceof Integer i ? "[" + i + "]" : (sb.length() == 0 ? "" : ".") + s);
    return sb.toString();
  }

  private static Object get(Object node, List<Object> path) {
    for (Object s : path) node = node instanceof Map<?, ?> m ? m.get(s) : ((List<?>) node).get((Integer) s);
    return node;
  }

  @SuppressWarnings("unchecked")
  private static void setAt(Object root, List<Object> path, Object value) {
    Object parent = get(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (parent instanceof Map<?, ?> m) ((Map<Object, Object>) m).put(last, value);
    else ((List<Object>) parent).set((Integer) last, value);
  }

  private static void remove(Object root, List<Object> path) {
    Object parent = get(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (parent instanceof Map<?, ?> m) m.remove(last);
    else ((List<?>) parent).remove((int) (Integer) last);
  }

  /** Renames the key at {@code path}, keeping its place among its siblings. */
  @SuppressWarnings("unchecked")
  private static void rename(Object root, List<Object> path, String to) {
    Map<String, Object> parent = (Map<String, Object>) get(root, path.subList(0, path.size() - 1));
    Map<String, Object> renamed = new LinkedHashMap<>();
    parent.forEach((k, v) -> renamed.put(k.equals(path.get(path.size() - 1)) ? to : k, v));
    parent.clear();
    parent.putAll(renamed);
  }

  /** Puts a value at a dotted path ({@code \\.} escapes a dot inside a key), making sections on the way. */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, String dotted, Object value) {
    String[] parts = dotted.split("(?<!\\\\)\\.");
    Map<String, Object> m = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(m.get(parts[i]) instanceof Map)) m.put(parts[i], new LinkedHashMap<>());
      m = (Map<String, Object>) m.get(parts[i]);
    }
    m.put(parts[parts.length - 1].replace("\\.", "."), value);
  }

  // --- a tiny Fashion-MNIST (the datasets module's test helper, which this module cannot see) ---

  /** Gzip IDX files of n images (pixel i of image k = (k * 7 + i) mod 256) and labels k mod 10 per part. */
  private static Path fakeFashionMnist(Path dir, int nTrain, int nTest) throws IOException {
    for (String part : new String[] {"train", "t10k"}) {
      int n = part.equals("train") ? nTrain : nTest;
      byte[] px = new byte[n * 784];
      for (int i = 0; i < px.length; i++) px[i] = (byte) ((i / 784 * 7 + i % 784) % 256);
      byte[] labels = new byte[n];
      for (int k = 0; k < n; k++) labels[k] = (byte) (k % 10);
      writeIdx(dir.resolve(part + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, px);
      writeIdx(dir.resolve(part + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
    }
    return dir;
  }

  private static void writeIdx(Path file, int[] dims, byte[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) b.putInt(d);
    b.put(values);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(b.array());
    }
  }
}
