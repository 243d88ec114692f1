/**
 * calibkit core: labelled image data ({@link org.calibkit.core.ImageSet}), its acquisition
 * (download, checksum, cache), the preprocessing that travels with a model, Tribuo-backed
 * trainers, model bundles and logit sources.
 */
package org.calibkit.core;
