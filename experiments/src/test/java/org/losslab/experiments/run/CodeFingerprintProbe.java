package org.losslab.experiments.run;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;

/** Test access to the package-private parts of {@link CodeFingerprint}. */
public final class CodeFingerprintProbe {
  private CodeFingerprintProbe() {}

  public static Map<String, String> digests(Set<Class<?>> roots) {
    return CodeFingerprint.classes(roots);
  }

  public static Map<String, String> classes(String loss, String optimizer) {
    Descriptor d = descriptor(loss, optimizer);
    return CodeFingerprint.classes(CodeFingerprint.roots(d));
  }

  public static String of(String loss, String optimizer) {
    return CodeFingerprint.of(descriptor(loss, optimizer));
  }

  private static Descriptor descriptor(String loss, String optimizer) {
    return DescriptorLoader.load(java.nio.file.Path.of("../experiments/quickstart.yaml"),
        List.of("loss.name=" + loss, "optimizer.name=" + optimizer, "optimizer.params={}"));
  }
}
