/**
 * Generated (synthetic) data sets. {@link org.calibkit.core.data.synth.SyntheticDigits} draws
 * house-number-like colour digits in the exact layout of SVHN (32x32x3, labels 0..9) so that the
 * colour pipeline can be exercised where the real SVHN files cannot be downloaded. Everything
 * here is named as synthetic and is never presented as SVHN.
 */
package org.calibkit.core.data.synth;
