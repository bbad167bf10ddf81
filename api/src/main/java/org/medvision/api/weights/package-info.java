/** Named weight tensors: safetensors reading and writing, checks against a graph, key maps, initialisation. */
package org.medvision.api.weights;
