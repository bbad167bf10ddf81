package org.medvision.api.training;

/**
 * How one parameter is trained, as {@link OptimizerSpec#settingsFor} resolves it.
 *
 * @param frozen whether it is left as it is: no gradient, no update, no optimiser state
 * @param learningRateScale the factor on the step's learning rate
 * @param weightDecay the λ its update uses (0 when its role is never decayed)
 */
public record ParamSettings(boolean frozen, double learningRateScale, double weightDecay) {}
