/**
 * ONNX's own operator tests as a conformance oracle for any engine. {@link
 * org.medvision.engine.onnx.nodetest.NodeTestOracle#run} discovers the node-test cases in a folder such as
 * {@code libonnx-testdata}'s {@code data/node}, imports each single-node case whose operator mirrors an IR op, runs
 * it on the engine given and compares every output with the expected tensors; the {@link
 * org.medvision.engine.onnx.nodetest.ConformanceReport} lists every case with its status and renders a table.
 */
package org.medvision.engine.onnx.nodetest;
