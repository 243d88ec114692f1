package org.calibkit.core.model;

import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Turns an {@link ImageSet} into Tribuo examples: one dense feature per input value after
 * {@link Preprocessing}, named {@link Preprocessing#featureName(int)} (zero-padded so that
 * Tribuo's name-sorted feature ids follow pixel order), with the class name as label.
 */
public final class TribuoImages {
    private TribuoImages() {
    }

    /** Dense examples of all images, in order. */
    public static List<Example<Label>> examples(ImageSet images, Preprocessing prep) {
        String[] names = prep.featureNames();
        int p = prep.inputSize();
        List<Example<Label>> out = new ArrayList<>(images.size());
        List<String> classes = images.classNames();
        float[] buf = new float[p];
        int chunk = 512;
        float[] block = new float[chunk * p];
        for (int from = 0; from < images.size(); from += chunk) {
            int to = Math.min(images.size(), from + chunk);
            prep.apply(images, from, to, block);
            for (int i = from; i < to; i++) {
                System.arraycopy(block, (i - from) * p, buf, 0, p);
                double[] values = new double[p];
                for (int j = 0; j < p; j++) {
                    values[j] = buf[j];
                }
                out.add(new ArrayExample<>(new Label(classes.get(images.label(i))), names, values));
            }
        }
        return out;
    }

    /** A Tribuo dataset of all images, its provenance naming the data set, split and checksum. */
    public static MutableDataset<Label> dataset(ImageSet images, Preprocessing prep) {
        LabelFactory factory = new LabelFactory();
        String sha = images.origin().sha256();
        SimpleDataSourceProvenance prov = new SimpleDataSourceProvenance(images.origin().dataset() + "/"
                + images.origin().split() + " n=" + images.size() + (sha == null ? "" : " sha256=" + sha), factory);
        return new MutableDataset<>(examples(images, prep), prov, factory);
    }
}
