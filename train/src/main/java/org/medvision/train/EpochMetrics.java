package org.medvision.train;

/**
 * What one epoch measured. Values that were not measured are NaN.
 *
 * @param epoch 1-based epoch number
 * @param learningRate the rate of the epoch's last optimiser step
 * @param trainLoss mean training loss over the epoch's micro-batches (as optimised: with label smoothing and class
 *     weights)
 * @param trainAccuracy training accuracy; NaN because a training step returns only the loss (see the package notes)
 * @param valLoss mean plain cross-entropy on the validation split (no smoothing, no class weights)
 * @param valAccuracy validation accuracy
 * @param valMacroF1 validation macro-averaged F1
 * @param valAuroc validation AUROC (positive class for two classes, macro one-vs-rest otherwise)
 * @param imagesPerSecond training images per second of the epoch (forward, backward and update; data loading
 *     included)
 * @param seconds wall time of the epoch, validation included
 */
public record EpochMetrics(int epoch, double learningRate, double trainLoss, double trainAccuracy, double valLoss,
    double valAccuracy, double valMacroF1, double valAuroc, double imagesPerSecond, double seconds) {}
