/** Reading medical images into tensors and running task models over them. */
package org.medvision.io;
