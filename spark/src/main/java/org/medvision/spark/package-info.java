/**
 * Batch inference on Apache Spark: {@link org.medvision.spark.SparkBatchPredict} turns a {@code Dataset<Row>} of
 * input paths (or {@code binaryFile} rows) into a {@code Dataset<Row>} of predictions in the local batch runner's
 * schema, with one compiled model per executor JVM; {@link org.medvision.spark.BatchPredict} is the
 * {@code spark-submit} entry point. Spark is a provided dependency: the cluster brings it.
 */
package org.medvision.spark;
