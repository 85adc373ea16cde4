package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.losslab.experiments.run.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab runs [DIR]}: the runs in a folder, newest last, with their status and key metrics. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "List runs (suites' included): when, status, epochs, test accuracy, wall time, descriptor hash, folder.")
final class RunsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", arity = "0..1", description = "the runs folder (default: runs)")
  Path root = Path.of("runs");

  @Option(names = "--status", paramLabel = "S",
      description = "only runs with this status: completed, diverged, interrupted, failed, unfinished")
  String status;

  @Option(names = "--name", paramLabel = "TEXT", description = "only runs whose descriptor name contains TEXT")
  String name;

  @Option(names = "--hash", paramLabel = "PREFIX", description = "only runs whose descriptor hash starts with PREFIX")
  String hash;

  @Option(names = "--since", paramLabel = "DATE", description = "only runs started on or after DATE (YYYY-MM-DD)")
  String since;

  @Option(names = "--last", paramLabel = "N", description = "only the N newest of the runs that pass the filters")
  Integer last;

  @Override
  public Integer call() {
    List<String> statuses = List.of("completed", "diverged", "interrupted", "failed", RunRecord.UNFINISHED, RunRecord.RUNNING);
    if (status != null && !statuses.contains(status)) {
      throw new UserError("--status " + status + " is not a run status; allowed: " + String.join(", ", statuses));
    }
    if (since != null && !since.matches("\\d{4}-\\d{2}-\\d{2}")) throw new UserError("--since takes a date YYYY-MM-DD, got " + since);
    if (last != null && last < 1) throw new UserError("--last must be >= 1, got " + last);
    if (hash != null && !hash.matches("[0-9a-f]+")) throw new UserError("--hash takes a hex prefix of a descriptor hash, got " + hash);
    List<RunRecord> runs = RunRecord.scan(root).stream()
        .filter(r -> status == null || r.status().equals(status))
        .filter(r -> name == null || r.name().toLowerCase(java.util.Locale.ROOT).contains(name.toLowerCase(java.util.Locale.ROOT)))
        .filter(r -> hash == null || r.hash().startsWith(hash))
        .filter(r -> since == null || r.started().compareTo(since) >= 0)
        .toList();
    if (last != null && runs.size() > last) runs = runs.subList(runs.size() - last, runs.size());
    System.out.printf("%-20s %-12s %6s %8s %8s  %-8s %s%n", "started (UTC)", "status", "epochs", "test_acc", "wall_s", "hash", "run");
    for (RunRecord r : runs) {
      String started = r.started().length() >= 19 ? r.started().substring(0, 19).replace('T', ' ') : r.started();
      String st = r.status() + (r.resumable() ? "*" : "");
      System.out.printf(Locale.ROOT, "%-20s %-12s %6s %8s %8s  %-8s %s%n", started, st, num(r.metric("epochs_run"), "%d"),
          num(r.metric("final_test.accuracy"), "%.4f"), num(r.metric("wall_seconds"), "%.1f"),
          r.hash().length() >= 8 ? r.hash().substring(0, 8) : r.hash(), r.dir());
    }
    System.out.println(runs.size() + " run(s)" + (runs.stream().anyMatch(RunRecord::resumable) ? "; * = resumable with ./losslab resume RUN" : ""));
    return 0;
  }

  static String num(Object v, String fmt) {
    if (!(v instanceof Number n)) return "-";
    return fmt.equals("%d") ? Long.toString(n.longValue()) : String.format(Locale.ROOT, fmt, n.doubleValue());
  }
}
