/**
 * Model parts shared by the task plugins: layer blocks that declare parameters with PyTorch layouts and
 * timm/torchvision names and emit IR nodes ({@link org.medvision.tasks.common.Convolution},
 * {@link org.medvision.tasks.common.Linear}, {@link org.medvision.tasks.common.LayerNorm}, ...), the ConvNeXt encoder,
 * feature fusions, and checkpoint key maps.
 *
 * <p>Every block emits its parameters under a name scope of its own ({@code stem.0.weight}), so a checkpoint written by
 * the reference implementation loads without renaming. Blocks hold only their configuration; they are immutable and
 * can emit the same layer into several graphs.
 */
package org.medvision.tasks.common;
