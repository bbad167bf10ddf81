/**
 * What a task's training example is: a {@link org.medvision.api.data.DataSchema} of named fields (images, volumes,
 * masks aligned to them, labels, attributes, text, bags), each with its own preprocessing, read from manifest columns
 * or derived; the {@link org.medvision.api.data.Example} a loader makes from one row; and the
 * {@link org.medvision.api.data.Sampler} that orders an epoch. The io module implements the reading; tasks only
 * declare.
 */
package org.medvision.api.data;
