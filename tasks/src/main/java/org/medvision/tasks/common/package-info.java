/**
 * Model parts shared by the task plugins: layer blocks that declare parameters with PyTorch layouts and
 * timm/torchvision names and emit IR nodes ({@link org.medvision.tasks.common.Convolution},
 * {@link org.medvision.tasks.common.Linear}, {@link org.medvision.tasks.common.LayerNorm}, ...), the ConvNeXt encoder,
 * the 3-D ResNets, the BERT text encoder ({@link org.medvision.tasks.common.BertEncoder}, with Hugging Face's names),
 * feature fusions, and checkpoint key maps. Tokenizers and model folders for text are in
 * {@link org.medvision.tasks.common.text}.
 *
 * <p>Every block emits its parameters under a name scope of its own ({@code stem.0.weight}), so a checkpoint written by
 * the reference implementation loads without renaming. Blocks hold only their configuration; they are immutable and
 * can emit the same layer into several graphs.
 */
package org.medvision.tasks.common;
