/**
 * Fitting a calibration map on a model bundle's validation split and storing it in a new bundle:
 * what {@code calibkit calibrate} calls. Later audits and predictions use the stored map.
 */
package org.calibkit.cli.calibrate;
