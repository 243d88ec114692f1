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

    /**
     * Dense examples of all images, in order. Built in parallel chunks: Tribuo sorts every
     * example's feature names on construction, which dominates building MNIST-sized sets.
     */
    public static List<Example<Label>> examples(ImageSet images, Preprocessing prep) {
        prep.requireShape(images);
        String[] names = prep.featureNames();
        int p = prep.inputSize();
        List<String> classes = images.classNames();
        int chunk = 512;
        int chunks = (images.size() + chunk - 1) / chunk;
        List<List<Example<Label>>> parts = java.util.stream.IntStream.range(0, chunks).parallel().mapToObj(ci -> {
            int from = ci * chunk;
            int to = Math.min(images.size(), from + chunk);
            float[] block = new float[(to - from) * p];
            prep.apply(images, from, to, block);
            List<Example<Label>> part = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                double[] values = new double[p];
                int base = (i - from) * p;
                for (int j = 0; j < p; j++) {
                    values[j] = block[base + j];
                }
                part.add(new ArrayExample<>(new Label(classes.get(images.label(i))), names, values));
            }
            return part;
        }).toList();
        List<Example<Label>> out = new ArrayList<>(images.size());
        parts.forEach(out::addAll);
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
