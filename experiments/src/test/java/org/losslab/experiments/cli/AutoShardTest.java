package org.losslab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoShardTest {
  @Test
  void slurmArraysGiveTheShardFromTheTaskIdCountedFromTheArraysFirstTask() {
    assertArrayEquals(new int[] {1, 3}, SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "1",
        "SLURM_ARRAY_TASK_COUNT", "3"), null));
    assertArrayEquals(new int[] {3, 3}, SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "0",
        "SLURM_ARRAY_TASK_COUNT", "3"), null));
    assertArrayEquals(new int[] {2, 4}, SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "11", "SLURM_ARRAY_TASK_MIN", "10",
        "SLURM_ARRAY_TASK_COUNT", "4"), 4));
    String gap = assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "7",
        "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "3"), null)).getMessage();
    assertTrue(gap.contains("--array=1-3"), gap);
    String bad = assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "x",
        "SLURM_ARRAY_TASK_COUNT", "3"), null)).getMessage();
    assertTrue(bad.contains("SLURM_ARRAY_TASK_ID must be an integer, got 'x'"), bad);
    String disagree = assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of("SLURM_ARRAY_TASK_ID", "1",
        "SLURM_ARRAY_TASK_COUNT", "3"), 5)).getMessage();
    assertTrue(disagree.contains("disagrees"), disagree);
  }

  @Test
  void kubernetesIndexedJobsNeedTheCountAndNoSchedulerIsAClearError() {
    assertArrayEquals(new int[] {1, 5}, SuiteCommand.autoShard(Map.of("JOB_COMPLETION_INDEX", "0"), 5));
    assertArrayEquals(new int[] {5, 5}, SuiteCommand.autoShard(Map.of("JOB_COMPLETION_INDEX", "4"), 5));
    assertTrue(assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of("JOB_COMPLETION_INDEX", "0"), null))
        .getMessage().contains("needs --shard-count N"));
    assertTrue(assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of("JOB_COMPLETION_INDEX", "5"), 5))
        .getMessage().contains("is not in 0..4"));
    String none = assertThrows(UserError.class, () -> SuiteCommand.autoShard(Map.of(), null)).getMessage();
    assertTrue(none.contains("no scheduler shard found") && none.contains("--shard K/N"), none);
  }
}
