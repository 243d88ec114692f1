/** Reading and writing saved predictions and labels as NumPy .npy or CSV files. */
package org.calibkit.calibration.io;
