/**
 * Corrupted copies of image sets for shift sweeps: the 15 MNIST-C corruptions (Mu and Gilmer
 * 2019) and the CIFAR-10-C corruptions that apply to small images (Hendrycks and Dietterich
 * 2019), each at five seeded severities ({@link org.calibkit.core.corrupt.Corruptions}), and the
 * rotation and translation shifts of Ovadia et al. 2019 ({@link org.calibkit.core.corrupt.Shifts}).
 */
package org.calibkit.core.corrupt;
