/**
 * {@code calibkit monitor}: a deployed model's prediction log cut into windows, each with a
 * label-free accuracy estimate fitted on the reference (validation) predictions, the share of
 * inputs the reference calls unfamiliar, the predicted-class mix against the reference, and,
 * where labels arrived, the realised accuracy and ECE; alerts when a window leaves the
 * reference's band. Each window is computed from that window's rows alone.
 *
 * <p>Layer: audit (with probes, doctor and shift); rendered by html and json.
 */
package org.calibkit.report.monitor;
