package org.medvision.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (file system settings such as {@code fs.s3a.*}, whether from
 * {@code spark.hadoop.*} options or set in code) carried to executors, which read inputs and the model with it.
 * {@link Configuration} is not {@link Serializable}; it is written as its {@link org.apache.hadoop.io.Writable} form.
 */
final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  HadoopConf(Configuration conf) {
    this.conf = new Configuration(conf);
  }

  /** The configuration (shared: do not modify it). */
  Configuration get() {
    return conf;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
