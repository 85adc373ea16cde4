package org.losslab.experiments.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.cli.UserError;

class ReproductionTest {
  @Test
  void blocksAreCheckedAgainstTheirTableFilesAndSyncedWithTheProseLeftAlone(@TempDir Path dir) throws Exception {
    Path suites = Files.createDirectories(dir.resolve("experiments/suites"));
    Files.createDirectories(dir.resolve("results"));
    Files.writeString(suites.resolve("a.yaml"), "suite: a\nbase: x.yaml\nseeds: [1]\nrows: []\ncolumns: []\nmetrics: [m]\n"
        + "table: ../../results/a.md\n");
    Files.writeString(dir.resolve("results/a.md"), "### a\n\n| | X |\n|---|---|\n| r | 0.5 |\n");
    Path results = dir.resolve("RESULTS.md");
    String prose = "# Results\n\nHand-written.\n\n";
    Files.writeString(results, prose + "<!-- table: results/a.md -->\nold table\n<!-- /table -->\n\nMore prose.\n");

    assertEquals(List.of(new Reproduction.Entry("results/a.md", suites.resolve("a.yaml"))), Reproduction.entries(results, suites));
    assertEquals(List.of("results/a.md"), Reproduction.check(results));
    assertEquals(List.of("results/a.md"), Reproduction.sync(results));
    assertEquals(prose + "<!-- table: results/a.md -->\n### a\n\n| | X |\n|---|---|\n| r | 0.5 |\n<!-- /table -->\n\nMore prose.\n",
        Files.readString(results));
    assertEquals(List.of(), Reproduction.check(results), "in sync after the copy");

    // a block whose table no suite writes is an error, not silently kept
    Files.writeString(results, "<!-- table: results/b.md -->\nx\n<!-- /table -->\n");
    UserError e = assertThrows(UserError.class, () -> Reproduction.entries(results, suites));
    assertTrue(e.getMessage().contains("names a table no suite"), e.getMessage());
  }
}
