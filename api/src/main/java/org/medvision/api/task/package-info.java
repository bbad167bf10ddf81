/** The task SPI: one provider per paper, found with {@link java.util.ServiceLoader}, building configured models. */
package org.medvision.api.task;
