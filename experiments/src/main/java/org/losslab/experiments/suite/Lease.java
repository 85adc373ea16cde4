package org.losslab.experiments.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A claim on one run of a suite that many processes, on many machines sharing the runs folder, may try to run: the
 * lease file {@code KEY.lease} is created atomically (create-if-absent, which POSIX file systems and NFS v3+ make
 * exclusive), so exactly one claimant wins; its holder renews the file's modification time every quarter of the
 * time-to-live, and a lease whose time is older than the TTL belongs to a holder that died, so the next claimant takes
 * it over (renaming the stale file away first, which only one of several claimants can do). Closing the lease deletes
 * the file, and so does the JVM's exit (a scheduler's SIGTERM); a holder killed outright leaves its file to expire. The TTL is {@value #DEFAULT_TTL_SECONDS} s unless {@value #TTL_ENV} sets it: long enough to ride out a slow
 * shared file system, short enough that a killed task's runs are picked up again soon.
 */
final class Lease implements AutoCloseable {
  static final long DEFAULT_TTL_SECONDS = 300;
  static final String TTL_ENV = "LOSSLAB_LEASE_SECONDS";
  private static final ScheduledExecutorService HEARTBEAT = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "losslab-lease-heartbeat");
    t.setDaemon(true);
    return t;
  });

  /** Leases this JVM holds: released at exit too (a scheduler's SIGTERM), so a stopped task's runs are free at once. */
  private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> HELD.forEach(f -> {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // it expires after its TTL instead
      }
    }), "losslab-lease-release"));
  }

  private final Path file;
  private final ScheduledFuture<?> renewal;

  private Lease(Path file, Duration ttl) {
    this.file = file;
    long period = Math.max(1, ttl.toMillis() / 4);
    this.renewal = HEARTBEAT.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    HELD.add(file);
  }

  static Duration ttl() {
    String v = System.getenv(TTL_ENV);
    if (v == null || v.isBlank()) return Duration.ofSeconds(DEFAULT_TTL_SECONDS);
    try {
      long s = Long.parseLong(v.trim());
      if (s >= 1) return Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new org.losslab.experiments.cli.UserError(TTL_ENV + " must be a whole number of seconds >= 1, got '" + v + "'");
  }

  /** The lease file of {@code key} in {@code dir}. */
  static Path file(Path dir, String key) {
    return dir.resolve(key + ".lease");
  }

  /** Claims {@code key}, or returns null while another live holder has it. */
  static Lease claim(Path dir, String key, Duration ttl) throws IOException {
    Files.createDirectories(dir);
    Path f = file(dir, key);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.createFile(f);
        Files.writeString(f, holder(), StandardCharsets.UTF_8);
        return new Lease(f, ttl);
      } catch (FileAlreadyExistsException held) {
        if (live(f, ttl)) return null;
        // the holder stopped renewing: move its file away (one claimant wins the rename), then claim afresh
        Path away = dir.resolve(key + ".lease.expired-" + UUID.randomUUID());
        try {
          Files.move(f, away, StandardCopyOption.ATOMIC_MOVE);
          Files.deleteIfExists(away);
        } catch (NoSuchFileException raced) {
          // another claimant took it over first; the next attempt sees its fresh lease
        }
      }
    }
    return null;
  }

  /** Whether a live holder has the lease at {@code f} (its file renewed within the TTL). */
  static boolean live(Path f, Duration ttl) {
    try {
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis();
      return age < ttl.toMillis();
    } catch (IOException e) {
      return false;   // gone: released, or moved away by a claimant
    }
  }

  /** Who holds the lease at {@code f} (process and machine, as written by the holder), or "" when unknown. */
  static String holderOf(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static String holder() {
    String job = System.getenv("SLURM_JOB_ID");
    return ManagementFactory.getRuntimeMXBean().getName() + (job == null ? "" : " slurm job " + job
        + (System.getenv("SLURM_ARRAY_TASK_ID") == null ? "" : " task " + System.getenv("SLURM_ARRAY_TASK_ID")));
  }

  private void renew() {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // the next renewal tries again; a lease lost for a whole TTL may be taken over, and the run store's own
      // rule (a finished run is never run again) keeps the table right
    }
  }

  @Override
  public void close() throws IOException {
    renewal.cancel(false);
    HELD.remove(file);
    Files.deleteIfExists(file);
  }
}
