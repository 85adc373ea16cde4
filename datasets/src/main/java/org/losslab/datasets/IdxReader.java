package org.losslab.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (gzip-compressed or plain). Layout: two zero
 * bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double), a dimension count, one big-endian 32-bit size per dimension, then the values in
 * row-major order, big-endian.
 *
 * <p>The whole decompressed file is kept as one byte array so that its SHA-256 can be checked and the
 * values converted in one pass (no per-element boxing or ND4J calls).
 */
public final class IdxReader {
  private IdxReader() {}

  /** A parsed IDX file: its element type, dimensions, the raw decompressed bytes and their SHA-256. */
  public record IdxArray(String source, int type, int[] dims, byte[] bytes, int dataOffset, String sha256) {
    /** Number of items (the first dimension). */
    public int count() {
      return dims.length == 0 ? 0 : dims[0];
    }

    /** Values per item (product of the other dimensions). */
    public int itemSize() {
      int p = 1;
      for (int i = 1; i < dims.length; i++) p *= dims[i];
      return p;
    }

    /** Unsigned-byte values as floats multiplied by {@code scale} (e.g. 1/255 for pixels in [0, 1]). */
    public float[] toFloats(float scale) {
      requireType(0x08, "unsigned byte");
      int n = bytes.length - dataOffset;
      float[] out = new float[n];
      for (int i = 0; i < n; i++) out[i] = (bytes[dataOffset + i] & 0xFF) * scale;
      return out;
    }

    /** Unsigned-byte values as ints (labels). */
    public int[] toInts() {
      requireType(0x08, "unsigned byte");
      int n = bytes.length - dataOffset;
      int[] out = new int[n];
      for (int i = 0; i < n; i++) out[i] = bytes[dataOffset + i] & 0xFF;
      return out;
    }

    private void requireType(int t, String what) {
      if (type != t) {
        throw new MalformedDataException(source + ": IDX type 0x" + Integer.toHexString(type)
            + " where " + what + " (0x" + Integer.toHexString(t) + ") was expected");
      }
    }

    @Override
    public String toString() {
      return source + " IDX type 0x" + Integer.toHexString(type) + " dims " + Arrays.toString(dims);
    }
  }

  /** Reads and parses a (possibly gzip-compressed) IDX file. */
  public static IdxArray read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Decompress.open(file)) {
      bytes = in.readAllBytes();
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses decompressed IDX bytes.
   *
   * @param source names the data in error messages
   * @throws MalformedDataException on a bad magic number, type, or a size that does not match the header
   */
  public static IdxArray parse(byte[] bytes, String source) {
    if (bytes.length < 4 || bytes[0] != 0 || bytes[1] != 0) {
      throw new MalformedDataException(source + ": not an IDX file (it must start with two zero bytes, a type "
          + "byte and a dimension count; decompressed size " + bytes.length + " bytes)");
    }
    int type = bytes[2] & 0xFF;
    int width = switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> throw new MalformedDataException(source + ": unknown IDX type byte 0x" + Integer.toHexString(type)
          + "; allowed: 0x08 0x09 0x0B 0x0C 0x0D 0x0E");
    };
    int nd = bytes[3] & 0xFF;
    int offset = 4 + 4 * nd;
    if (bytes.length < offset) {
      throw new MalformedDataException(source + ": header announces " + nd + " dimensions but the file has only "
          + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int[] dims = new int[nd];
    long count = 1;
    for (int i = 0; i < nd; i++) {
      dims[i] = b.getInt(4 + 4 * i);
      if (dims[i] < 0) throw new MalformedDataException(source + ": negative size " + dims[i] + " in dimension " + i);
      count *= dims[i];
    }
    long expected = offset + count * width;
    if (expected != bytes.length) {
      throw new MalformedDataException(source + ": header says dims " + Arrays.toString(dims) + " (" + expected
          + " bytes with the header) but the decompressed file has " + bytes.length + " bytes");
    }
    return new IdxArray(source, type, dims, bytes, offset, Hashes.sha256(bytes));
  }
}
