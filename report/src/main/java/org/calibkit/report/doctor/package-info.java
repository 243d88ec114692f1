/**
 * {@code calibkit doctor} as a library: {@link org.calibkit.report.doctor.Doctor} finds the input
 * convention (scale, normalisation, inversion, transposition, layout) a model expects on a small
 * labelled sample and returns plain data ({@link org.calibkit.report.doctor.DoctorResult});
 * {@link org.calibkit.report.doctor.InputCheck} turns it into the audit's first verdict when the
 * given flags do not fit; {@link org.calibkit.report.doctor.DoctorText} and
 * {@link org.calibkit.report.doctor.DoctorJson} render it.
 */
package org.calibkit.report.doctor;
