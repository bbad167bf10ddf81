package org.medvision.engine.onnx.nodetest;

/**
 * The outcome of one node-test case on one engine.
 *
 * @param name the case folder's name, e.g. {@code test_conv_with_strides_padding}
 * @param operator the ONNX operator under test, e.g. {@code Conv}
 * @param status the outcome
 * @param detail why it failed or is unsupported, or notes on a pass (e.g. auxiliary outputs not compared); empty
 *     when there is nothing to add
 * @param maxAbsError the largest absolute difference from an expected value over all compared outputs; NaN when
 *     nothing was compared
 */
public record CaseResult(String name, String operator, CaseStatus status, String detail, double maxAbsError) {}
