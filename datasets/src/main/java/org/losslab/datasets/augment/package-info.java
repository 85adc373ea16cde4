/**
 * Image augmentations for contrastive and metric learning, and for supervised training with augmentation:
 * random resized crops, flips, affine maps, grey colour jitter, Gaussian noise and random erasing, each
 * following torchvision's semantics (the augmentation list of SimCLR, Chen et al., ICML 2020, Appendix A),
 * on one image at a time in {@code float[]} rows of {@code C*H*W} values ({@link
 * org.losslab.datasets.augment.ImageFormat}).
 *
 * <p>{@link org.losslab.datasets.augment.Augmentations} names them for descriptors and parses an ordered list
 * into a {@link org.losslab.datasets.augment.Compose}; {@link org.losslab.datasets.augment.ViewBatch} turns a
 * batch of rows into one or two augmented views per row, each view a pure function of (run seed, epoch,
 * sample index, view), so a resumed run or a different batch order sees the same views.
 */
package org.losslab.datasets.augment;
