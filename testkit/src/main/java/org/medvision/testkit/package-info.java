/**
 * Test support shared by every module: the {@link org.medvision.testkit.ReferenceInterpreter} that defines the IR's
 * numerics, the engine and task conformance suites, and fixtures.
 */
package org.medvision.testkit;
