/**
 * The task conformance suite: an abstract JUnit 5 class each task module subclasses to check its provider's
 * metadata, graphs, declared inputs and outputs, weights round trip and name errors.
 */
package org.medvision.testkit.task;
