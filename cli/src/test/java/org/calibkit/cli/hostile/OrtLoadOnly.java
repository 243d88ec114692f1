package org.calibkit.cli.hostile;

/** Loads ONNX Runtime and exits: what ONNX Runtime leaves in java.io.tmpdir on its own ({@link HostileLeftoversTest}). */
final class OrtLoadOnly {
    private OrtLoadOnly() { }

    public static void main(String[] args) throws Exception {
        ai.onnxruntime.OrtEnvironment.getEnvironment();
    }
}
