package org.losslab.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Opens a file that may be gzip-, bzip2- or xz-compressed, deciding by its first bytes (magic numbers)
 * rather than by its name: R's {@code save()} writes any of the three under the same {@code .rda}
 * extension, and Debian re-compresses upstream files.
 */
public final class Decompress {
  private Decompress() {}

  /** The compression a stream's first bytes announce. */
  public enum Kind { GZIP, BZIP2, XZ, NONE }

  /** Detects the compression from the first six bytes (the stream must support mark/reset). */
  public static Kind detect(InputStream in) throws IOException {
    in.mark(8);
    byte[] m = in.readNBytes(6);
    in.reset();
    if (m.length >= 2 && (m[0] & 0xFF) == 0x1F && (m[1] & 0xFF) == 0x8B) return Kind.GZIP;
    if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return Kind.BZIP2;
    if (m.length >= 6 && (m[0] & 0xFF) == 0xFD && m[1] == '7' && m[2] == 'z' && m[3] == 'X'
        && m[4] == 'Z' && m[5] == 0) {
      return Kind.XZ;
    }
    return Kind.NONE;
  }

  /** The decompressed content of a file (buffered; plain files are passed through). */
  public static InputStream open(Path file) throws IOException {
    return wrap(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** Decompresses a buffered stream according to its magic bytes. */
  public static InputStream wrap(BufferedInputStream in) throws IOException {
    return switch (detect(in)) {
      case GZIP -> new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      case BZIP2 -> new BufferedInputStream(new BZip2CompressorInputStream(in, true), 1 << 16);
      case XZ -> new BufferedInputStream(new XZInputStream(in), 1 << 16);
      case NONE -> in;
    };
  }
}
