/** Host tensors: typed, shaped, little-endian buffers that cross every engine boundary. */
package org.medvision.api.tensor;
