/**
 * The engine conformance suite: an abstract JUnit 5 class each engine module subclasses to check every op, a
 * multi-node graph and the compiled-model contract against the reference interpreter.
 */
package org.medvision.testkit.engine;
