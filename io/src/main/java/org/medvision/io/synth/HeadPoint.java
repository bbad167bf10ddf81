package org.medvision.io.synth;

/**
 * A pixel's position in the head's own frame, reused across pixels to avoid allocation.
 *
 * <p>{@code ex, ey} are head-frame coordinates divided by the head's semi-axes, so the outer skull surface is
 * {@code rho = 1}; {@code phi} is the polar angle in that frame (0 = the image's right side, -pi/2 = anterior, up);
 * {@code r} is {@code rho} divided by the inner skull radius at {@code phi}, so the brain surface is {@code r = 1}.
 */
final class HeadPoint {
  double ex;
  double ey;
  double rho;
  double phi;
  double r;

  /** Signed angle from {@code from} to {@link #phi}, wrapped to (-pi, pi]. */
  double angleFrom(double from) {
    double d = phi - from;
    while (d > Math.PI) {
      d -= 2 * Math.PI;
    }
    while (d <= -Math.PI) {
      d += 2 * Math.PI;
    }
    return d;
  }
}
