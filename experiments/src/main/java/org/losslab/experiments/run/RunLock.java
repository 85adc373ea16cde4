package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.losslab.experiments.cli.UserError;

/**
 * One process at a time trains in a run folder: {@code run.lock} holds an operating-system lock for as long as
 * the run trains, with the holder's pid inside for messages. The lock dies with its process (a killed run
 * leaves the file, not the lock), so a crashed run never blocks its own resume.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "run.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the run's lock, or refuses (exit 2) when another live process trains in it. */
  public static RunLock acquire(Path runDir) {
    Path f = runDir.resolve(FILE);
    try {
      FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // held by this very process
      }
      if (l == null) {
        ch.close();
        throw new UserError("run " + runDir + " is being trained by another process (" + holder(runDir)
            + "); wait for it, or stop it (Ctrl-C writes a checkpoint) and resume then");
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(false);
      return new RunLock(ch, l);
    } catch (IOException e) {
      throw RunDirectory.writeError(f, e);
    }
  }

  /** Whether a live process holds the run's lock now (a run that is training). */
  public static boolean held(Path runDir) {
    Path f = runDir.resolve(FILE);
    if (!Files.isRegularFile(f)) return false;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) return true;
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String holder(Path runDir) {
    try {
      return Files.readString(runDir.resolve(FILE)).strip();
    } catch (IOException e) {
      return "pid unknown";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel; nothing to add
    }
  }
}
