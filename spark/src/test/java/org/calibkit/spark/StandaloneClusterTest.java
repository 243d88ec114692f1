package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once against a real Spark standalone cluster on 127.0.0.1: a Master and a Worker started as
 * child JVMs from this test's own classpath (Maven's Spark jars), the Worker launching two
 * executor JVMs, so every function and state shipped to them must serialize (local mode shares
 * one JVM and hides that). The calibkit classes reach the executors only through
 * {@code spark.jars} (a jar packed here from the classpath's class directories). The metrics and
 * the fitted temperature equal the single-machine ones of the same rows (counts and fixed-point
 * binned sums exactly, the rest to 1e-12 relative, T to 1e-9). Everything lives in the temporary directory: the Worker's SPARK_HOME
 * (a {@code jars/} directory of links to the classpath's jars, which is all the Worker needs to
 * build an executor's classpath), its work directory with the executors' logs, the JVMs' temp
 * and local dirs, and the daemons' logs; the daemons and executors are stopped and waited for.
 */
class StandaloneClusterTest {
    static final int BINS = 15;
    @TempDir
    Path dir;

    @Test
    void aStandaloneMasterAndWorkerGiveTheLocalNumbers() throws Exception {
        SyntheticLog log = new SyntheticLog(40_000, 10, 20261203L);
        Path file = dir.resolve("log.parquet");
        log.writeWithDuckDb(file, true, false);
        // the reference: the same rows through PartitionState in this JVM (calibration's own
        // per-row code, tested against it in PredictionLogEqualityTest) and calibration's
        // single-machine temperature fit
        PartitionState one = new PartitionState(log.k, BINS, org.calibkit.calibration.OutputKind.LOGITS);
        for (int i = 0; i < log.n; i++) {
            one.add(Arrays.copyOfRange(log.logits, i * log.k, (i + 1) * log.k), log.labels[i]);
        }
        SumMetrics expected = one.result();
        double expectedT = new org.calibkit.calibration.calibrators.TemperatureScaling()
                .fit(org.calibkit.calibration.Logits.of(log.logits, log.n, log.k), log.labels).temperature();
        TestSpark.stop();   // one SparkContext per JVM: another test's local session must go first

        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        // a RELEASE file marks a Spark distribution: the Worker's command builder (the launcher's
        // AbstractCommandBuilder) then takes the executors' classpath from SPARK_HOME/jars, else
        // from a source build's assembly/target/scala-2.13/jars
        Files.writeString(home.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + ": links to the Maven jars of the calibkit test classpath\n");
        List<String> classDirs = new ArrayList<>();
        for (String e : cp) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                classDirs.add(e);
            } else if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = home.resolve("jars").resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        Path appJar = dir.resolve("calibkit-app.jar");
        packClasses(classDirs, appJar);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<Process> daemons = new ArrayList<>();
        try {
            daemons.add(daemon("master", home, tmp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--webui-port", "0"));
            awaitLog(dir.resolve("master.log"), "I have been elected leader", daemons.get(0));
            daemons.add(daemon("worker", home, tmp, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--webui-port", "0", "--cores", "2", "--memory", "1g",
                    "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), master));
            awaitLog(dir.resolve("worker.log"), "Successfully registered with master", daemons.get(1));

            SparkSession cluster = SparkSession.builder().appName("calibkit-standalone-test").master(master)
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.executor.cores", "1")
                    .config("spark.executor.memory", "512m").config("spark.cores.max", "2")
                    .config("spark.jars", appJar.toString()).config("spark.local.dir", tmp.toString())
                    .config("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + tmp)
                    .config("spark.sql.shuffle.partitions", "4").getOrCreate();
            SumMetrics actual;
            DistributedTemperature.Fit t;
            org.calibkit.report.audit.AuditResult audit;
            try {
                SparkPredictionLog remote = SparkPredictionLog.read(cluster, file.toString(), PredictionLogSchema.defaults())
                        .repartition(4);
                actual = remote.metrics(BINS);
                t = remote.temperature();
                // the whole audit: its folds (bootstrap buckets, selection passes, conformal sets) shipped to the executors
                audit = org.calibkit.spark.audit.SparkAudit.run(remote, java.util.Optional.of(remote),
                        org.calibkit.spark.audit.SparkAudit.Options.of(auditOptions()));
                // block managers: the driver's and at least one executor's (in another JVM: there is no local one)
                assertTrue(cluster.sparkContext().getExecutorMemoryStatus().size() >= 2,
                        "executors registered: " + cluster.sparkContext().getExecutorMemoryStatus().size());
            } catch (Exception e) {   // SparkException is checked, thrown undeclared
                throw new AssertionError("the job failed; the logs: " + logs(), e);
            } finally {
                cluster.stop();
            }
            assertEquals(expected.n(), actual.n());
            assertEquals(expected.correct(), actual.correct());
            for (int b = 0; b < BINS; b++) {
                assertEquals(expected.topLabel().count(b), actual.topLabel().count(b), "count of bin " + b);
                assertEquals(expected.topLabel().confidenceSum(b), actual.topLabel().confidenceSum(b), "fixed-point sum, bin " + b);
            }
            for (String what : List.of("nll", "brier", "ece", "classwise_ece")) {
                double e = switch (what) {
                    case "nll" -> expected.nll();
                    case "brier" -> expected.brier();
                    case "ece" -> expected.ece();
                    default -> expected.classwiseEce();
                };
                double a = switch (what) {
                    case "nll" -> actual.nll();
                    case "brier" -> actual.brier();
                    case "ece" -> actual.ece();
                    default -> actual.classwiseEce();
                };
                assertEquals(e, a, 1e-12 * Math.abs(e), what);
            }
            assertEquals(expectedT, t.temperature(), 1e-9 * expectedT, "temperature");
            assertTrue(t.converged());
            // the audit on the cluster against the single-machine audit of the same rows (validation = test here)
            org.calibkit.report.audit.AuditResult local = org.calibkit.report.audit.Audit.ofOutputs(outputs(log), auditOptions());
            assertEquals(local.test().n(), audit.test().n());
            assertEquals(local.test().temperature(), audit.test().temperature(), 1e-9 * expectedT, "audit temperature");
            for (String key : List.of("accuracy", "nll", "ece", "ece_equal_mass", "ace")) {
                double e = local.test().uncalibrated().get(key);
                assertEquals(e, audit.test().uncalibrated().get(key), 1e-12 * Math.abs(e), "audit " + key);
            }
            assertEquals(local.statistics().conformal().get(0).predictor(), audit.statistics().conformal().get(0).predictor(), "LAC");
            assertEquals(local.statistics().conformal().get(0).test().covered(), audit.statistics().conformal().get(0).test().covered());
            assertEquals(3, audit.statistics().conformal().size());
            // the executors ran in the Worker's work directory and logged there
            try (Stream<Path> s = Files.walk(dir.resolve("work"))) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("stderr")), "executor logs in the work dir");
            }
        } finally {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                stop(daemons.get(i));
            }
        }
    }

    /** A Spark daemon as a child JVM of this one: same java, classpath and --add-opens; output to NAME.log. */
    private Process daemon(String name, Path home, Path tmp, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        for (String opt : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (opt.startsWith("--add-opens") || opt.startsWith("--add-modules") || opt.startsWith("-Dio.netty")
                    || opt.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                cmd.add(opt);
            }
        }
        cmd.addAll(List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        // without it the command builder looks for a source build's launcher/target/scala-2.13 to
        // learn the Scala version and fails with "Cannot find any build directories"
        pb.environment().put("SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
        pb.environment().put("SPARK_LOCAL_DIRS", tmp.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_WORKER_DIR", dir.resolve("work").toString());
        return pb.start();
    }

    private static org.calibkit.report.audit.AuditOptions auditOptions() {
        return org.calibkit.report.audit.AuditOptions.defaults().withResamples(20).withSeed(5).withProgress(line -> { });
    }

    /** The log's rows as the single-machine audit takes saved predictions, validation and test alike. */
    private static org.calibkit.report.audit.ModelOutputs outputs(SyntheticLog log) {
        List<String> classes = java.util.stream.IntStream.range(0, log.k).mapToObj(Integer::toString).toList();
        var z = org.calibkit.calibration.Logits.of(log.logits, log.n, log.k);
        var split = org.calibkit.report.audit.ModelOutputs.Split.of(z, log.labels);
        var model = new org.calibkit.report.audit.AuditResult.ModelInfo("predictions", "(in memory)", null, "predictions",
                "softmax", "logits", classes, null, java.util.Map.of());
        var data = new org.calibkit.report.audit.AuditResult.DataInfo("predictions", log.n, log.n, "(in memory)", null, false);
        return new org.calibkit.report.audit.ModelOutputs(classes, org.calibkit.calibration.Head.SOFTMAX,
                org.calibkit.calibration.OutputKind.LOGITS, split, java.util.Optional.of(split), List.of(),
                java.util.Optional.empty(), model, data, List.of(), java.util.Map.of());
    }

    private static void awaitLog(Path log, String line, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in " + log + " within 40 s: " + Files.readString(log));
    }

    /** Stops a daemon and every process it started (executors), and waits for them. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                c.destroyForcibly();
            }
        }
    }

    /** The last lines of the daemons' and executors' logs, for a failure message. */
    private String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().equals("stderr")).toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("\n--- ").append(dir.relativize(f)).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            }
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** One jar of the class files under the given directories (the first directory's entry wins on a clash). */
    private static void packClasses(List<String> dirs, Path jar) throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String d : dirs) {
                Path root = Path.of(d);
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        String name = root.relativize(f).toString().replace(File.separatorChar, '/');
                        if (seen.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
    }
}
