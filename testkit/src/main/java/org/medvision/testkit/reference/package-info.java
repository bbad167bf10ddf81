/**
 * The reference interpreter's kernels: one small class per op family over plain float arrays, written for clarity
 * rather than speed. Only {@link org.medvision.testkit.reference.GraphEvaluator} is public; everything else is an
 * implementation detail of {@link org.medvision.testkit.ReferenceInterpreter}.
 */
package org.medvision.testkit.reference;
