package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path tmp;

  @Test
  void parsesGzipIdxAndHashesTheUncompressedBytes() throws Exception {
    byte[] content = IdxFiles.ubyte(new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
    IdxReader.IdxArray a = IdxReader.read(IdxFiles.writeGzip(tmp.resolve("x-idx3-ubyte.gz"), content));
    assertEquals(0x08, a.type());
    assertArrayEquals(new int[] {2, 2, 3}, a.dims());
    assertEquals(2, a.count());
    assertEquals(6, a.itemSize());
    assertEquals(Hashes.sha256(content), a.sha256());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}, a.toInts());
    float[] f = a.toFloats(1f / 255f);
    assertEquals(0f, f[0]);
    assertEquals(1f, f[11]);
  }

  @Test
  void readsUncompressedFilesToo() throws Exception {
    byte[] content = IdxFiles.ubyte(new int[] {3}, new byte[] {7, 8, 9});
    Path f = Files.write(tmp.resolve("plain-idx1-ubyte"), content);
    assertArrayEquals(new int[] {7, 8, 9}, IdxReader.read(f).toInts());
  }

  @Test
  void sizeMismatchNamesTheFileAndBothSizes() throws Exception {
    byte[] content = IdxFiles.ubyte(new int[] {4, 2}, new byte[] {1, 2, 3});
    Path f = IdxFiles.writeGzip(tmp.resolve("short.gz"), content);
    Exception e = assertThrows(MalformedDataException.class, () -> IdxReader.read(f));
    assertTrue(e.getMessage().contains("short.gz") && e.getMessage().contains("[4, 2]")
        && e.getMessage().contains("15 bytes"), e.getMessage());
  }

  @Test
  void badMagicIsRejected() {
    Exception e = assertThrows(MalformedDataException.class,
        () -> IdxReader.parse(new byte[] {1, 2, 3, 4, 5}, "junk"));
    assertTrue(e.getMessage().startsWith("junk: not an IDX file"), e.getMessage());
    e = assertThrows(MalformedDataException.class, () -> IdxReader.parse(new byte[] {0, 0, 0x42, 1, 0, 0, 0, 0}, "t"));
    assertTrue(e.getMessage().contains("0x42"), e.getMessage());
  }
}
