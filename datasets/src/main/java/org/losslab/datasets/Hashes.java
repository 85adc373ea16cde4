package org.losslab.datasets;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;

/**
 * SHA-256 helpers (Guava's {@link Hashing}). Provenance records hashes of input files and of label vectors so that
 * a run can later prove which data (and which noisy labels) it used.
 */
public final class Hashes {
  private Hashes() {}

  /** Lower-case hex SHA-256 of some bytes. */
  public static String sha256(byte[] bytes) {
    return Hashing.sha256().hashBytes(bytes).toString();
  }

  /**
   * Lower-case hex SHA-256 of a label vector, each label encoded as a 4-byte big-endian integer in order.
   * The encoding is fixed so that the hash can be recomputed by other tools (numpy:
   * {@code hashlib.sha256(np.asarray(y, '>i4').tobytes())}); Guava's {@code putInt} is little-endian, hence the buffer.
   */
  public static String sha256(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(labels.length * 4);
    for (int y : labels) b.putInt(y);
    return sha256(b.array());
  }
}
