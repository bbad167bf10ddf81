package org.medvision.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code remote:}, so that tests take the path a job takes for {@code hdfs://} or
 * {@code s3a://}: files fetched through Hadoop's {@code FileSystem} with the configuration the driver broadcast.
 * Registered with {@code fs.remote.impl}.
 */
public class RemoteLikeFileSystem extends RawLocalFileSystem {
  /** The scheme. */
  static final String SCHEME = "remote";

  /** Created by Hadoop. */
  public RemoteLikeFileSystem() {}

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }
}
