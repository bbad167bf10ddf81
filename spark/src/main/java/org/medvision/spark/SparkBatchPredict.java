package org.medvision.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.VolumeField;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Device;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * Batch inference on Spark: a {@code Dataset<Row>} of inputs in, a {@code Dataset<Row>} of predictions out, with
 * exactly the columns and types of the local batch runner ({@code medvision batch}): {@link PredictionSchema}.
 *
 * <pre>{@code
 * SparkBatchPredict job = SparkBatchPredict.builder(spark, "s3a://models/stroke/best.safetensors")
 *     .engine("onnx").device("cpu").batchSize(8).idsRelativeTo("s3a://archive/ct").inputsAreListing(true).build();
 * Dataset<Row> predictions = job.predict(spark.read().format("binaryFile")
 *     .option("recursiveFileLookup", "true").load("s3a://archive/ct"));
 * predictions.write().parquet("s3a://archive/predictions");
 * }</pre>
 *
 * <p>Inputs: a string column {@code path} naming each file on any Hadoop file system (executors read it), optionally
 * with a binary column {@code content} holding its bytes (as the {@code binaryFile} source gives them; then the path
 * is not read) and a string column {@code input_id} (else ids are paths relative to {@link Builder#idsRelativeTo},
 * or the paths as given). Each input row may yield several predictions (the frames of a multi-frame DICOM file, the
 * slices of a NIfTI volume for a 2-D task); a file that cannot be read, or a row without a path, yields one row with
 * its {@code error}. For a 3-D task, DICOM files are grouped into series by folder, as the local runner groups a
 * folder's files: the rows are repartitioned by folder so that each folder's files are read together (one row per
 * series, with the id {@code folder#series=UID}); NIfTI files are volumes of their own.
 *
 * <p>The model is loaded on the driver when the job is built (so a missing or damaged model fails before any task
 * runs, and the output schema is known), and once per executor JVM when its first task runs, then used by all the
 * executor's task threads and later jobs with the same batch size. Predictions run {@link Builder#batchSize} inputs
 * at a time within a partition; see {@link Builder#partitions} for how the rows are spread.
 */
public final class SparkBatchPredict {
  /** The input column naming each file. */
  public static final String PATH = "path";
  /** The optional input column with each file's bytes. */
  public static final String CONTENT = "content";
  /** The optional input column with each row's id. */
  public static final String INPUT_ID = "input_id";
  /**
   * Partitions per core of the application that {@link BatchPredict} spreads inputs over, and a 3-D task its folders,
   * unless told otherwise: a few per core, so that a slow partition (large files, a busy executor) holds up little at
   * the end.
   */
  static final int DEFAULT_PARTITIONS_PER_CORE = 4;

  private final SparkSession spark;
  private final ModelHandle handle;
  private final PredictionSchema schema;
  private final String describe;
  private final InputIds ids;
  private final boolean listed;
  private final boolean volumes;
  /** Partitions to spread the rows over, or 0 for the default ({@link Builder#partitions}). */
  private final int partitions;

  private SparkBatchPredict(SparkSession spark, ModelHandle handle, PredictionSchema schema, String describe,
      InputIds ids, boolean listed, boolean volumes, int partitions) {
    this.spark = spark;
    this.handle = handle;
    this.schema = schema;
    this.describe = describe;
    this.ids = ids;
    this.listed = listed;
    this.volumes = volumes;
    this.partitions = partitions;
  }

  /** A job running the model at {@code model} (a checkpoint or its sidecar; local, Hadoop URI, or shipped). */
  public static Builder builder(SparkSession spark, String model) {
    return new Builder(spark, model);
  }

  /** The result columns, as the local runner writes them. */
  public PredictionSchema predictionSchema() {
    return schema;
  }

  /** The result columns as a Spark schema: strings and 32-bit floats, all nullable. */
  public StructType schema() {
    return SparkRows.structOf(schema);
  }

  /** e.g. {@code strokenext atto image_size=32 ...}: the task, variant and options of the model. */
  public String describeModel() {
    return describe;
  }

  /** What the executors load and how (for tests). */
  ModelHandle handle() {
    return handle;
  }

  /**
   * The predictions for {@code inputs}, computed lazily when the result is used.
   *
   * @throws MedvisionException if {@code inputs} has no string {@code path} column, or a {@code content} or
   *     {@code input_id} column of the wrong type
   */
  public Dataset<Row> predict(Dataset<Row> inputs) {
    StructType in = inputs.schema();
    int path = column(in, PATH, DataTypes.StringType, true);
    int content = column(in, CONTENT, DataTypes.BinaryType, false);
    int id = column(in, INPUT_ID, DataTypes.StringType, false);
    Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    Dataset<Row> rows = inputs;
    if (volumes) {
      // A DICOM series is read from its folder's files together: each folder's rows go to one partition, in a row.
      // The count is explicit: Spark's adaptive execution would merge the partitions of a listing of small path rows
      // into one or two, leaving the other cores idle.
      Column folder = regexp_replace(col(PATH), "/[^/]*$", "");
      int n = partitions > 0 ? partitions : DEFAULT_PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism();
      rows = inputs.repartition(n, folder).sortWithinPartitions(folder, col(PATH));
    } else if (partitions > 0) {
      rows = inputs.repartition(partitions);
    }
    return rows.mapPartitions(new PartitionPredictor(handle, schema, conf, ids, path, content, id, listed),
        Encoders.row(schema()));
  }

  private static int column(StructType in, String name, DataType type, boolean required) {
    List<String> names = Arrays.asList(in.fieldNames());
    int i = names.indexOf(name);
    if (i < 0) {
      if (required) {
        throw new MedvisionException("the inputs have no '" + name + "' column (" + type.simpleString()
            + ") naming each file; their columns are " + names);
      }
      return -1;
    }
    StructField f = in.fields()[i];
    if (!f.dataType().equals(type)) {
      throw new MedvisionException("input column '" + name + "' is " + f.dataType().simpleString() + "; it must be "
          + type.simpleString());
    }
    return i;
  }

  /** Configures a {@link SparkBatchPredict}. */
  public static final class Builder {
    private final SparkSession spark;
    private final String model;
    private String engine = "onnx";
    private String device = "cpu";
    private int batchSize = BatchPredictOptions.DEFAULT_BATCH;
    private InputIds ids = InputIds.asGiven();
    private boolean listed;
    private int partitions;
    private Medvision medvision;

    private Builder(SparkSession spark, String model) {
      this.spark = Objects.requireNonNull(spark, "spark");
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The engine by name; default {@code onnx}. Its module and natives must be on the executors' class path. */
    public Builder engine(String name) {
      this.engine = Objects.requireNonNull(name, "engine");
      return this;
    }

    /** The device each executor compiles for, e.g. {@code cpu} (default) or {@code cuda:0}. */
    public Builder device(String text) {
      this.device = Device.parse(text).toString();
      return this;
    }

    /** Inputs per engine call within a partition; default the local runner's ({@link org.medvision.runtime.batch.BatchSettings#DEFAULT_BATCH}). */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new MedvisionException("batch size must be at least 1, got " + n);
      }
      this.batchSize = n;
      return this;
    }

    /**
     * Input ids are paths relative to {@code folder} (as the local runner names the files of its input folder), for
     * paths under it.
     */
    public Builder idsRelativeTo(String folder) {
      this.ids = InputIds.relativeTo(folder);
      return this;
    }

    /**
     * The inputs are every file of a folder listing, so files the task does not read (notes, spreadsheets) are passed
     * over as the local runner passes them over, instead of each becoming an error row; default: every row is meant
     * as an input.
     */
    public Builder inputsAreListing(boolean listing) {
      this.listed = listing;
      return this;
    }

    /**
     * Spreads the rows over {@code n} partitions before predicting. For a 3-D task the rows are regrouped by folder
     * anyway (a folder's files in one partition), so whole folders are spread over the {@code n} partitions, and only
     * as many partitions as there are folders get work. Default: a 2-D task keeps the inputs' partitioning
     * (repartition a listing of small files to use every core); a 3-D task spreads its folders over 4 partitions per
     * core of the application.
     */
    public Builder partitions(int n) {
      if (n < 1) {
        throw new MedvisionException("the number of partitions must be at least 1, got " + n);
      }
      this.partitions = n;
      return this;
    }

    /** The plugins the driver loads the model with; default: those discovered on the class path. */
    public Builder medvision(Medvision mv) {
      this.medvision = mv;
      return this;
    }

    /**
     * Loads the model on the driver, checking it and fixing the result columns.
     *
     * @throws MedvisionException if the model cannot be found or read
     */
    public SparkBatchPredict build() {
      Medvision mv = medvision != null ? medvision : Medvision.builder().build();
      Path scratch;
      try {
        scratch = Files.createTempDirectory("medvision-model-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary folder for the model", e);
      }
      ModelSource source;
      try {
        source = ModelSource.load(mv, ModelFiles.local(model, spark.sparkContext().hadoopConfiguration(), scratch,
            "the driver"), ModelRequest.none());
      } finally {
        TempFiles.deleteTree(scratch);
      }
      ModelHandle handle = new ModelHandle(model, ModelHandle.identityOf(source), engine, device, batchSize);
      return new SparkBatchPredict(spark, handle, PredictionSchema.of(source.task()), source.describe(), ids, listed,
          source.task().data().primaryInput() instanceof VolumeField, partitions);
    }
  }
}
