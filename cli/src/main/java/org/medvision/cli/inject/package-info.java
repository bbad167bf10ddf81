/**
 * The Guice composition root of the {@code medvision} command: plugins are discovered once through
 * {@link org.medvision.api.embed.MedvisionModule} and every command is bound into the dispatcher.
 */
package org.medvision.cli.inject;
