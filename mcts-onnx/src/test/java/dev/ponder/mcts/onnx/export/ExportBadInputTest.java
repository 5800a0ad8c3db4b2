package dev.ponder.mcts.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.onnx.export.OnnxModelBuilder.ElementType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The model writers name what is wrong with their input (found by a held-out audit: they threw bare
 * NullPointerExceptions from protobuf, a ClassCastException, or truncated a dimension).
 */
class ExportBadInputTest {

  private static String message(Executable call) {
    return assertThrows(RuntimeException.class, call).getMessage();
  }

  @Test
  void theGraphBuilderNamesAMissingOrMisplacedPart() {
    OnnxModelBuilder b = new OnnxModelBuilder("g");
    String[] x = {"x"};
    String[] y = {"y"};
    assertEquals("name must not be null", message(() -> b.input(null, ElementType.FLOAT, "N")));
    assertEquals("element type of x must not be null", message(() -> b.input("x", null, "N")));
    assertEquals("dimension 2.7 of x must be a whole number",
        message(() -> b.input("x", ElementType.FLOAT, "N", 2.7)));
    assertEquals("initializer name must not be null", message(() -> b.initializer(null, new float[1], 1)));
    assertEquals("values of initializer w must not be null", message(() -> b.initializer("w", (float[]) null, 2)));
    assertEquals("opType must not be null", message(() -> b.node(null, x, y)));
    assertEquals("input 0 of Relu is null", message(() -> b.node("Relu", new String[] {null}, y)));
    assertEquals("attribute 0 of Gemm: a name must come first, a String, was 1",
        assertThrows(IllegalArgumentException.class, () -> b.node("Gemm", x, y, 1L, "transB")).getMessage());
    assertEquals("attribute transB of Gemm has no value", message(() -> b.node("Gemm", x, y, "transB", null)));
    assertEquals("file must not be null", message(() -> b.write(null)));
  }

  @Test
  void theNetworksNameAMissingLayerOrName() {
    Dense layer = Dense.random(4, 3, new SplittableRandom(1));
    assertEquals("weights row 1 is null", message(() -> new Dense(new float[][] {{1, 2}, null}, new float[2])));
    assertEquals("random must not be null", message(() -> Dense.random(4, 4, null)));
    assertEquals("trunk must not be null", message(() -> new PolicyValueMlp(null, layer, layer)));
    List<Dense> withNull = new ArrayList<>();
    withNull.add(null);
    assertEquals("trunk layer 0 is null", message(() -> new PolicyValueMlp(withNull, layer, layer)));
    assertTrue(message(() -> PolicyValueMlp.random(4, null, 3, 0)).startsWith("hidden must not be null"));
    PolicyValueMlp mlp = PolicyValueMlp.random(4, new int[] {8}, 3, 0);
    assertEquals("input name must not be null", message(() -> mlp.export(4).inputName(null)));
    MuZeroMlps nets = MuZeroMlps.random(4, 3, 2, 8, 0);
    assertEquals("representation must not be null", message(() -> new MuZeroMlps(null, nets.dynamicsTrunk(),
        nets.nextLatent(), nets.reward(), nets.prediction())));
    assertEquals("directory must not be null", message(() -> nets.write(null)));
  }
}
