package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Input ids as the local runner names files of a folder, from the path forms Spark and users write. */
class InputIdsTest {
  @Test
  void aFileUnderTheInputFolderIsNamedRelativeToItWhateverFormTheirPathsTake() {
    InputIds ids = InputIds.relativeTo("/data/ct/");
    assertEquals("a/b.png", ids.idOf("/data/ct/a/b.png"));
    assertEquals("a/b c.png", ids.idOf("file:/data/ct/a/b c.png"), "binaryFile writes file: paths unescaped");
    assertEquals("x.dcm", ids.idOf("file:///data/ct/x.dcm"));
    assertEquals("k/x.png", InputIds.relativeTo("s3a://bucket/ct").idOf("s3a://bucket/ct/k/x.png"));
  }

  @Test
  void aFileOutsideTheFolderOrOnAnotherFileSystemKeepsItsPath() {
    InputIds ids = InputIds.relativeTo("s3a://bucket/ct");
    assertEquals("s3a://bucket/ctx/a.png", ids.idOf("s3a://bucket/ctx/a.png"));
    assertEquals("hdfs://nn/bucket/ct/a.png", ids.idOf("hdfs://nn/bucket/ct/a.png"));
    assertEquals("/elsewhere/a.png", InputIds.asGiven().idOf("/elsewhere/a.png"));
  }

  @Test
  void theInputFolderItselfIsDotAsForASeriesAtTheTop() {
    InputIds ids = InputIds.relativeTo("file:/data/ct");
    assertEquals(".", ids.folderIdOf("/data/ct"));
    assertEquals("case1", ids.folderIdOf("file:/data/ct/case1"));
  }
}
