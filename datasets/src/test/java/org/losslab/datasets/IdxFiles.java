package org.losslab.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** Unsigned-byte IDX bytes with the given dimensions and values. */
  static byte[] ubyte(int[] dims, byte[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) b.putInt(d);
    b.put(values);
    return b.array();
  }

  static Path writeGzip(Path file, byte[] content) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(content);
    }
    return file;
  }

  /** A Fashion-MNIST-shaped directory with n images (pixel i of image k = (k * 7 + i) mod 256) and labels k mod 10. */
  static Path fakeFashionMnist(Path dir, int nTrain, int nTest) throws IOException {
    for (String part : new String[] {"train", "t10k"}) {
      int n = part.equals("train") ? nTrain : nTest;
      byte[] px = new byte[n * 784];
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < 784; i++) px[k * 784 + i] = (byte) ((k * 7 + i) % 256);
      }
      byte[] lab = new byte[n];
      for (int k = 0; k < n; k++) lab[k] = (byte) (k % 10);
      writeGzip(dir.resolve(part + "-images-idx3-ubyte.gz"), ubyte(new int[] {n, 28, 28}, px));
      writeGzip(dir.resolve(part + "-labels-idx1-ubyte.gz"), ubyte(new int[] {n}, lab));
    }
    return dir;
  }
}
