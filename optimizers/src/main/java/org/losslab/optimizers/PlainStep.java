package org.losslab.optimizers;

/** One forward/backward pass, then the optimizer's update: exactly what DL4J's {@code fit()} does. */
public final class PlainStep implements StepStrategy {
  public static final PlainStep INSTANCE = new PlainStep();

  private PlainStep() {}

  @Override
  public double step(StepContext ctx) {
    return ctx.update(StepContext.GradientHook.NONE);
  }
}
