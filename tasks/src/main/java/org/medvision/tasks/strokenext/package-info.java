/**
 * StrokeNeXt (Ramos & Sappa, "StrokeNeXt: A Siamese-encoder Approach for Brain Stroke Classification in Computed
 * Tomography Imagery", arXiv 2602.15087, 2026): two ConvNeXt encoders, a Conv1d fusion and an MLP head, with the
 * parameter names of the authors' PyTorch module so their checkpoints load after {@link
 * org.medvision.tasks.strokenext.StrokeNextKeyMaps#torchvisionKeyMap()}.
 */
package org.medvision.tasks.strokenext;
