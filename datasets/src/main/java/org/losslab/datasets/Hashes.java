package org.losslab.datasets;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 helpers. Provenance records hashes of input files and of label vectors so that a run can later
 * prove which data (and which noisy labels) it used.
 */
public final class Hashes {
  private Hashes() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Lower-case hex SHA-256 of some bytes. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * Lower-case hex SHA-256 of a label vector, each label encoded as a 4-byte big-endian integer in order.
   * The encoding is fixed so that the hash can be recomputed by other tools (numpy:
   * {@code hashlib.sha256(np.asarray(y, '>i4').tobytes())}).
   */
  public static String sha256(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(labels.length * 4);
    for (int y : labels) b.putInt(y);
    return sha256(b.array());
  }
}
