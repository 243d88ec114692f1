/**
 * Image files as data: {@link org.calibkit.core.data.images.ImageFolders} reads a user's own
 * images (one subfolder per class, or single files for prediction) and
 * {@link org.calibkit.core.data.images.OmniglotDataset} brings Omniglot's handwritten characters
 * into the MNIST convention as out-of-distribution inputs. PNG and JPEG are decoded with
 * {@code javax.imageio}; every decoding failure becomes a
 * {@link org.calibkit.core.CalibkitException} naming the file (and zip entry).
 */
package org.calibkit.core.data.images;
