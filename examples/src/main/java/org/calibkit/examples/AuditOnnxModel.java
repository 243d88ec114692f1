package org.calibkit.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.OnnxLogitSource;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.terminal.TerminalSummary;

/**
 * Audits a model calibkit did not train: an ONNX file exported from PyTorch, fed MNIST with the
 * preprocessing its author documents ({@code (x / 255 - 0.1307) / 0.3081}, NCHW). Without an
 * argument it uses the small PyTorch CNN this repository ships as a test resource (made by
 * {@code examples/python/train_export_mnist.py}). The same audit from the command line:
 * {@code calibkit audit --model F.onnx --data mnist --scale 1/255 --mean 0.1307 --std 0.3081 --out r.html}.
 * Run: {@code java -cp ... org.calibkit.examples.AuditOnnxModel [MODEL.onnx]}.
 */
public final class AuditOnnxModel extends NamedExample<AuditModel.Result> {
    /** Where the shipped PyTorch model sits, from the repository root. */
    static final String SHIPPED = "core/src/test/resources/org/calibkit/core/sources/pytorch_mnist_cnn.onnx";

    private final Path onnx;

    /** The shipped PyTorch CNN. */
    public AuditOnnxModel() {
        this(null);
    }

    /** The ONNX file {@code onnx} (null: the shipped one). */
    public AuditOnnxModel(Path onnx) {
        super("audit-onnx", "audit an ONNX model exported from PyTorch, with only its documented preprocessing");
        this.onnx = onnx;
    }

    @Override
    public AuditModel.Result run(Setup setup) {
        Path file = onnx != null ? onnx : shipped();
        ImageSet validation = DataCatalog.load("mnist", "validation", setup.dataDir());
        ImageSet test = DataCatalog.load("mnist", "test", setup.dataDir()).limit(setup.testImages());
        ModelOptions options = ModelOptions.defaults()
                .withClassNames(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307}, new double[] {0.3081}, false));
        AuditResult r;
        try (OnnxLogitSource model = OnnxLogitSource.open(file, options)) {
            setup.out().printf("%s: input '%s' %s, output '%s' (%s)%n", file.getFileName(), model.inputName(),
                    java.util.Arrays.toString(model.inputShape()), model.outputName(), model.outputKind().id());
            r = AuditModel.audit(model, "mnist", validation, test, setup);
        }
        Path html = setup.outDir().resolve("report.html");
        Path json = setup.outDir().resolve("report.json");
        HtmlReport.write(r, html);
        AuditJson.write(r, json);
        setup.out().println(TerminalSummary.summary(r, html, json));
        return new AuditModel.Result(r, html, json);
    }

    /** The shipped model, found from the repository root or from a module directory. */
    static Path shipped() {
        for (Path p : new Path[] {Path.of(SHIPPED), Path.of("..").resolve(SHIPPED)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find " + SHIPPED + " from " + Path.of("").toAbsolutePath()
                + "; pass the ONNX file as the argument");
    }

    public static void main(String[] args) {
        Examples.runFull(new AuditOnnxModel(args.length > 0 ? Path.of(args[0]) : null));
    }
}
