package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.calibkit.core.ImageSet;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.report.doctor.Doctor;
import org.calibkit.report.doctor.DoctorJson;
import org.calibkit.report.doctor.DoctorOptions;
import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.doctor.DoctorText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code calibkit doctor}: parses options, loads the validation images and calls {@link Doctor}; prints text or JSON. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Which input convention does this model expect? On a seeded sample of labelled validation images, "
                + "tries pixel scale 1 and 1/255, no normalisation, MNIST's mean/std, [-1, 1] and ImageNet's mean/std "
                + "(colour), inverted or not, transposed or not, and every layout the input shape admits; ranks them by "
                + "NLL; says where the given flags rank, which flags are best, what separates conventions that tie on "
                + "accuracy, and what the model's own metadata says.",
                "Exit code 0 on success (whatever it finds); 1 on bad input; 2 when the command line does not parse."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "ONNX file, Keras .h5/.keras, SavedModel directory, Tribuo model file (or a calibkit bundle)")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist, svhn, synthetic-svhn, or a directory with test/ (and validation/) class folders")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory holding the data set's files")
    Path dataDir;

    @Mixin
    ModelOptionsMixin modelOptions = new ModelOptionsMixin();

    @Option(names = "--sample", paramLabel = "N", defaultValue = "300",
            description = "labelled images to try each convention on (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "the sample's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() {
        DoctorOptions o = DoctorOptions.defaults().withSample(sample).withSeed(seed);
        AuditJob.Splits splits = AuditJob.Splits.load(data, dataDir);
        ImageSet images = splits.validation() != null ? splits.validation() : splits.test();
        DoctorResult r = Doctor.run(model, modelOptions.modelType, modelOptions.external().toOptions(), images, o);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? DoctorJson.render(r) : DoctorText.render(r));
        out.flush();
        return 0;
    }
}
