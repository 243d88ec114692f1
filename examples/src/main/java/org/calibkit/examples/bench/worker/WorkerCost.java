package org.calibkit.examples.bench.worker;

import java.nio.file.Path;
import java.util.Locale;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.core.worker.WorkerOptions;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;

/**
 * What the isolated worker costs on the MNIST CNN exported from PyTorch: the time to open the
 * model (in the worker: start a JVM, greet, load ONNX Runtime and the model) and to compute the
 * logits of the 10 000 MNIST test images (in the worker: plus copying 31 MB of pixels there and
 * 800 kB of logits back), in process and in a worker, three rounds each.
 * <pre>
 * java -cp examples/target/... org.calibkit.examples.bench.worker.WorkerCost core/src/test/resources/org/calibkit/core/sources/pytorch_mnist_cnn.onnx
 * </pre>
 */
public final class WorkerCost {
    private WorkerCost() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0]
                : "core/src/test/resources/org/calibkit/core/sources/pytorch_mnist_cnn.onnx");
        ImageSet test = DataCatalog.load("mnist", "test", null);
        ModelOptions o = ModelOptions.defaults().withImageShape(1, 28, 28)
                .withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307}, new double[] {0.3081}, false));
        for (int round = 1; round <= 3; round++) {
            for (WorkerOptions.Isolation where : WorkerOptions.Isolation.values()) {
                long t0 = System.nanoTime();
                try (OpenedModel m = OpenedModel.open(model, ModelType.ONNX, o, WorkerOptions.defaults().withIsolation(where))) {
                    long t1 = System.nanoTime();
                    m.source().logits(test);
                    long t2 = System.nanoTime();
                    m.source().logits(test);
                    long t3 = System.nanoTime();
                    System.out.printf(Locale.ROOT, "round %d %-10s open %6.3f s, logits of %d images %6.3f s (again %6.3f s)%n",
                            round, where.name().toLowerCase(Locale.ROOT), (t1 - t0) / 1e9, test.size(), (t2 - t1) / 1e9,
                            (t3 - t2) / 1e9);
                }
            }
        }
    }
}
