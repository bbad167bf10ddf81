/**
 * Data for training and evaluation, read as a task's {@link org.medvision.api.data.DataSchema} says:
 * {@link org.medvision.io.dataset.Manifest} (CSV, with the columns {@link org.medvision.io.dataset.Columns} derives
 * from the schema) and {@link org.medvision.io.dataset.FolderDataset} (one folder per class) give
 * {@link org.medvision.io.dataset.Sample} rows; {@link org.medvision.io.dataset.Labels} maps their labels to the
 * task's classes; {@link org.medvision.io.dataset.Splits} assigns seeded, stratified, patient-grouped splits;
 * {@link org.medvision.io.dataset.TaskData} ties these together; {@link org.medvision.io.dataset.ExampleReader}
 * decodes one row into tensors (images, volumes cropped and resized with their aligned masks, labels, attributes,
 * text, bags) and {@link org.medvision.io.dataset.ExampleLoader} streams an {@link org.medvision.io.dataset.ExampleSet}
 * batch by batch, so data sets larger than memory can be trained on.
 */
package org.medvision.io.dataset;
