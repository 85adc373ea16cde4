package org.losslab.experiments.cli;

import java.io.PrintWriter;
import org.losslab.experiments.descriptor.DescriptorException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code losslab}: run experiment descriptors, list and describe the registries, check losses, benchmark.
 * Exit codes: 0 success, 1 the run itself failed (e.g. diverged), 2 bad input (descriptor, arguments,
 * missing data).
 */
@Command(name = "losslab", mixinStandardHelpOptions = true, version = "losslab 0.1.0",
    description = "Robust and regularized losses and optimizers on Deeplearning4j, driven by experiment descriptors.",
    subcommands = {RunCommand.class, ResumeCommand.class, RunsCommand.class, CompareCommand.class, RepeatCommand.class, SuiteCommand.class, ReproduceCommand.class, ListCommand.class, DescribeCommand.class, CheckLossCommand.class,
        BenchCommand.class, PruneCommand.class, UtilityCommand.class})
public final class Main implements Runnable {
  public static final int BAD_INPUT = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (tests call this). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    // every subcommand lists -V: give them the version too
    cl.getSubcommands().values().forEach(sc -> sc.getCommandSpec().version(cl.getCommandSpec().version()));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, cmd.getErr(), debugRequested(args)));
    cl.setParameterExceptionHandler((ex, a) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("losslab: " + ex.getMessage());
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return BAD_INPUT;
    });
    return cl.execute(args);
  }

  private static boolean debugRequested(String[] args) {
    for (String a : args) if (a.equals("--debug")) return true;
    return false;
  }

  /** Registry lookups and parameter checks throw IllegalArgumentException with a message meant for users. */
  static int handle(Exception ex, PrintWriter err, boolean debug) {
    Throwable e = ex;
    while ((e instanceof java.util.concurrent.ExecutionException || e instanceof java.io.UncheckedIOException && !debug)
        && e.getCause() != null) {
      e = e.getCause();
    }
    int code;
    if (e instanceof DescriptorException d) {
      err.println("losslab: the descriptor cannot be run:");
      for (var p : d.problems()) err.println("  " + p);
      code = BAD_INPUT;
    } else if (e instanceof org.losslab.core.UserFacing) {
      err.println("losslab: " + e.getMessage());
      code = BAD_INPUT;
    } else {
      err.println("losslab: failed: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
      code = 1;
    }
    if (debug) ex.printStackTrace(err);
    err.flush();
    return code;
  }
}
