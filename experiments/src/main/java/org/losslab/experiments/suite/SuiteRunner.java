package org.losslab.experiments.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorException;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.descriptor.YamlLocations;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.experiments.run.RunDirectory;

/**
 * Runs a {@link SuiteSpec}: resolves and validates every cell's descriptor first (so a typo in the last
 * column fails before hours of training), then runs what has no finished run yet. Finished runs are found
 * by the hash of their resolved descriptor, so a suite can be interrupted, resumed or extended and its
 * table regenerated without re-running anything.
 */
public final class SuiteRunner {
  /** One run of the grid; {@code detail} names a cross-validation run's candidate and fold. */
  record Job(String row, String column, long seed, Descriptor descriptor, String hash, String detail) {}

  /** A grid value's runs: one per fold, and the run on all of train that reports it if it wins. */
  record Candidate(Map<String, Object> choice, List<Job> folds, Job full) {}

  /**
   * The runs behind one (row, column, seed): the reported run ({@code fixed}), or, for a cell with
   * cross-validation, the candidates to choose from.
   */
  record Group(Job fixed, SuiteSpec.Select select, List<Candidate> candidates) {
    int runCount() {
      return fixed != null ? 1 : candidates.stream().mapToInt(c -> c.folds().size()).sum() + 1;
    }

    /** The estimated cost of all its runs ({@link RunCost}), for spreading groups over shards. */
    double cost() {
      if (fixed != null) return RunCost.of(fixed.descriptor());
      double sum = 0;
      for (Candidate c : candidates) {
        for (Job f : c.folds()) sum += RunCost.of(f.descriptor());
        sum += RunCost.of(c.full().descriptor()) / candidates.size();   // one candidate's full run is run
      }
      return sum;
    }
  }

  /** A finished cross-validation: the winner and every candidate's mean metric over folds (grid order). */
  record Selection(Candidate chosen, List<Double> scores) {}

  private SuiteRunner() {}

  public static SuiteSpec read(Path file) {
    try (com.fasterxml.jackson.core.JsonParser p = DescriptorLoader.yaml().createParser(file.toFile())) {
      SuiteSpec s = DescriptorLoader.yaml().readValue(p, SuiteSpec.class);
      // Read alone, the first document would hide the rest of the file: one suite per file, as one descriptor.
      if (p.nextToken() != null) {
        throw new UserError(file + ":" + p.currentLocation().getLineNr()
            + ": a second YAML document starts here; a suite file holds exactly one");
      }
      return s;
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new UserError(file + (line > 0 ? ":" + line : "") + ": " + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", " "));
    } catch (IOException e) {
      throw new UserError("cannot read suite " + file + ": " + e.getMessage());
    }
  }

  /** Plans, runs what is missing (unless {@code tableOnly}) and writes the table; returns its text. */
  public static String run(Path file, boolean tableOnly, List<String> extraOverrides, java.io.PrintStream out) throws IOException {
    return run(file, tableOnly, new int[] {1, 1}, extraOverrides, false, out);
  }

  /**
   * As {@link #run(Path, boolean, List, java.io.PrintStream)}, running only the runs of shard {@code shard[0]} of
   * {@code shard[1]} in a {@link ShardPlan} by estimated cost (others are read if finished), each after claiming its
   * {@link Lease}, so that processes sharing the runs folder never run one twice. A finished run made by other code
   * (another {@link CodeFingerprint}) is stale: it is run again, unless {@code allowStale}, which reuses it and
   * keeps the table away from the suite's committed file.
   */
  public static String run(Path file, boolean tableOnly, int[] shard, List<String> extraOverrides, boolean allowStale,
                           java.io.PrintStream out) throws IOException {
    SuiteSpec s = read(file);
    if (s.suite() == null || s.base() == null || s.seeds() == null || s.seeds().isEmpty() || s.metrics() == null
        || s.metrics().isEmpty() || s.rows() == null || s.columns() == null) {
      throw new UserError(file + ": a suite needs suite, base, seeds, rows, columns and metrics");
    }
    SuiteValidator.validate(file, s);
    Path dir = file.toAbsolutePath().getParent();
    if (s.plot() != null) SuitePlot.check(file, s);
    Path base = dir.resolve(s.base());
    List<Group> groups = plan(file, s, base, extraOverrides);
    int total = groups.stream().mapToInt(Group::runCount).sum();
    out.printf("suite %s: %d cells x %d seeds = %d runs%s%n", s.suite(), s.rows().size() * s.columns().size(),
        s.seeds().size(), total, total > groups.size() ? " (with cross-validation)" : "");
    List<Job> jobs = new ArrayList<>();
    Map<Job, Map<String, Object>> results = new LinkedHashMap<>();
    Map<Group, Selection> selections = new LinkedHashMap<>();
    Tally done = new Tally();
    String[] argv = {"losslab", "suite", file.toString()};
    Cache cache = new Cache(allowStale);
    ShardPlan plan = ShardPlan.of(groups.stream().mapToDouble(Group::cost).toArray(), shard[1]);
    for (int index = 0; index < groups.size(); index++) {
      Group g = groups.get(index);
      // A cell-seed's fold runs and its final run stay in one shard: the final run needs the folds' results.
      boolean mine = !tableOnly && plan.shardOf(index) == shard[0] - 1;
      Job reported = g.fixed();
      if (g.select() != null) {
        Selection sel = select(g, mine, total, done, argv, cache, out);
        if (sel == null) continue;
        selections.put(g, sel);
        reported = sel.chosen().full();
      }
      jobs.add(reported);
      Map<String, Object> summary = obtain(reported, mine, total, done, argv, cache, out);
      if (summary != null) results.put(reported, summary);
    }
    // Runs left to another process (a live claim) may have finished while this one went on: look again.
    for (Job j : jobs) {
      if (!results.containsKey(j)) {
        Map<String, Object> summary = cache.finished(j);
        if (summary != null) results.put(j, summary);
      }
    }
    StringBuilder cmd = new StringBuilder("./losslab suite " + relative(file));
    // where the runs went is not part of the protocol: tables made in different run folders read the same
    extraOverrides.stream().filter(o -> !o.startsWith("output.")).forEach(o -> cmd.append(" --set ").append(o));
    String table = SuiteTable.markdown(s, jobs, results, cmd.toString()) + SuiteTable.selections(s, selections);
    // The suite file's table and plot (committed files) get only a complete table of the suite's own protocol,
    // assembled in one process; anything else goes beside the runs, so nothing clobbers a committed table.
    String why = whyNotCommitted(groups.size(), jobs, results, extraOverrides, shard, tableOnly);
    if (!cache.stale.isEmpty()) {
      out.println(cache.staleCells().size() + " finished run(s) were made by other code (their code fingerprint differs): "
          + (allowStale ? "used anyway (--allow-stale)" : "not reused") + "; cells: " + String.join(", ", cache.staleCells()));
      if (why == null && allowStale) why = "it uses stale runs (--allow-stale)";
    }
    Path runs = Path.of(anyJob(groups).descriptor().output().dir());
    if (why != null && (s.table() != null || s.plot() != null)) {
      out.println("the suite's own table and plot are left as they are: " + why);
    }
    if (s.table() != null) {
      Path t = why == null ? dir.resolve(s.table()) : runs.resolve(s.suite() + "-table.md");
      Files.createDirectories(t.toAbsolutePath().getParent());
      Files.writeString(t, table);
      Path csv = t.resolveSibling(why == null ? SuiteTable.csvName(s) : s.suite() + "-table.csv");
      Files.writeString(csv, SuiteTable.csv(s, jobs, results));
      out.println("table written to " + t + " (per-seed values: " + csv.getFileName() + ")");
    }
    if (s.plot() != null) {
      Path png = why == null ? dir.resolve(s.plot().file()) : runs.resolve(s.suite() + "-plot.png");
      SuitePlot.write(s, jobs, results, png);
      out.println("plot written to " + png);
    }
    return table;
  }

  /** Why this table may not go to the suite's committed table file, or null when it may. */
  /**
   * The finished runs of one cell of a suite, one per seed, by the code running now: what a command that reads
   * trained networks ({@code prune --suite}) takes. Fails with what to run when a cell is unknown or unfinished.
   *
   * @param extraOverrides the {@code --set} overrides the suite was run with
   */
  public static List<Path> finishedRuns(Path file, String row, String column, List<String> extraOverrides) throws IOException {
    SuiteSpec s = read(file);
    SuiteValidator.validate(file, s);
    Path base = file.toAbsolutePath().getParent().resolve(s.base());
    Cache cache = new Cache(false);
    List<Path> out = new ArrayList<>();
    boolean known = false;
    for (Group g : plan(file, s, base, extraOverrides)) {
      Job j = g.fixed();
      if (j == null || !j.row().equals(row) || !j.column().equals(column)) continue;
      known = true;
      Cache.Finished f = cache.finishedRun(j);
      if (f == null) {
        throw new UserError("suite " + s.suite() + ": cell '" + row + " | " + column + "' has no finished run for seed " + j.seed()
            + " by this code; run the suite first: ./losslab suite " + file);
      }
      out.add(f.dir());
    }
    if (!known) {
      throw new UserError("suite " + s.suite() + " has no cell '" + row + " | " + column + "' (without cross-validation); rows: "
          + s.rows().stream().map(SuiteSpec.Cell::label).toList() + ", columns: " + s.columns().stream().map(SuiteSpec.Cell::label).toList());
    }
    return out;
  }

  static String whyNotCommitted(int cells, List<Job> jobs, Map<Job, Map<String, Object>> results, List<String> overrides,
                                int[] shard, boolean tableOnly) {
    long finished = jobs.stream().filter(results::containsKey).count();
    if (finished < cells) {
      return (cells - finished) + " of " + cells + " cell-seeds have no finished run yet (run the suite, or its missing "
          + "shards, then --table-only)";
    }
    List<String> protocol = overrides.stream().filter(o -> !o.startsWith("output.")).toList();
    if (!protocol.isEmpty()) return "--set " + String.join(" --set ", protocol) + " changes the suite's protocol";
    if (shard[1] > 1 && !tableOnly) return "a shard writes its runs; --table-only assembles the table";
    return null;
  }

  private static Job anyJob(List<Group> groups) {
    Group g = groups.get(0);
    return g.fixed() != null ? g.fixed() : g.candidates().get(0).full();
  }

  /** The finished run's summary, or (when {@code mine}) the summary of running it now, or null. */
  private static Map<String, Object> obtain(Job j, boolean mine, int total, Tally done, String[] argv, Cache cache,
                                            java.io.PrintStream out) throws IOException {
    Map<String, Object> summary = cache.finished(j);
    if (summary == null && mine) {
      // Processes sharing the runs folder (shards, copies of the same suite, array tasks on other machines) claim
      // each run first, so that it runs once; a claim whose holder died expires and is taken over.
      try (Lease lease = Lease.claim(leases(j), j.hash(), Lease.ttl())) {
        if (lease == null) {
          done.count++;
          out.printf("[-] %s | %s | seed %d%s: running in another process (%s), left to it%n", j.row(), j.column(), j.seed(),
              j.detail().isEmpty() ? "" : " | " + j.detail(), Lease.holderOf(Lease.file(leases(j), j.hash())));
          return null;
        }
        summary = cache.finished(j);   // it may have finished between the first look and the claim
        if (summary != null) {
          done.count++;
          return summary;
        }
        out.printf("[%d/%d] %s | %s | seed %d%s%s%n", ++done.count, total, j.row(), j.column(), j.seed(),
            j.detail().isEmpty() ? "" : " | " + j.detail(), done.eta(total));
        long t0 = System.nanoTime();
        Path unfinished = ExperimentRunner.findUnfinished(j.descriptor());
        var opts = ExperimentRunner.Options.quiet(List.of(argv));
        if (unfinished != null && sameCode(unfinished, j)) {
          out.println("  resuming the unfinished run in " + relative(unfinished));
          summary = ExperimentRunner.resume(unfinished, opts, false).summary();
        } else {
          summary = ExperimentRunner.run(j.descriptor(), opts).summary();
        }
        done.ran(System.nanoTime() - t0);
        releaseMemory();
      }
    } else {
      done.count++;
    }
    return summary;
  }

  /** A suite's name, its runs folder (absolute) and how many runs it has, without running anything. */
  public record Planned(String suite, Path runs, int runCount) {}

  public static Planned planned(Path file, List<String> extraOverrides) {
    SuiteSpec s = read(file);
    SuiteValidator.validate(file, s);
    List<Group> groups = plan(file, s, file.toAbsolutePath().getParent().resolve(s.base()), extraOverrides);
    return new Planned(s.suite(), Path.of(anyJob(groups).descriptor().output().dir()).toAbsolutePath(),
        groups.stream().mapToInt(Group::runCount).sum());
  }

  /** Where a run of a suite stands, for {@code suite --status}. */
  public enum State { DONE, RUNNING, FAILED, INTERRUPTED, MISSING }

  /**
   * Prints each run of the suite with its state: done (finished by this code), running (a live claim, with its
   * holder), failed or interrupted (its newest run folder's summary says so; an interrupted one resumes from its
   * checkpoint), or missing; then the counts. Returns the counts by state.
   */
  public static Map<State, Integer> status(Path file, List<String> extraOverrides, java.io.PrintStream out) throws IOException {
    SuiteSpec s = read(file);
    SuiteValidator.validate(file, s);
    List<Group> groups = plan(file, s, file.toAbsolutePath().getParent().resolve(s.base()), extraOverrides);
    Cache cache = new Cache(false);
    Map<State, Integer> counts = new java.util.EnumMap<>(State.class);
    for (State st : State.values()) counts.put(st, 0);
    for (Group g : groups) {
      List<Job> runs = new ArrayList<>();
      if (g.fixed() != null) runs.add(g.fixed());
      else for (Candidate c : g.candidates()) runs.addAll(c.folds());
      for (Job j : runs) {
        String detail = "";
        State st;
        if (cache.finished(j) != null) {
          st = State.DONE;
        } else if (Lease.live(Lease.file(leases(j), j.hash()), Lease.ttl())) {
          st = State.RUNNING;
          detail = Lease.holderOf(Lease.file(leases(j), j.hash()));
        } else {
          Map<String, Object> last = newestSummary(j);
          Object status = last == null ? null : last.get("status");
          if ("failed".equals(status)) {
            st = State.FAILED;
            detail = String.valueOf(last.get("message"));
          } else if (last != null && "interrupted".equals(status) || last == null && ExperimentRunner.findUnfinished(j.descriptor()) != null) {
            st = State.INTERRUPTED;
            detail = "resumes from its checkpoint";
          } else {
            st = State.MISSING;
          }
        }
        counts.merge(st, 1, Integer::sum);
        out.printf("  %-11s %s | %s | seed %d%s%s%n", st.name().toLowerCase(java.util.Locale.ROOT), j.row(), j.column(),
            j.seed(), j.detail().isEmpty() ? "" : " | " + j.detail(), detail.isEmpty() ? "" : "  (" + detail + ")");
      }
    }
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    out.printf("suite %s: %d runs: %d done, %d running, %d failed, %d interrupted, %d missing%s%n", s.suite(), total,
        counts.get(State.DONE), counts.get(State.RUNNING), counts.get(State.FAILED), counts.get(State.INTERRUPTED),
        counts.get(State.MISSING), groups.stream().anyMatch(g -> g.fixed() == null)
            ? " (cross-validated cells: their fold runs; each cell's final run follows its folds)" : "");
    return counts;
  }

  /** The summary in the newest run folder of this job's descriptor, or null (no folder, or none with a summary). */
  private static Map<String, Object> newestSummary(Job j) throws IOException {
    List<Summarised> runs = summarisedRuns(j);
    return runs.isEmpty() ? null : runs.get(runs.size() - 1).summary();
  }

  /** A run folder of a job with its provenance and summary. */
  record Summarised(Path dir, Map<String, Object> provenance, Map<String, Object> summary) {}

  /**
   * The job's run folders that have a summary, oldest first (folder names start with their time): those whose name
   * ends in the descriptor hash's prefix and whose provenance has the whole hash.
   */
  @SuppressWarnings("unchecked")
  static List<Summarised> summarisedRuns(Job j) throws IOException {
    Path root = Path.of(j.descriptor().output().dir());
    if (!Files.isDirectory(root)) return List.of();
    List<Path> candidates;
    try (Stream<Path> st = Files.list(root)) {
      candidates = st.filter(p -> p.getFileName().toString().endsWith("-" + j.hash().substring(0, 6))).sorted().toList();
    }
    List<Summarised> out = new ArrayList<>();
    for (Path p : candidates) {
      Path f = p.resolve(RunDirectory.SUMMARY);
      Path prov = p.resolve("provenance.json");
      if (!Files.exists(f) || !Files.exists(prov)) continue;
      Map<String, Object> pv = DescriptorLoader.json().readValue(prov.toFile(), Map.class);
      if (!j.hash().equals(pv.get("descriptor_sha256"))) continue; // another descriptor with the same prefix
      out.add(new Summarised(p, pv, DescriptorLoader.json().readValue(f.toFile(), Map.class)));
    }
    return out;
  }

  /** Where the claims on a job's runs live: beside the runs, in the shared runs folder. */
  static Path leases(Job j) {
    return Path.of(j.descriptor().output().dir()).resolve(".leases");
  }

  /**
   * Runs (or reads) every fold of every candidate and picks the best mean metric; null while some fold
   * has no result (another shard's, or {@code --table-only}).
   */
  private static Selection select(Group g, boolean mine, int total, Tally done, String[] argv, Cache cache,
                                  java.io.PrintStream out) throws IOException {
    List<Double> scores = new ArrayList<>();
    boolean complete = true;
    for (Candidate c : g.candidates()) {
      double sum = 0;
      for (Job f : c.folds()) {
        Map<String, Object> summary = obtain(f, mine, total, done, argv, cache, out);
        if (summary == null) {
          complete = false;
          continue;
        }
        Double v = metric(summary, g.select().metricPath());
        // A diverged fold (no final metric) rules its candidate out.
        sum += v == null || v.isNaN() ? Double.NEGATIVE_INFINITY : v;
      }
      scores.add(sum / c.folds().size());
    }
    if (!complete) {
      done.count++; // the final run, not reachable yet
      return null;
    }
    int best = 0;
    for (int i = 1; i < scores.size(); i++) if (scores.get(i) > scores.get(best)) best = i;
    return new Selection(g.candidates().get(best), scores);
  }

  /**
   * Frees what the finished run left off-heap. ND4J arrays live outside the Java heap and go only when the
   * garbage collector finalizes their small heap handles, which a suite's light heap use rarely triggers:
   * without this, a suite of Fashion-MNIST runs grew past 11 GB in one JVM and was killed.
   */
  static void releaseMemory() {
    org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    System.gc();
    org.nd4j.linalg.factory.Nd4j.getMemoryManager().invokeGc();
  }

  static List<Group> plan(Path file, SuiteSpec s, Path base, List<String> extra) {
    Lines lines = Lines.of(file);
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < s.rows().size(); i++) {
      SuiteSpec.Cell row = s.rows().get(i);
      for (int j = 0; j < s.columns().size(); j++) {
        SuiteSpec.Cell col = s.columns().get(j);
        String selAt = row.select() != null ? "rows[" + i + "].select" : "columns[" + j + "].select";
        if (row.select() != null && col.select() != null) {
          throw new UserError(lines.at(selAt) + ": row '" + row.label() + "' and column '" + col.label()
              + "' both have select; give cross-validation grids to rows or to columns, not both");
        }
        SuiteSpec.Select sel = row.select() != null ? row.select() : col.select();
        Map<String, String> at = new HashMap<>(); // this cell's overrides -> where the suite file has them
        for (int n = 0; n < s.seeds().size(); n++) {
          long seed = s.seeds().get(n);
          List<String> o = new ArrayList<>();
          addAll(o, s.set(), "set", lines, at);
          addAll(o, row.set(), "rows[" + i + "].set", lines, at);
          addAll(o, col.set(), "columns[" + j + "].set", lines, at);
          o.add(lines.note(at, "training.seed=" + seed, "seeds[" + n + "]"));
          o.add(lines.note(at, "output.dir=runs/suites/" + s.suite(), "suite"));
          extra.forEach(x -> at.remove("--set " + x)); // the user's own --set stays one
          if (sel == null) {
            o.addAll(extra);
            groups.add(new Group(job(base, row, col, seed, o, "", at), null, List.of()));
            continue;
          }
          checkSelect(sel, lines, selAt);
          List<Candidate> candidates = new ArrayList<>();
          for (Map<String, Object> choice : grid(sel.grid())) {
            List<String> co = new ArrayList<>(o);
            addAll(co, choice, selAt + ".grid", lines, at);
            List<Job> folds = new ArrayList<>();
            for (int k = 1; k <= sel.foldCount(); k++) {
              List<String> fo = new ArrayList<>(co);
              fo.add(lines.note(at, "data.options.cv_folds=" + sel.foldCount(), selAt + ".folds"));
              fo.add(lines.note(at, "data.options.cv_fold=" + k, selAt + ".folds"));
              fo.addAll(extra);
              folds.add(job(base, row, col, seed, fo, label(choice) + " | fold " + k + "/" + sel.foldCount(), at));
            }
            co.addAll(extra);
            candidates.add(new Candidate(choice, folds, job(base, row, col, seed, co, label(choice) + " | chosen", at)));
          }
          groups.add(new Group(null, sel, candidates));
        }
      }
    }
    return groups;
  }

  /** {@code at}: where the suite file has each override, which a problem with it then names instead of a --set. */
  private static Job job(Path base, SuiteSpec.Cell row, SuiteSpec.Cell col, long seed, List<String> overrides,
                         String detail, Map<String, String> at) {
    Descriptor d;
    try {
      d = DescriptorLoader.load(base, overrides);
    } catch (DescriptorException e) {
      throw new DescriptorException(e.problems().stream()
          .map(p -> new DescriptorException.Problem(at.getOrDefault(p.where(), p.where()), p.key(), p.message())).toList());
    }
    return new Job(row.label(), col.label(), seed, d, ExperimentRunner.hash(d), detail);
  }

  /** The suite file's key paths and lines, to say where an override of a job is written. */
  private record Lines(Path file, YamlLocations loc) {
    static Lines of(Path file) {
      try {
        return new Lines(file, YamlLocations.of(Files.readString(file)));
      } catch (IOException e) {
        throw new UserError("cannot read suite " + file + ": " + e.getMessage());
      }
    }

    /** The file and line of a key path, with the key: {@code s.yaml:12: key 'rows[0].select'}. */
    String at(String key) {
      int line = loc.line(key);
      return file + (line > 0 ? ":" + line : "") + ": key '" + key + "'";
    }

    /** Records that {@code override} comes from {@code key} of the suite file; returns the override. */
    String note(Map<String, String> at, String override, String key) {
      int line = loc.line(key);
      at.put("--set " + override, file + (line > 0 ? ":" + line : ""));
      return override;
    }
  }

  private static void checkSelect(SuiteSpec.Select sel, Lines lines, String at) {
    if (sel.grid() == null || sel.grid().isEmpty() || sel.grid().values().stream().anyMatch(v -> v == null || v.isEmpty())) {
      throw new UserError(lines.at(at + ".grid") + ": select needs a grid of at least one key with a non-empty list of values");
    }
    if (sel.foldCount() < 2) {
      throw new UserError(lines.at(at + ".folds") + ": select.folds = " + sel.foldCount() + "; allowed: 2 or more");
    }
  }

  /** Every combination of the grid's values, keys in the grid's order, the first key varying slowest. */
  static List<Map<String, Object>> grid(Map<String, List<Object>> grid) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        for (Object v : e.getValue()) {
          Map<String, Object> m = new LinkedHashMap<>(partial);
          m.put(e.getKey(), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /** {@code q=0.7} for {@code loss.params.q: 0.7}: the last part of each key. */
  static String label(Map<String, Object> choice) {
    List<String> parts = new ArrayList<>();
    choice.forEach((k, v) -> parts.add(k.substring(k.lastIndexOf('.') + 1) + "=" + v));
    return String.join(", ", parts);
  }

  private static void addAll(List<String> out, Map<String, Object> set, String key, Lines lines, Map<String, String> at) {
    if (set == null) return;
    set.forEach((k, v) -> {
      try {
        out.add(lines.note(at, k + "=" + DescriptorLoader.json().writeValueAsString(v), key + "." + k));
      } catch (JsonProcessingException e) {
        throw new UserError("cannot use the value of " + k + ": " + e.getMessage());
      }
    });
  }

  /**
   * Finds finished runs: a run folder counts for a job when its provenance has the job's full descriptor hash
   * and the current code's fingerprint; one with the hash but another fingerprint is stale.
   */
  static final class Cache {
    final boolean allowStale;
    final List<Job> stale = new ArrayList<>();

    Cache(boolean allowStale) {
      this.allowStale = allowStale;
    }

    /**
     * The summary of a finished run of this job, or null. Finished means completed, or diverged: the code is
     * the same (the fingerprint says so) and runs are deterministic, so a rerun would diverge at the same step,
     * and the table counts it as diverged. An interrupted or failed run, or a folder without a summary, is not
     * finished: {@link #obtain} resumes it from its checkpoint or runs it again.
     */
    Map<String, Object> finished(Job j) throws IOException {
      Finished f = finishedRun(j);
      return f == null ? null : f.summary();
    }

    /** A finished run of a job: its folder and summary. */
    record Finished(Path dir, Map<String, Object> summary) {}

    /** As {@link #finished}, with the run's folder. */
    Finished finishedRun(Job j) throws IOException {
      String code = null;
      Finished staleRun = null;
      for (Summarised r : summarisedRuns(j)) {
        Object status = r.summary().get("status");
        if (!ExperimentRunner.COMPLETED.equals(status) && !ExperimentRunner.DIVERGED.equals(status)) continue;
        if (code == null) code = org.losslab.experiments.run.CodeFingerprint.of(j.descriptor());
        if (code.equals(r.provenance().get("code_fingerprint"))) return new Finished(r.dir(), r.summary());
        staleRun = new Finished(r.dir(), r.summary());
      }
      if (staleRun == null) return null;
      stale.add(j);
      return allowStale ? staleRun : null;
    }

    List<String> staleCells() {
      return stale.stream().map(j -> j.row() + " | " + j.column() + " | seed " + j.seed()).distinct().toList();
    }
  }

  /** How far a suite is: runs done (run now or found finished), and the time the ones run now took, for an estimate. */
  static final class Tally {
    int count;
    private int ran;
    private long ranNanos;

    void ran(long nanos) {
      ran++;
      ranNanos += nanos;
    }

    /** " (about 12m left)" from the mean time of the runs made so far, over the runs not done yet; "" before the first. */
    String eta(int total) {
      if (ran == 0) return "";
      double left = ranNanos / 1e9 / ran * (total - count + 1);
      long m = Math.round(left / 60);
      return left < 60 ? String.format(Locale.ROOT, "  (about %.0f s left)", left)
          : m < 120 ? "  (about " + m + " min left)" : String.format(Locale.ROOT, "  (about %.1f h left)", left / 3600);
    }
  }

  /** Whether an unfinished run's checkpoint was written by the code running now (else it is run again). */
  private static boolean sameCode(Path run, Job j) {
    Map<String, String> meta = org.losslab.training.Checkpoint.meta(run.resolve("checkpoint"));
    return org.losslab.experiments.run.CodeFingerprint.of(j.descriptor()).equals(meta.get("code_fingerprint"));
  }

  private static String relative(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = file.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /**
   * Reads a dotted path ({@code final_test.accuracy}) out of a summary. Keys may hold dots themselves (an attack
   * labelled {@code pgd20-0.1} gives {@code final_test_robust.pgd20-0.1}): at each level the longest key that
   * matches the rest of the path wins.
   */
  static Double metric(Map<String, Object> summary, String path) {
    Object cur = summary;
    String rest = path;
    while (!rest.isEmpty()) {
      if (!(cur instanceof Map<?, ?> m)) return null;
      String key = null;
      for (int end = rest.length(); end > 0 && key == null; end = rest.lastIndexOf('.', end - 1)) {
        if (m.containsKey(rest.substring(0, end))) key = rest.substring(0, end);
      }
      if (key == null) return null;
      cur = m.get(key);
      rest = key.length() == rest.length() ? "" : rest.substring(key.length() + 1);
    }
    return cur instanceof Number n ? n.doubleValue() : null;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
