package org.medvision.api.training;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.medvision.api.MedvisionException;

/**
 * Training settings for the parameters whose dotted names match a regular expression (matched against the whole
 * name), e.g. a pretrained backbone at a tenth of the learning rate, or a frozen text encoder.
 *
 * @param pattern a {@link Pattern} matched with {@link java.util.regex.Matcher#matches()}, e.g. {@code backbone\..*}
 * @param learningRateScale factor on the scheduled learning rate, positive
 * @param weightDecay λ for this group's decayed parameters, or NaN to keep the optimiser's
 * @param frozen whether the parameters are left as they are (no gradient, no update)
 */
public record ParamGroup(String pattern, double learningRateScale, double weightDecay, boolean frozen) {
  /**
   * Checks the values and compiles the pattern.
   *
   * @throws MedvisionException for an invalid pattern, a non-positive scale or a negative weight decay
   */
  public ParamGroup {
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new MedvisionException("parameter group pattern '" + pattern + "' is not a valid regular expression: "
          + e.getDescription(), e);
    }
    if (!(learningRateScale > 0) || !Double.isFinite(learningRateScale)) {
      throw new MedvisionException("parameter group '" + pattern + "': learning-rate scale must be positive, got "
          + learningRateScale);
    }
    if (weightDecay < 0 || Double.isInfinite(weightDecay)) {
      throw new MedvisionException("parameter group '" + pattern + "': weight decay must be non-negative, got "
          + weightDecay);
    }
  }

  /** The parameters matching {@code pattern} are frozen. */
  public static ParamGroup frozen(String pattern) {
    return new ParamGroup(pattern, 1, Double.NaN, true);
  }

  /** The parameters matching {@code pattern} train at {@code scale} times the learning rate. */
  public static ParamGroup scaled(String pattern, double scale) {
    return new ParamGroup(pattern, scale, Double.NaN, false);
  }

  /** Whether {@code parameterName} belongs to this group. */
  public boolean matches(String parameterName) {
    return Pattern.matches(pattern, parameterName);
  }

  @Override
  public String toString() {
    return "'" + pattern + "' (" + (frozen ? "frozen" : "lr x" + learningRateScale
        + (Double.isNaN(weightDecay) ? "" : ", weight decay " + weightDecay)) + ")";
  }
}
