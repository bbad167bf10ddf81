/** The one named-registry mechanism behind engines, tasks, encoders, fusions and heads. */
package org.medvision.api.registry;
