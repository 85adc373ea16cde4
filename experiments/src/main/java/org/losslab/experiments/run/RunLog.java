package org.losslab.experiments.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * A run's own {@code run.log}: everything the run prints to standard output (epoch lines, summary) and every
 * log event that passes the console's level, appended for each session (a resume adds to it). The progress
 * bar, drawn on standard error with carriage returns, stays out.
 */
public final class RunLog implements AutoCloseable {
  private final PrintStream file;
  private final PrintStream previousOut;
  private final AppenderBase<ILoggingEvent> appender;
  private final Logger root;

  private RunLog(Path path) throws IOException {
    OutputStream os = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.file = new PrintStream(os, true, StandardCharsets.UTF_8);
    this.previousOut = System.out;
    System.setOut(new PrintStream(new Tee(previousOut, file), true, StandardCharsets.UTF_8));
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        file.println(Instant.ofEpochMilli(e.getTimeStamp()) + " " + e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    };
    appender.setContext(ctx);
    appender.start();
    root.addAppender(appender);
  }

  /** Starts logging into {@code <run>/run.log} with a header line saying which session this is. */
  public static RunLog start(Path runDir, String header) {
    Path f = runDir.resolve(RunDirectory.LOG);
    try {
      RunLog log = new RunLog(f);
      log.file.println("== " + Instant.now() + " " + header);
      return log;
    } catch (IOException e) {
      throw RunDirectory.writeError(f, e);
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    System.out.flush();
    System.setOut(previousOut);
    file.close();
  }

  /** Writes to both streams; a failing log file never breaks the console. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
