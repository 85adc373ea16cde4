package org.losslab.training;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Gathers the next batch on a background thread while the current step trains: a row gather costs about a
 * sixth of a quickstart step here, as much as DL4J's own iterator prefetch saves it, and augmentation runs there
 * too, ahead of the step. Batches depend only on the indices and the epoch, so prefetching changes no result.
 */
final class Prefetcher implements AutoCloseable {
  private final Batches batches;
  private final BatchTransform transform;
  private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "losslab-prefetch");
    t.setDaemon(true);
    return t;
  });
  private Future<DataSet> pending;
  private int[] pendingIndices;
  private int pendingEpoch;

  /** @param transform applied to each gathered batch on the prefetch thread (augmentation, views); null = none */
  Prefetcher(Batches batches, BatchTransform transform) {
    this.batches = batches;
    this.transform = transform;
  }

  private DataSet make(int[] indices, int epoch) {
    DataSet b = batches.batch(indices);
    return transform == null ? b : transform.apply(b, indices, epoch);
  }

  /** Starts gathering the batch for these indices. */
  void prefetch(int[] indices, int epoch) {
    pendingIndices = indices;
    pendingEpoch = epoch;
    pending = pool.submit(() -> make(indices, epoch));
  }

  /** The batch for these indices: the prefetched one when it matches, else gathered now. */
  DataSet take(int[] indices, int epoch) {
    if (pending != null && epoch == pendingEpoch && Arrays.equals(indices, pendingIndices)) {
      try {
        return pending.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while gathering a batch", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        throw new IllegalStateException("gathering a batch failed: " + e.getCause(), e.getCause());
      } finally {
        pending = null;
      }
    }
    return make(indices, epoch);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
