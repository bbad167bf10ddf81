package org.medvision.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One Spark session in {@code local[2]} mode for every test class of the module's test JVM (starting one takes about
 * 20 s on a 2-core machine): bound to loopback, without the web UI, with few shuffle partitions.
 */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  /** The shared session, started on first use; Spark's own shutdown hook stops it when the JVM exits. */
  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("medvision-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
