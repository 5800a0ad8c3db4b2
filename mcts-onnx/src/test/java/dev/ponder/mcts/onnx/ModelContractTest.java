package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.onnx.export.OnnxModelBuilder;
import dev.ponder.mcts.onnx.export.OnnxModelBuilder.ElementType;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed or mismatched models, each rejected at load with its own one-line message. */
class ModelContractTest {

  private static final int A = 7;

  @TempDir Path dir;

  /**
   * A small model with the given input and output declarations: the input is cast to float if
   * needed, flattened, and mapped by Gemm nodes to outputs of the declared widths.
   */
  private Path model(String file, String inputName, ElementType inputType, Object[] inputDims,
      String policyName, Object[] policyDims, String valueName, Object[] valueDims) {
    OnnxModelBuilder m = new OnnxModelBuilder("test");
    m.input(inputName, inputType, inputDims);
    String x = inputName;
    if (inputType != ElementType.FLOAT) {
      m.node("Cast", new String[] {x}, new String[] {"cast"}, "to", 1L);
      x = "cast";
    }
    m.node("Flatten", new String[] {x}, new String[] {"flat"}, "axis", 1L);
    int features = 1;
    for (int i = 1; i < inputDims.length; i++) {
      features *= ((Number) inputDims[i]).intValue();
    }
    if (policyName != null) {
      int width = ((Number) policyDims[policyDims.length - 1]).intValue();
      m.initializer("pw", new float[width * features], width, features);
      m.node("Gemm", new String[] {"flat", "pw"}, new String[] {policyName}, "transB", 1L);
      m.output(policyName, ElementType.FLOAT, policyDims);
    }
    if (valueName != null) {
      int width = valueDims.length == 1 ? 1 : ((Number) valueDims[1]).intValue();
      m.initializer("vw", new float[width * features], width, features);
      String v = valueDims.length == 1 ? "v2" : valueName;
      m.node("Gemm", new String[] {"flat", "vw"}, new String[] {v}, "transB", 1L);
      if (valueDims.length == 1) {
        m.initializer("axes", new long[] {1}, 1);
        m.node("Squeeze", new String[] {v, "axes"}, new String[] {valueName});
      }
      m.output(valueName, ElementType.FLOAT, valueDims);
    }
    return m.write(dir.resolve(file));
  }

  private Path good(String file, Object[] inputDims) {
    return model(file, "observation", ElementType.FLOAT, inputDims, "policy", dims("N", A), "value",
        dims("N", 1));
  }

  private static Object[] dims(Object... d) {
    return d;
  }

  private static <E extends ModelLoadException> E rejected(Class<E> type, Path file,
      String... fragments) {
    E e = assertThrows(type,
        () -> OnnxEvaluator.builder(file, Reference.arrays(42), A).build().close());
    String message = e.getMessage();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.contains(file.toString()), "names the file: " + message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
    }
    assertEquals(file, e.model());
    return e;
  }

  @Test
  void wellFormedModelLoads() {
    Path file = good("ok.onnx", dims("N", 42));
    OnnxEvaluator.builder(file, Reference.arrays(42), A).build().close();
  }

  @Test
  void wrongInputName() {
    Path file = model("name.onnx", "x", ElementType.FLOAT, dims("N", 42), "policy", dims("N", A),
        "value", dims("N", 1));
    ModelContractException e = rejected(ModelContractException.class, file,
        "no input named 'observation'", "the model's inputs are ['x']", "inputName(..)");
    assertEquals("observation", e.tensor());
  }

  @Test
  void wrongRank() {
    Path file = good("rank.onnx", dims("N", 6, 7));
    ModelContractException e = rejected(ModelContractException.class, file,
        "input 'observation' has shape [N, 6, 7], expected [N, 42]", "rank 3, expected 2");
    assertEquals("[N, 42]", e.expected());
    assertEquals("[N, 6, 7]", e.actual());
  }

  @Test
  void fixedBatchBeyondAnInt() {
    Path file = good("huge-batch.onnx", dims(3_000_000_000L, 42));
    ModelContractException e = rejected(ModelContractException.class, file,
        "tensor 'observation' has a batch axis of size 3000000000; a fixed batch size must be at most 2147483647");
    assertEquals("3000000000", e.actual());
  }

  @Test
  void fixedBatchTooLargeForItsBuffers() {
    Path file = good("big-batch.onnx", dims(20_000_000, 42));
    ModelContractException e = rejected(ModelContractException.class, file,
        "fixed batch size 20000000 is too large: 20000000 rows of tensor 'observation' (42 floats each) do not"
            + " fit one buffer of at most 536870911 floats");
    assertEquals("observation", e.tensor());
  }

  @Test
  void maxBatchTooLargeForItsBuffers() {
    Path file = good("dynamic.onnx", dims("N", 42));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(42), A).maxBatch(20_000_000).build().close());
    assertTrue(e.getMessage().startsWith("maxBatch 20000000 is too large for model " + file + ": 20000000 rows"
        + " of tensor 'observation' (42 floats each)"), e.getMessage());
  }

  @Test
  void wrongObservationSize() {
    Path file = good("size.onnx", dims("N", 43));
    rejected(ModelContractException.class, file,
        "input 'observation' has shape [N, 43], expected [N, 42] (the encoder's observation shape)");
  }

  @Test
  void doubleInput() {
    Path file = model("double.onnx", "observation", ElementType.DOUBLE, dims("N", 42), "policy",
        dims("N", A), "value", dims("N", 1));
    ModelContractException e = rejected(ModelContractException.class, file,
        "input 'observation' has element type DOUBLE, expected FLOAT");
    assertEquals("DOUBLE", e.actual());
  }

  @Test
  void int64Input() {
    Path file = model("long.onnx", "observation", ElementType.INT64, dims("N", 42), "policy",
        dims("N", A), "value", dims("N", 1));
    rejected(ModelContractException.class, file,
        "input 'observation' has element type INT64, expected FLOAT");
  }

  @Test
  void policyWidthIsNotTheActionCount() {
    Path file = model("policy.onnx", "observation", ElementType.FLOAT, dims("N", 42), "policy",
        dims("N", 6), "value", dims("N", 1));
    rejected(ModelContractException.class, file,
        "output 'policy' has shape [N, 6], expected [N, 7] (policy logits over 7 actions)");
  }

  @Test
  void valueWithTwoColumns() {
    Path file = model("value2.onnx", "observation", ElementType.FLOAT, dims("N", 42), "policy",
        dims("N", A), "value", dims("N", 2));
    rejected(ModelContractException.class, file,
        "output 'value' has shape [N, 2], expected [N, 1] (one value per state: [N] or [N, 1])");
  }

  @Test
  void missingValueOutput() {
    Path file = model("novalue.onnx", "observation", ElementType.FLOAT, dims("N", 42), "policy",
        dims("N", A), null, null);
    rejected(ModelContractException.class, file, "no output named 'value'",
        "the model's outputs are ['policy']", "valueOutput(..)");
  }

  @Test
  void missingPolicyOutput() {
    Path file = model("nopolicy.onnx", "observation", ElementType.FLOAT, dims("N", 42), null, null,
        "value", dims("N", 1));
    rejected(ModelContractException.class, file, "no output named 'policy'");
  }

  @Test
  void extraInputThatWouldNotBeFed() {
    OnnxModelBuilder m = PolicyValueMlp.random(42, new int[0], A, 1).export(42).builder();
    m.input("mask", ElementType.FLOAT, "N", A);
    Path file = m.write(dir.resolve("extra.onnx"));
    rejected(ModelContractException.class, file, "input 'mask' would not be fed",
        "exactly the inputs ['observation']");
  }

  @Test
  void missingFile() {
    rejected(ModelLoadException.class, dir.resolve("absent.onnx"), "does not exist");
  }

  @Test
  void directoryInsteadOfFile() throws Exception {
    rejected(ModelLoadException.class, Files.createDirectory(dir.resolve("d.onnx")),
        "is a directory");
  }

  @Test
  void garbageBytes() throws Exception {
    byte[] garbage = new byte[1000];
    new java.util.SplittableRandom(1).nextBytes(garbage);
    Path file = Files.write(dir.resolve("garbage.onnx"), garbage);
    ModelLoadException e = rejected(ModelLoadException.class, file,
        "could not be loaded by ONNX Runtime (is it an ONNX model?)");
    assertFalse(e instanceof ModelContractException);
  }

  @Test
  void truncatedFile() throws Exception {
    byte[] bytes = Files.readAllBytes(good("full.onnx", dims("N", 42)));
    Path file = Files.write(dir.resolve("truncated.onnx"),
        Arrays.copyOf(bytes, bytes.length * 2 / 3));
    rejected(ModelLoadException.class, file, "could not be loaded by ONNX Runtime");
  }

  @Test
  void emptyFile() throws Exception {
    Path file = Files.write(dir.resolve("empty.onnx"), new byte[0]);
    rejected(ModelLoadException.class, file, "could not be loaded by ONNX Runtime");
  }

  @Test
  void textFileInsteadOfModel() throws Exception {
    Path file = Files.writeString(dir.resolve("model.txt"), "import torch\nprint('hi')\n");
    rejected(ModelLoadException.class, file, "could not be loaded by ONNX Runtime");
  }

  @Test
  void outputOfWrongElementType() {
    OnnxModelBuilder m = new OnnxModelBuilder("t");
    m.input("observation", ElementType.FLOAT, "N", 42);
    m.initializer("pw", new float[A * 42], A, 42);
    m.node("Gemm", new String[] {"observation", "pw"}, new String[] {"p"}, "transB", 1L);
    m.node("Cast", new String[] {"p"}, new String[] {"policy"}, "to", 11L);
    m.initializer("vw", new float[42], 1, 42);
    m.node("Gemm", new String[] {"observation", "vw"}, new String[] {"value"}, "transB", 1L);
    m.output("policy", ElementType.DOUBLE, "N", A);
    m.output("value", ElementType.FLOAT, "N", 1);
    Path file = m.write(dir.resolve("dpolicy.onnx"));
    rejected(ModelContractException.class, file,
        "output 'policy' has element type DOUBLE, expected FLOAT");
  }

  @Test
  void valueOfRankThree() {
    OnnxModelBuilder m = new OnnxModelBuilder("t");
    m.input("observation", ElementType.FLOAT, "N", 42);
    m.initializer("pw", new float[A * 42], A, 42);
    m.node("Gemm", new String[] {"observation", "pw"}, new String[] {"policy"}, "transB", 1L);
    m.initializer("vw", new float[42], 1, 42);
    m.node("Gemm", new String[] {"observation", "vw"}, new String[] {"v"}, "transB", 1L);
    m.initializer("axes", new long[] {2}, 1);
    m.node("Unsqueeze", new String[] {"v", "axes"}, new String[] {"value"});
    m.output("policy", ElementType.FLOAT, "N", A);
    m.output("value", ElementType.FLOAT, "N", 1, 1);
    Path file = m.write(dir.resolve("value3.onnx"));
    rejected(ModelContractException.class, file,
        "output 'value' has shape [N, 1, 1], expected [N, 1]", "rank 3, expected 2");
  }

  @Test
  void unknownOperator() {
    OnnxModelBuilder m = new OnnxModelBuilder("t");
    m.input("observation", ElementType.FLOAT, "N", 42);
    m.node("NoSuchOp", new String[] {"observation"}, new String[] {"policy"});
    m.output("policy", ElementType.FLOAT, "N", A);
    Path file = m.write(dir.resolve("unknown.onnx"));
    rejected(ModelLoadException.class, file, "could not be loaded by ONNX Runtime", "NoSuchOp");
  }
}
