/** Core types shared by every medvision module: the base exception and the plain-Java entry point. */
package org.medvision.api;
