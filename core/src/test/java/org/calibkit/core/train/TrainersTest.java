package org.calibkit.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.model.SyntheticImages;
import org.calibkit.core.model.TribuoImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Every trainer on small synthetic data (bars at 10 angles, see {@link SyntheticImages}), one
 * epoch: it learns (accuracy far above the 10% of chance), its logits agree with Tribuo's own
 * predict, and the same seed gives the same model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainersTest {
    private static final List<String> LOG = new ArrayList<>();
    private ImageSet train;
    private ImageSet val;
    private ModelBundle cnn;
    private ModelBundle sigmoid;

    @BeforeAll
    void data() {
        train = SyntheticImages.bars(1500, 10, 1, 28, 11, "train");
        val = SyntheticImages.bars(300, 10, 1, 28, 12, "validation");
        cnn = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withSeed(5)).train(train, val, LOG::add);
        sigmoid = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withHead(Head.SIGMOID).withSeed(5)).train(train, val, LOG::add);
    }

    @AfterAll
    void close() {
        cnn.close();
        sigmoid.close();
    }

    /** Softmax of a row, computed here independently of Head. */
    private static double[] softmax(double[] z) {
        double m = java.util.Arrays.stream(z).max().orElseThrow();
        double s = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - m);
            s += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    /** Tribuo's own probabilities for each image, in class-name order. */
    private static double[][] tribuoProbabilities(ModelBundle b, ImageSet images) {
        List<Example<Label>> ex = TribuoImages.examples(images, b.preprocessing());
        List<Prediction<Label>> preds = b.tribuoModel().predict(ex);
        double[][] p = new double[preds.size()][b.classNames().size()];
        for (int i = 0; i < preds.size(); i++) {
            for (int c = 0; c < p[i].length; c++) {
                p[i][c] = preds.get(i).getOutputScores().get(b.classNames().get(c)).getScore();
            }
        }
        return p;
    }

    @Test
    void logisticLearnsAndItsLogitsMatchTribuoPredict() {
        ModelBundle lr = new LogisticTrainer(1, 1, 0.1, 3).train(train, val, LOG::add);
        double[][] z = lr.logits(val).toArray();
        double acc = Evaluation.accuracy(Logits.of(z), val.labels());
        assertTrue(acc > 0.5, "logistic validation accuracy " + acc);
        assertEquals(acc, lr.metrics().get("validation_accuracy"), 1e-12);
        double[][] tribuo = tribuoProbabilities(lr, val.limit(100));
        for (int i = 0; i < tribuo.length; i++) {
            assertArrayEquals(tribuo[i], softmax(z[i]), 1e-6, "row " + i);
        }
    }

    @Test
    void logisticSameSeedSameModel() {
        ImageSet small = train.limit(300);
        double[][] a = new LogisticTrainer(1, 1, 0.1, 7).train(small, null, s -> { }).logits(val.limit(50)).toArray();
        double[][] b = new LogisticTrainer(1, 1, 0.1, 7).train(small, null, s -> { }).logits(val.limit(50)).toArray();
        double[][] c = new LogisticTrainer(1, 1, 0.1, 8).train(small, null, s -> { }).logits(val.limit(50)).toArray();
        assertTrue(java.util.Arrays.deepEquals(a, b), "same seed must give identical logits");
        assertFalse(java.util.Arrays.deepEquals(a, c), "another seed should shuffle differently");
    }

    @Test
    void cnnLearnsAndItsLogitsMatchTribuoPredict() {
        double[][] z = cnn.logits(val).toArray();
        double acc = Evaluation.accuracy(Logits.of(z), val.labels());
        assertTrue(acc > 0.6, "cnn validation accuracy " + acc);
        assertEquals(acc, cnn.metrics().get("validation_accuracy"), 1e-12);
        double[][] tribuo = tribuoProbabilities(cnn, val.limit(100));
        for (int i = 0; i < tribuo.length; i++) {
            assertArrayEquals(tribuo[i], softmax(z[i]), 1e-6, "row " + i);
        }
    }

    @Test
    void cnnSameSeedSameModel() {
        // all cores (the default), as a user would train
        ImageSet small = train.limit(200);
        CnnTrainer t = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withSeed(21));
        try (ModelBundle a = t.train(small, null, s -> { });
             ModelBundle b = t.train(small, null, s -> { });
             ModelBundle c = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withSeed(22)).train(small, null, s -> { })) {
            double[][] za = a.logits(val.limit(50)).toArray();
            assertTrue(java.util.Arrays.deepEquals(za, b.logits(val.limit(50)).toArray()), "same seed must give identical logits");
            assertFalse(java.util.Arrays.deepEquals(za, c.logits(val.limit(50)).toArray()), "another seed should give another model");
        }
    }

    @Test
    void sigmoidHeadGivesIndependentProbabilities() {
        double[][] z = sigmoid.logits(val).toArray();
        double acc = Evaluation.accuracy(Logits.of(z), val.labels());
        assertTrue(acc > 0.6, "sigmoid-head validation accuracy " + acc);
        // Tribuo's predict reads the sigmoid op: each score is 1 / (1 + exp(-z)).
        double[][] tribuo = tribuoProbabilities(sigmoid, val.limit(100));
        double maxDeviation = 0;
        for (int i = 0; i < tribuo.length; i++) {
            double sum = 0;
            for (int c = 0; c < z[i].length; c++) {
                assertEquals(1 / (1 + Math.exp(-z[i][c])), tribuo[i][c], 1e-6, "row " + i + " class " + c);
                sum += tribuo[i][c];
            }
            maxDeviation = Math.max(maxDeviation, Math.abs(sum - 1));
        }
        assertTrue(maxDeviation > 0.05, "rows of one-vs-rest probabilities need not sum to 1, max |sum-1| " + maxDeviation);
        // A blank image: no bar, so every one-vs-rest probability is low, while softmax must
        // still hand out a total of 1 (its largest share is at least 1/K).
        ImageSet blank = new ImageSet(new float[28 * 28], new int[] {0}, 1, 28, 28, train.classNames(),
                new DataOrigin("blank", "probe", "test", null, false));
        double[] pBlank = sigmoid.probabilities(blank).row(0);
        double maxP = java.util.Arrays.stream(pBlank).max().orElseThrow();
        assertTrue(maxP < 0.5, "blank image should get a low probability for every class, got max " + maxP);
        double softmaxMax = java.util.Arrays.stream(cnn.probabilities(blank).row(0)).max().orElseThrow();
        assertTrue(softmaxMax >= 0.1, "softmax max " + softmaxMax);
    }

    @Test
    void l2ConstrainedVariantsLearn() {
        for (boolean learned : new boolean[] {false, true}) {
            try (ModelBundle b = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withL2(learned ? L2Constraint.learned(16) : L2Constraint.fixed(16)).withSeed(5))
                    .train(train.limit(800), null, LOG::add)) {
                double acc = Evaluation.accuracy(b.logits(val), val.labels());
                assertTrue(acc > 0.5, "L2 (learned=" + learned + ") accuracy " + acc);
                assertEquals(learned ? "learned" : "16.0", b.hyperparameters().get("l2_alpha").asText());
            }
        }
    }

    @Test
    void colourPipeline32x32x3Learns() {
        ImageSet colour = SyntheticImages.bars(800, 10, 3, 32, 31, "train");
        ImageSet colourVal = SyntheticImages.bars(200, 10, 3, 32, 32, "validation");
        try (ModelBundle b = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withSeed(5)).train(colour, colourVal, LOG::add)) {
            assertEquals(3, b.preprocessing().channels());
            assertEquals(32, b.preprocessing().height());
            double acc = Evaluation.accuracy(b.logits(colourVal), colourVal.labels());
            assertTrue(acc > 0.4, "32x32x3 accuracy " + acc);
        }
    }

    @Test
    void tribuoTrainerEntryPointTrainsOnATribuoDataset() throws Exception {
        Preprocessing prep = Preprocessing.standardizedFrom(train);
        CnnTrainer t = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withSeed(5));
        org.tribuo.Model<Label> model = t.train(TribuoImages.dataset(train, prep));
        try {
            assertEquals("org.tribuo.interop.tensorflow.TensorFlowNativeModel", model.getClass().getName());
            assertEquals(CnnTrainer.class.getName(), model.getProvenance().getTrainerProvenance().getClassName());
            List<Prediction<Label>> preds = model.predict(TribuoImages.examples(val, prep));
            int correct = 0;
            for (int i = 0; i < preds.size(); i++) {
                if (preds.get(i).getOutput().getLabel().equals(val.classNames().get(val.label(i)))) {
                    correct++;
                }
            }
            double acc = correct / (double) preds.size();
            assertTrue(acc > 0.5, "accuracy through Tribuo's Trainer interface " + acc);
        } finally {
            ((AutoCloseable) model).close();
        }
    }

    @Test
    void badOptionsAreRejectedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnnOptions.defaults().withEpochs(0));
        assertTrue(e.getMessage().contains("epochs") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CnnOptions.defaults().withDropout(1.0f));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> L2Constraint.fixed(-2));
        assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains("-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LogisticTrainer(1, 0, 0.1, 1));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
    }

    @Test
    void preprocessingIsFittedOnTrainingDataOnly() {
        // the bundle's standardisation equals the one measured on the training images
        assertEquals(Preprocessing.standardizedFrom(train), cnn.preprocessing());
    }
}
