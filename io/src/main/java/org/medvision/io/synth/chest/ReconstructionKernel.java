package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * What the scanner adds to the ideal image: white Gaussian noise, then a slight blur by a separable three-tap kernel
 * {@code [w, 1 - 2w, w]} in-plane and a lighter one along z, as a soft reconstruction kernel gives. The blur also
 * softens tissue boundaries into partial-volume edges and correlates the noise; the noise drawn before it is scaled
 * up so that its standard deviation after the blur is the one asked for.
 *
 * @param noise standard deviation of the noise in the final image, HU
 * @param inPlane in-plane kernel side weight {@code w}, 0 to 1/3
 * @param axial kernel side weight along z
 */
record ReconstructionKernel(double noise, double inPlane, double axial) {
  /** Draws a kernel: noise 12 to 28 HU, in-plane weight 0.12 to 0.22, axial 0.04 to 0.12. */
  static ReconstructionKernel draw(SplittableRandom rng) {
    return new ReconstructionKernel(Draw.uniform(rng, 12, 28), Draw.uniform(rng, 0.12, 0.22),
        Draw.uniform(rng, 0.04, 0.12));
  }

  /** How much the blur shrinks the standard deviation of white noise. */
  private double noiseGain() {
    double xy = inPlane * inPlane * 2 + (1 - 2 * inPlane) * (1 - 2 * inPlane);
    double z = axial * axial * 2 + (1 - 2 * axial) * (1 - 2 * axial);
    return Math.sqrt(xy * xy * z);
  }

  /** Adds noise (drawn from {@code rng} in voxel order) to {@code image} and blurs it, in place. */
  void apply(float[] image, ScanGeometry grid, SplittableRandom rng) {
    double sigma = noise / noiseGain();
    for (int i = 0; i < image.length; i++) {
      image[i] += (float) (sigma * rng.nextGaussian());
    }
    int n = grid.size();
    blur(image, n, 1, inPlane);
    blur(image, n, n, inPlane);
    blur(image, grid.slices(), n * n, axial);
  }

  /**
   * Blurs along one axis: every line of {@code length} voxels {@code stride} apart, that is, at each offset below
   * {@code stride} within each block of {@code length * stride} voxels. Line ends replicate the edge voxel.
   */
  private static void blur(float[] image, int length, int stride, double w) {
    float[] line = new float[length];
    int blockSize = length * stride;
    for (int block = 0; block < image.length / blockSize; block++) {
      for (int offset = 0; offset < stride; offset++) {
        int start = block * blockSize + offset;
        for (int t = 0; t < length; t++) {
          line[t] = image[start + t * stride];
        }
        for (int t = 0; t < length; t++) {
          float prev = line[Math.max(0, t - 1)];
          float next = line[Math.min(length - 1, t + 1)];
          image[start + t * stride] = (float) (w * (prev + next) + (1 - 2 * w) * line[t]);
        }
      }
    }
  }
}
