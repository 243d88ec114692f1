package org.calibkit.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.html.HtmlReport;

/**
 * Compares output heads on the same data and the same probes: each model is audited on MNIST's
 * test split, calibrated on the validation split, probed with identical generated images (same
 * seed, same size), and one table prints a column per model: test accuracy, ECE and NLL before
 * and after temperature scaling, and per probe the mean confidence and the share above 0.9; a
 * sigmoid head also shows how often it says "none of these" (no class above 0.5). Each model's
 * full report (OOD AUROC per score, reliability diagrams) is written next to it as NAME.html.
 *
 * <p>Without arguments: a softmax regression (Tribuo) against one-vs-rest logistic regressions
 * with a sigmoid head ({@link OneVsRestLogistic}), both small. With arguments: saved bundles, e.g.
 * CNNs from {@code calibkit train --model cnn [--head sigmoid] [--l2-alpha A]}. Run:
 * {@code java -cp ... org.calibkit.examples.CompareHeads [A.ckb B.ckb ...]}.
 */
public final class CompareHeads extends NamedExample<CompareHeads.Result> {
    /** The audited models, by column name, in column order. */
    public record Result(Map<String, AuditResult> audits) {
    }

    private final List<Path> bundles;

    /** Trains the two small models. */
    public CompareHeads() {
        this(List.of());
    }

    /** Compares the saved bundles (none: trains two small models). */
    public CompareHeads(List<Path> bundles) {
        super("compare-heads", "softmax vs one-vs-rest sigmoid head on the same probes, one table");
        this.bundles = List.copyOf(bundles);
    }

    @Override
    public Result run(Setup setup) {
        ImageSet validation = DataCatalog.load("mnist", "validation", setup.dataDir());
        ImageSet test = DataCatalog.load("mnist", "test", setup.dataDir()).limit(setup.testImages());
        Map<String, AuditResult> audits = new LinkedHashMap<>();
        if (bundles.isEmpty()) {
            ImageSet train = DataCatalog.load("mnist", "train", setup.dataDir()).limit(setup.trainImages());
            try (ModelBundle softmax = LogisticTrainer.defaults(1).train(train, validation, setup.out()::println)) {
                audits.put("softmax-regression", AuditModel.audit(softmax, "mnist", validation, test, setup));
            }
            setup.out().println("one-vs-rest: training 10 sigmoid logistic regressions on " + train.size() + " images");
            LogitSource ovr = OneVsRestLogistic.train(train, 2, 1);
            audits.put("one-vs-rest-sigmoid", AuditModel.audit(ovr, "mnist", validation, test, setup));
        } else {
            for (Path file : bundles) {
                try (ModelBundle b = ModelBundle.load(file)) {
                    audits.put(file.getFileName().toString(), AuditModel.audit(b, "mnist", validation, test, setup));
                }
            }
        }
        print(audits, setup.out());
        audits.forEach((name, r) -> HtmlReport.write(r, setup.outDir().resolve(name + ".html")));
        setup.out().println("one report per model in " + setup.outDir());
        return new Result(audits);
    }

    /** The table: one row per number, one column per model. */
    static void print(Map<String, AuditResult> audits, PrintStream out) {
        List<String> names = new ArrayList<>(audits.keySet());
        List<AuditResult> rs = new ArrayList<>(audits.values());
        int width = Math.max(22, names.stream().mapToInt(String::length).max().orElse(0) + 2);
        String rowFormat = "%-34s" + ("%" + width + "s").repeat(names.size()) + "%n";
        out.printf(rowFormat, (Object[]) concat("", names));
        row(out, rowFormat, "head", rs, r -> r.model().head());
        row(out, rowFormat, "test accuracy", rs, r -> num(r.test().uncalibrated().accuracy()));
        row(out, rowFormat, "test ECE before -> after", rs,
                r -> num(r.test().uncalibrated().ece()) + " -> " + num(r.test().calibrated().ece()));
        row(out, rowFormat, "test NLL before -> after", rs,
                r -> num(r.test().uncalibrated().nll()) + " -> " + num(r.test().calibrated().nll()));
        row(out, rowFormat, "temperature", rs, r -> num(r.test().temperature()));
        out.printf("probes: mean confidence / share >= 0.9%s%n",
                rs.stream().anyMatch(r -> r.model().head().equals("sigmoid"))
                        ? " / share with no class above 0.5 (\"none of these\", sigmoid heads)" : "");
        for (int p = 0; p < rs.get(0).probes().size(); p++) {
            int index = p;
            AuditResult.ProbeResult first = rs.get(0).probes().get(p);
            if (first.skipped()) {
                out.printf("  %-32s skipped (see the report)%n", first.name());
                continue;
            }
            row(out, rowFormat, "  " + first.name(), rs, r -> {
                AuditResult.ProbeResult pr = r.probes().get(index);
                return num(pr.meanConfidence()) + " / " + pct(pr.overconfidentShare())
                        + (pr.sigmoid() == null ? "" : " / " + pct(pr.sigmoid().noneShare()));
            });
        }
    }

    private static void row(PrintStream out, String format, String label, List<AuditResult> rs,
                            Function<AuditResult, String> cell) {
        out.printf(format, (Object[]) concat(label, rs.stream().map(cell).toList()));
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    public static void main(String[] args) {
        Examples.runFull(new CompareHeads(java.util.Arrays.stream(args).map(Path::of).toList()));
    }
}
