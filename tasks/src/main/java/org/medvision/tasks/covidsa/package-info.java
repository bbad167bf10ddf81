/**
 * DSA-Net (Ouyang et al., "Dual-Sampling Attention Network for Diagnosis of COVID-19 from Community Acquired
 * Pneumonia", IEEE TMI 39(8), 2020, arXiv 2005.02690): a 3-D ResNet with a mask-supervised online attention module,
 * trained once with uniform and once with size-balanced sampling, the two models ensembled. The public entry is
 * {@link org.medvision.tasks.covidsa.CovidDsaTaskProvider}; everything else is package-private.
 */
package org.medvision.tasks.covidsa;
