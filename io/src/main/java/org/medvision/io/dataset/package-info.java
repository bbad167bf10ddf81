/**
 * Labelled image collections for training and evaluation: {@link org.medvision.io.dataset.Manifest} (CSV) and
 * {@link org.medvision.io.dataset.FolderDataset} (folder per class) read {@link org.medvision.io.dataset.Sample}
 * rows; {@link org.medvision.io.dataset.LabelMapping} maps their labels to a task's classes;
 * {@link org.medvision.io.dataset.Splits} assigns seeded, stratified, patient-grouped splits;
 * {@link org.medvision.io.dataset.ClassBalance} reports counts; {@link org.medvision.io.dataset.Dataset} and
 * {@link org.medvision.io.dataset.BatchLoader} stream images from disk batch by batch, so collections larger than
 * memory can be trained on.
 */
package org.medvision.io.dataset;
