/** Reading medical images into tensors: files, volumes and their geometry, data sets, transforms and phantoms. */
package org.medvision.io;
