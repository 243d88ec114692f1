package org.calibkit.cli;

import java.nio.file.Path;

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

/** {@code calibkit doctor}: parses options, loads the validation images and calls {@link Doctor}; prints text or JSON. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Which input convention does this model expect? On a seeded sample of labelled validation images, "
                + "tries pixel scale 1 and 1/255, no normalisation, MNIST's mean/std, [-1, 1] and ImageNet's mean/std "
                + "(colour), inverted or not, transposed or not, and every layout the input shape admits; ranks them by "
                + "NLL; says where the given flags rank, which flags are best, what separates conventions that tie on "
                + "accuracy, and what the model's own metadata says.",
                "Exit code 0 on success (whatever it finds); 1 on bad input; 2 when the command line does not parse."})
public final class DoctorCommand extends CalibkitCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "ONNX file, Keras .h5/.keras, SavedModel directory, Tribuo model file (or a calibkit bundle)")
    Path model;

    @Mixin
    LabelledDataMixin data = new LabelledDataMixin();

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
        AuditJob.Splits splits = data.load();
        ImageSet images = splits.validation() != null ? splits.validation() : splits.test();
        DoctorResult r = Doctor.run(model, modelOptions.modelType, modelOptions.external().toOptions(), images, o);
        print(json ? DoctorJson.render(r) : DoctorText.render(r));
        return 0;
    }
}
