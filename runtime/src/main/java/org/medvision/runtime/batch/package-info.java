/**
 * Batch inference over folders and manifests of any size, resumable: {@link org.medvision.runtime.batch.BatchInputs}
 * finds the inputs lazily, {@link org.medvision.runtime.batch.BatchPredictor} turns a list of inputs into result rows
 * with one {@link org.medvision.runtime.Predictor} (the piece a distributed job runs per partition),
 * {@link org.medvision.runtime.batch.BatchRunner} runs worker threads over a bounded queue, and
 * {@link org.medvision.runtime.batch.BatchFolder} writes the rows as Parquet and JSON-lines part files whose schema
 * {@link org.medvision.runtime.batch.PredictionSchema} documents.
 */
package org.medvision.runtime.batch;
