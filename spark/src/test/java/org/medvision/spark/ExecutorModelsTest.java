package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.runtime.batch.ModelSharing;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * Partitions of a model whose engine runs one call at a time on a compiled copy (DJL; here ONNX Runtime told to
 * behave so, since the module's tests have no libtorch), run as Spark runs them: each on a task thread that may end
 * once idle, the next on a new one. The copies they compile are bounded by how many ran at once, not by how many task
 * threads came and went.
 */
class ExecutorModelsTest {
  @TempDir Path dir;

  @Test
  void partitionsOnNewTaskThreadsReuseTheCopiesEarlierPartitionsReturned() throws Exception {
    Path model = Fixtures.checkpoint(dir.resolve("model").resolve("best.safetensors"), Fixtures.atto(), 5);
    List<Row> rows = new ArrayList<>();
    Fixtures.pngs(dir.resolve("in"), 5, 3).forEach(p -> rows.add(RowFactory.create(p.toString())));
    SparkSession spark = LocalSpark.session();
    SparkBatchPredict job = SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION)
        .batchSize(2).build();
    ModelHandle h = job.handle();
    ModelHandle handle = new ModelHandle(h.location(), h.identity(), h.engine(), h.device(), h.batchSize(),
        ModelSharing.PER_WORKER);
    Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    PredictionSchema schema = job.predictionSchema();
    PartitionPredictor partition = new PartitionPredictor(handle, schema, conf, InputIds.asGiven(), 0, -1, -1, false);
    Runnable onePartition = () -> assertPredicted(schema, rows.size(), partition.call(rows.iterator()));

    ExecutorModels.closeAll();
    for (int i = 0; i < 3; i++) {
      CopyPoolTest.onNewThreads(1, onePartition);
    }
    ExecutorModels.Loaded loaded = ExecutorModels.get(handle, conf.value().get());
    assertEquals(1, loaded.copies(), "three partitions one after another, each on a new thread: one copy");

    CyclicBarrier together = new CyclicBarrier(2);
    CopyPoolTest.onNewThreads(2, () -> {
      Iterator<Row> out = partition.call(rows.iterator());
      try {
        together.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      assertPredicted(schema, rows.size(), out);
    });
    for (int i = 0; i < 3; i++) {
      CopyPoolTest.onNewThreads(1, onePartition);
    }
    assertEquals(2, loaded.copies(), "two partitions ran at once, so two copies, whatever ran after them");
    assertEquals(0, loaded.lent(), "every partition read to its end gave its copy back");

    ExecutorModels.closeAll();
    assertEquals(0, loaded.copies(), "closing the models closes every compiled copy");
  }

  private static void assertPredicted(PredictionSchema schema, int expected, Iterator<Row> out) {
    int n = 0;
    while (out.hasNext()) {
      Row r = out.next();
      assertNull(SparkRows.fromRow(schema, r).error());
      n++;
    }
    assertEquals(expected, n);
  }
}
