/**
 * Embedding medvision in an application: {@link org.medvision.api.embed.Medvision}, a facade over every plugin
 * registry built with a plain builder, and {@link org.medvision.api.embed.MedvisionModule}, the same facade bound in
 * Guice for applications that use it. Guice is an optional dependency: only {@code MedvisionModule} needs it.
 */
package org.medvision.api.embed;
