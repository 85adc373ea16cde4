package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.experiments.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab suite SUITE}: a grid of runs over seeds, summarised as a markdown table. */
@Command(name = "suite", mixinStandardHelpOptions = true, description = "Run a suite (a grid of descriptor overrides x seeds) and write its table. "
    + "Finished runs are reused, so an interrupted suite continues where it stopped.")
final class SuiteCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SUITE", description = "a suite YAML file, e.g. experiments/suites/ldr-noise-letter.yaml")
  Path suite;

  @Option(names = "--table-only", description = "Write the table from the runs already finished; run nothing.")
  boolean tableOnly;

  @Option(names = "--status", description = "Show each run's state (done, running, failed, interrupted, missing) and "
      + "the counts; run nothing. Exit 0 when every run is done, 1 otherwise.")
  boolean status;

  @Option(names = "--shard", paramLabel = "K/N|auto", description = "Run only shard K of N (1-based), so N processes "
      + "can share a suite: runs are spread over shards by their estimated cost (epochs x training share x passes per "
      + "step); finished runs are shared through the runs folder. 'auto' takes K and N from a Slurm job array "
      + "(SLURM_ARRAY_TASK_ID, _MIN, _COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count). "
      + "Afterwards, --table-only assembles the whole table.")
  String shard;

  @Option(names = "--submit", paramLabel = "SCHEDULER", description = "Submit the suite to a cluster scheduler instead "
      + "of running it here: 'slurm' writes RUNS/slurm/SUITE-shards.sbatch (a job array, one task per shard, each "
      + "with --shard auto) and SUITE-assemble.sbatch (the table, after every task), submits both and prints the job ids.")
  String submit;

  @Option(names = "--shards", paramLabel = "N", description = "--submit: the number of array tasks (default: ${DEFAULT-VALUE}, at most one per run)")
  int shards = 8;

  @Option(names = "--partition", description = "--submit: the Slurm partition") String partition;

  @Option(names = "--time", description = "--submit: each task's time limit, e.g. 02:00:00") String time;

  @Option(names = "--cpus", description = "--submit: CPUs per task") Integer cpus;

  @Option(names = "--mem", description = "--submit: memory per task, e.g. 8G (losslab's launcher takes a 4 GB heap and up to 12 GB native)")
  String mem;

  @Option(names = "--gpus", description = "--submit: GPUs per task") String gpus;

  @Option(names = "--max-parallel", description = "--submit: at most this many tasks at once (the array's %%N)") Integer maxParallel;

  @Option(names = "--sbatch-option", paramLabel = "OPT", description = "--submit: an extra sbatch option, e.g. --account=abc (repeatable)")
  List<String> sbatchOptions = new ArrayList<>();

  @Option(names = "--shard-count", paramLabel = "N", description = "With --shard auto outside Slurm: the number of "
      + "shards (a Kubernetes Indexed Job's completions).")
  Integer shardCount;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An override for every run of the suite (e.g. training.epochs=1 for a smoke test).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--allow-stale", description = "Reuse finished runs made by other code (a different code "
      + "fingerprint in their provenance) instead of running them again; the table then goes beside the runs, "
      + "not to the suite's committed table file.")
  boolean allowStale;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    if (submit != null) {
      if (!submit.equals("slurm")) throw new UserError("--submit " + submit + " is not known; allowed: slurm");
      if (shard != null || tableOnly || status) throw new UserError("--submit runs every shard and the table itself: "
          + "leave out --shard, --table-only and --status");
      List<String> flags = allowStale ? List.of("--allow-stale") : List.of();
      return SlurmSubmit.submit(suite, overrides, flags, new SlurmSubmit.Options(shards, partition, time, cpus, mem, gpus,
          maxParallel, sbatchOptions), System.out);
    }
    if (status) {
      var counts = SuiteRunner.status(suite, overrides, System.out);
      return counts.get(SuiteRunner.State.DONE) == counts.values().stream().mapToInt(Integer::intValue).sum() ? 0 : 1;
    }
    String table = data.withData(() -> SuiteRunner.run(suite, tableOnly, shard(), overrides, allowStale, System.out));
    System.out.println();
    System.out.print(table);
    return 0;
  }

  private int[] shard() {
    if (shard == null) return new int[] {1, 1};
    return shard.trim().equals("auto") ? autoShard(System.getenv(), shardCount) : parseShard(shard);
  }

  /**
   * Shard K/N from the scheduler's environment: a Slurm job array (task ids may start anywhere; K counts from
   * SLURM_ARRAY_TASK_MIN, N is SLURM_ARRAY_TASK_COUNT), else a Kubernetes Indexed Job (0-based JOB_COMPLETION_INDEX,
   * N from --shard-count, since Kubernetes puts the completion count in no variable).
   */
  static int[] autoShard(java.util.Map<String, String> env, Integer count) {
    String id = env.get("SLURM_ARRAY_TASK_ID");
    if (id != null) {
      int task = integer(env, "SLURM_ARRAY_TASK_ID");
      int min = env.containsKey("SLURM_ARRAY_TASK_MIN") ? integer(env, "SLURM_ARRAY_TASK_MIN") : 0;
      int n = integer(env, "SLURM_ARRAY_TASK_COUNT");
      if (count != null && count != n) {
        throw new UserError("--shard-count " + count + " disagrees with the Slurm array's SLURM_ARRAY_TASK_COUNT=" + n);
      }
      int k = task - min + 1;
      if (k < 1 || k > n) {
        throw new UserError("--shard auto: Slurm task " + task + " (array from " + min + ", " + n + " tasks) is not a shard "
            + "1.." + n + "; submit a contiguous array, e.g. --array=1-" + n);
      }
      return new int[] {k, n};
    }
    if (env.get("JOB_COMPLETION_INDEX") != null) {
      if (count == null) {
        throw new UserError("--shard auto in a Kubernetes Indexed Job needs --shard-count N (the Job's completions)");
      }
      int index = integer(env, "JOB_COMPLETION_INDEX");
      if (count < 1 || index < 0 || index >= count) {
        throw new UserError("--shard auto: JOB_COMPLETION_INDEX=" + index + " is not in 0.." + (count - 1) + " (--shard-count " + count + ")");
      }
      return new int[] {index + 1, count};
    }
    throw new UserError("--shard auto: no scheduler shard found in the environment; set by a Slurm job array "
        + "(SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with "
        + "--shard-count N); or give --shard K/N");
  }

  private static int integer(java.util.Map<String, String> env, String name) {
    String v = env.get(name);
    try {
      return Integer.parseInt(v.trim());
    } catch (RuntimeException e) {
      throw new UserError("--shard auto: " + name + " must be an integer, got " + (v == null ? "nothing" : "'" + v + "'"));
    }
  }

  static int[] parseShard(String shard) {
    String[] kn = shard.split("/");
    try {
      int k = Integer.parseInt(kn[0].trim());
      int n = Integer.parseInt(kn[1].trim());
      if (kn.length == 2 && n >= 1 && k >= 1 && k <= n) return new int[] {k, n};
    } catch (RuntimeException e) {
      // fall through to the message
    }
    throw new UserError("--shard expects K/N with 1 <= K <= N (e.g. 1/2), got '" + shard + "'");
  }
}
