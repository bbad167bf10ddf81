package org.medvision.api;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Plain-words reasons for file-system errors. {@code java.nio} puts only the path in most messages ({@code
 * NoSuchFileException: /x/y}) and the reason in the class name, so "cannot write X: " + message says "X: X"; these
 * say what went wrong instead, for one-line errors a user can act on.
 */
public final class IoErrors {
  private IoErrors() {}

  /** Why {@code e} happened, without the exception class or the path, e.g. "permission denied". */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "a path component is a file, not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the folder is not empty";
    }
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : "file system error";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * "{@code path}: reason" for a file-system error ({@code path} is the one {@code e} names when it names one), or
   * the message of any other I/O error.
   */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException fs && fs.getFile() != null) {
      return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason(e);
    }
    return reason(e);
  }
}
