/**
 * The {@code .graph} file: a graph of the IR together with its weights in one file, so an imported or exported model
 * can be stored, moved and run on any engine without the code that built it. {@link
 * org.medvision.api.graph.io.GraphFiles} writes and reads it and documents the format.
 */
package org.medvision.api.graph.io;
