/**
 * The engine SPI: providers found with {@link java.util.ServiceLoader}, engines that compile IR graphs, and compiled
 * models that run them. Everything native is {@link java.lang.AutoCloseable}.
 */
package org.medvision.api.engine;
