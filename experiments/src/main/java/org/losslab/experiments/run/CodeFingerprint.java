package org.losslab.experiments.run;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;

/**
 * A fingerprint of the code that computes a run: the bytes of every losslab class the run's loss, optimizer,
 * data pipeline and training loop reach (following the class files' own references), and the native stack
 * that runs them (ND4J build, BLAS kernel family, layer implementation). Suites reuse a finished run only when
 * its fingerprint matches the current one, so a changed loss marks that loss's runs stale while the other
 * losses' runs stay valid.
 *
 * <p>The reference walk stops at the registries (they name every method, and a new loss must not invalidate
 * the runs of the others) and leaves out the CLI, suite and benchmark packages, which only present results.
 * Everything a run computes with lies inside the walk; what it may miss is code reached only by reflection
 * or by name, which losslab does not use for computation. Plugin losses are fingerprinted like built-in ones.
 */
public final class CodeFingerprint {
  private static final Pattern LOSSLAB = Pattern.compile("org/losslab/[A-Za-z0-9_/$]+");
  /** Registries: their own bytes count, but the methods they list are reached only through the run's choice. */
  private static final Set<String> STOPS = Set.of("org/losslab/losses/Losses", "org/losslab/losses/BuiltinLosses",
      "org/losslab/optimizers/Optimizers", "org/losslab/optimizers/BuiltinOptimizers", "org/losslab/core/Registry");
  private static final String[] PRESENTATION = {"org/losslab/experiments/cli/", "org/losslab/experiments/suite/",
      "org/losslab/experiments/bench/"};
  /** Where every run starts: the trainer, the model builder, the data stage, the run itself. */
  private static final Class<?>[] PIPELINE = {org.losslab.training.Trainer.class, org.losslab.training.Models.class,
      org.losslab.training.Evaluator.class, ExperimentRunner.class, NetworkFactory.class, DataStage.class};
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private CodeFingerprint() {}

  /** The fingerprint of the code a run of {@code d} uses, as hex. */
  public static String of(Descriptor d) {
    // The walk's roots depend on the loss and the optimizer only (the data code is reached from the pipeline).
    String key = d.loss().name() + "|" + d.loss().params() + "|" + d.loss().add() + "|" + d.optimizer().name() + "|"
        + d.optimizer().params();
    return CACHE.computeIfAbsent(key, k -> compute(d));
  }

  /** Where the walk starts for a run of {@code d}: the pipeline, the run's loss and optimizer classes. */
  static Set<Class<?>> roots(Descriptor d) {
    Set<Class<?>> roots = new java.util.LinkedHashSet<>(java.util.Arrays.asList(PIPELINE));
    var loss = org.losslab.experiments.descriptor.LossTerms.of(d.loss());
    roots.add(loss.getClass());
    if (loss instanceof org.losslab.losses.SumLoss sum) sum.getTerms().forEach(t -> roots.add(t.getClass()));
    Optimizer o = Optimizers.create(d.optimizer().name(), d.optimizer().params());
    roots.add(o.getClass());
    // The registry builds the update rule in a lambda the walk does not follow: start from the objects.
    org.nd4j.linalg.schedule.ISchedule constant = org.losslab.optimizers.LrSchedule.constant(o.learningRate());
    for (org.losslab.optimizers.ParamRole role : org.losslab.optimizers.ParamRole.values()) {
      try {
        roots.add(o.updater(constant, "layer", "W", role).getClass());
      } catch (RuntimeException e) {
        // an optimizer that has no updater for this role
      }
    }
    var tensor = o.tensorUpdater(constant, 0);
    if (tensor != null) roots.add(tensor.getClass());
    roots.add(o.strategy().getClass());
    if (d.adversarial() != null) {
      // the strategy needs the run's input space to be built: its class comes from a space of the right width
      var method = org.losslab.training.adversarial.AdversarialTrainings.create(d.adversarial().name(), d.adversarial().params());
      roots.add(method.strategy(org.losslab.training.attack.InputSpace.identity(1, method.lo(), method.hi())).getClass());
    }
    return roots;
  }

  private static String compute(Descriptor d) {
    Map<String, String> classes = classes(roots(d));
    Hasher h = Hashing.sha256().newHasher();
    classes.forEach((name, digest) -> h.putString(name, StandardCharsets.UTF_8).putString(digest, StandardCharsets.UTF_8));
    h.putString(NativeStack.reproducibilityKey(), StandardCharsets.UTF_8);
    return h.hash().toString();
  }

  /** Class name -> SHA-256 of its bytes, for every losslab class reachable from {@code roots}. */
  static Map<String, String> classes(Set<Class<?>> roots) {
    Map<String, String> out = new TreeMap<>();
    // Each class is read through the loader of the class that mentions it (a plugin's own classes are only
    // visible to the plugin's loader; the parent delegation serves losslab's).
    Map<String, ClassLoader> loaderOf = new java.util.HashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Class<?> c : roots) {
      String name = c.getName().replace('.', '/');
      loaderOf.put(name, c.getClassLoader());
      todo.add(name);
    }
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (out.containsKey(name) || presentation(name)) continue;
      byte[] bytes = bytes(loaderOf.get(name), name);
      if (bytes == null) continue; // a name that looks like a class but is none (a resource path)
      out.put(name, Hashing.sha256().hashBytes(bytes).toString());
      if (STOPS.contains(name)) continue;
      for (String ref : references(bytes)) {
        if (!out.containsKey(ref)) {
          loaderOf.putIfAbsent(ref, loaderOf.get(name));
          todo.add(ref);
        }
      }
    }
    return out;
  }

  private static boolean presentation(String name) {
    for (String p : PRESENTATION) if (name.startsWith(p)) return true;
    return false;
  }

  private static byte[] bytes(ClassLoader loader, String name) {
    ClassLoader l = loader == null ? CodeFingerprint.class.getClassLoader() : loader;
    try (InputStream in = l.getResourceAsStream(name + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  /** The losslab class names a class file mentions: its constant pool's class entries and type descriptors. */
  static Set<String> references(byte[] classFile) {
    Set<String> refs = new TreeSet<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      in.readInt(); // magic
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> {
            Matcher m = LOSSLAB.matcher(in.readUTF());
            while (m.find()) refs.add(m.group());
          }
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++; // eight-byte constants take two slots
          }
          case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
          case 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("constant pool tag " + tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a class file's constant pool: " + e.getMessage(), e);
    }
    return refs;
  }
}
