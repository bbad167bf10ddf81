package org.medvision.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.medvision.api.MedvisionException;
import org.medvision.runtime.batch.OutputFormat;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * {@code spark-submit --class org.medvision.spark.BatchPredict medvision-spark-<version>-all.jar --model M --input I
 * --out O}: the local batch runner's job on a Spark cluster. Lists the files under the input folder (or the rows of a
 * CSV manifest with a {@code path} column), spreads their paths over the executors, which read each file from its
 * Hadoop file system and predict with one compiled model per executor JVM, and writes the rows with Spark's Parquet
 * (or JSON lines) writer, in the local runner's schema and folder layout ({@code OUT/parquet}, {@code OUT/jsonl}).
 * Prints the number of rows and of failed inputs.
 *
 * <p>Exit codes: 0 done (unreadable inputs are rows with an error, not a failure), 1 the job failed, 2 a usage error.
 */
public final class BatchPredict {
  private BatchPredict() {}

  /** Runs the job; exits with 0, 1 or 2. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job in this JVM's Spark session (created unless one is active) and returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    BatchPredictOptions options;
    try {
      options = BatchPredictOptions.parse(Arrays.asList(args));
    } catch (BatchPredictOptions.UsageError e) {
      err.println("error: " + e.getMessage());
      err.println(BatchPredictOptions.USAGE);
      return 2;
    }
    if (options == null) {
      out.println(BatchPredictOptions.USAGE);
      return 0;
    }
    SparkSession spark = SparkSession.builder().appName("medvision batch " + options.model()).getOrCreate();
    try {
      long start = System.nanoTime();
      Summary s = predict(spark, options);
      out.printf(Locale.ROOT, "%d rows (%d inputs failed, see the error column) written to %s/%s in %.1f s%n",
          s.rows(), s.failed(), options.out(), options.format().extension(), (System.nanoTime() - start) / 1e9);
      return 0;
    } catch (MedvisionException | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      // Spark wraps an executor's failure (missing natives, a model that does not fit) in its own exception, whose
      // message is a stack trace (a SparkException, checked though no signature declares it); the cause, when Spark could carry it over, says it in one line.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof MedvisionException) {
          err.println("error: " + t.getMessage());
          return 1;
        }
      }
      err.println("error: the job failed: " + e);
      return 1;
    }
  }

  /**
   * What a job wrote.
   *
   * @param rows result rows
   * @param failed rows with an error
   */
  record Summary(long rows, long failed) {}

  /** Predicts and writes as {@code options} say. */
  static Summary predict(SparkSession spark, BatchPredictOptions options) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // The local runner's layout: one subfolder per format, so spark.read().parquet("OUT/parquet") reads either.
    Path out = new Path(new Path(options.out()), options.format().extension());
    FileSystem outFs = out.getFileSystem(conf);
    if (!options.overwrite() && outFs.exists(out)) {
      throw new MedvisionException("output folder " + out + " exists; give --overwrite to replace it, or another "
          + "--out");
    }
    Path input = new Path(options.input());
    FileStatus status;
    try {
      status = input.getFileSystem(conf).getFileStatus(input);
    } catch (java.io.FileNotFoundException e) {
      status = null;
    }
    boolean manifest = status != null && status.isFile()
        && options.input().toLowerCase(Locale.ROOT).endsWith(".csv");
    SparkBatchPredict.Builder job = SparkBatchPredict.builder(spark, options.model()).engine(options.engine())
        .device(options.device().toString()).batchSize(options.batch());
    Dataset<Row> inputs;
    if (manifest) {
      inputs = ManifestRows.read(spark, status.getPath());
      // Ids are the cells as written; where rows become one (a 3-D task's DICOM series), the folder's id is its path
      // from the manifest's folder, as the local runner names a folder a manifest row names.
      job.idsRelativeTo(status.getPath().getParent().toString());
    } else {
      if (status != null && status.isDirectory()) {
        job.idsRelativeTo(status.getPath().toString());
      }
      inputs = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(options.input())
          .select(SparkBatchPredict.PATH)
          // A regex, not lower(): Spark's lower() initialises ICU collation support, 7 s of one core.
          .filter(not(col(SparkBatchPredict.PATH).rlike("(?i)/dicomdir$")));
      job.inputsAreListing(true);
    }
    // A few partitions per core: a slow partition (large files, a busy executor) then holds up little at the end.
    job.partitions(options.partitions() > 0 ? options.partitions()
        : SparkBatchPredict.DEFAULT_PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism());
    Dataset<Row> predictions = job.build().predict(inputs);
    var writer = predictions.write().mode(options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
    boolean json = options.format() == OutputFormat.JSONL;
    if (json) {
      // Every column on every line, null when empty, as the local runner writes JSON lines.
      writer.option("ignoreNullFields", "false").json(out.toString());
    } else {
      writer.parquet(out.toString());
    }
    Dataset<Row> written = json ? spark.read().schema(predictions.schema()).json(out.toString())
        : spark.read().parquet(out.toString());
    Row counts = written.agg(count(lit(1)), count(col(PredictionSchema.ERROR))).first();
    return new Summary(counts.getLong(0), counts.getLong(1));
  }
}
