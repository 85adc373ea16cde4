package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir
  Path tmp;

  @Test
  void loadsSmallFilesWithoutVerification() throws Exception {
    Path dir = IdxFiles.fakeFashionMnist(tmp, 12, 5);
    DataSplits s = FashionMnist.load(dir, false);
    Dataset tr = s.train();
    assertEquals(12, tr.size());
    assertEquals(5, s.test().size());
    assertEquals(784, tr.numFeatures());
    assertArrayEquals(new long[] {1, 28, 28}, tr.sampleShape());
    assertEquals(10, tr.numClasses());
    assertEquals(3, tr.label(3));
    // pixel i of image k is (7k + i) mod 256, scaled by 1/255
    assertEquals(((7 * 2 + 100) % 256) / 255f, tr.features().getFloat(2, 100), 1e-7);
    assertEquals("Ankle boot", tr.classNames().get(9));
    assertEquals("not verified", tr.provenance().get("checksums"));
    assertEquals(Hashes.sha256(IdxFiles.ubyte(new int[] {12}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1})),
        tr.provenance().get("labels.sha256"));
  }

  @Test
  void checksumMismatchNamesFileExpectedAndActual() throws Exception {
    Path dir = IdxFiles.fakeFashionMnist(tmp, 3, 2);
    Exception e = assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir, true));
    String m = e.getMessage();
    assertTrue(m.contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), m);
    assertTrue(m.contains(FashionMnist.SHA256.get("train-images-idx3-ubyte")), m);
    assertTrue(m.contains(IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz")).sha256()), m);
    assertTrue(m.contains("verify=false"), m);
  }

  @Test
  void missingFilesSayWhichPackageAndCommand() {
    DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> FashionMnist.load(tmp));
    assertEquals("dataset-fashion-mnist", e.packageName());
    assertEquals("apt-get install dataset-fashion-mnist", e.installCommand());
    // the fetch needs no root and installs nothing system-wide: it unpacks into the folder defaultDir() searches
    assertTrue(e.fetchCommand().contains("apt-get download dataset-fashion-mnist"), e.fetchCommand());
    assertTrue(e.fetchCommand().contains("dpkg-deb -x"), e.fetchCommand());
    // into the folder defaultDir() searches, spelled out (Java's user.home need not be the shell's $HOME)
    assertTrue(e.fetchCommand().contains("\"" + FashionMnist.USER_ROOT + "\""), e.fetchCommand());
    assertEquals(tmp.resolve("train-images-idx3-ubyte.gz"), e.missing());
    assertTrue(e.getMessage().contains(tmp.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("`apt-get install dataset-fashion-mnist`"), e.getMessage());
  }

  /** Runs only where the Debian package is installed. */
  @Test
  void realFilesMatchThePinnedChecksums() {
    Assumptions.assumeTrue(Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("t10k-images-idx3-ubyte.gz")),
        "dataset-fashion-mnist is not installed");
    DataSplits s = FashionMnist.load(FashionMnist.DEFAULT_DIR);
    assertEquals(60000, s.train().size());
    assertEquals(10000, s.test().size());
    int[] counts = new int[10];
    for (int y : s.test().labels()) counts[y]++;
    for (int c : counts) assertEquals(1000, c);
    assertEquals(FashionMnist.SHA256.get("train-images-idx3-ubyte"), s.train().provenance().get("images.sha256"));
    assertEquals(0.0, s.test().features().minNumber().doubleValue());
    assertEquals(1.0, s.test().features().maxNumber().doubleValue());
  }
}
