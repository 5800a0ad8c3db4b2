package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CUDA asked on a machine (and an ONNX Runtime build) without it: the clear error, the fallback. */
class DeviceTest {

  @TempDir Path dir;

  private Path model() {
    return PolicyValueMlp.random(6, new int[] {4}, 3, 1).export(6).write(dir.resolve("m.onnx"));
  }

  private static void assumeNoCuda() {
    Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
        && OnnxSessions.missingCudaLibraries().isEmpty(), "CUDA is usable here");
  }

  @Test
  void cudaWithoutFallbackFailsWithOnnxRuntimesMessageAndTheMissingLibrary() {
    assumeNoCuda();
    Path file = model();
    ExecutionProviderException e = assertThrows(ExecutionProviderException.class,
        () -> OnnxEvaluator.builder(file, Reference.arrays(6), 3).device(Device.cuda()).build());
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.contains(file.toString()) && m.contains("cuda:0 was asked"), m);
    assertTrue(m.contains("ONNX Runtime said: "), m);
    assertTrue(m.contains("withCpuFallback()"), m);
    assertFalse(e.missingLibraries().isEmpty(), m);
    assertTrue(m.contains("missing native librar"), m);
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      assertTrue(m.contains("onnxruntime_gpu"), m);
      assertTrue(e.missingLibraries().contains(System.mapLibraryName("onnxruntime_providers_cuda")),
          m);
    }
  }

  @Test
  void cudaWithFallbackRunsOnTheCpuAndLogsOnce() {
    assumeNoCuda();
    Path file = model();
    Logger logger = Logger.getLogger(OnnxSessions.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    OnnxSessions.FALLBACK_LOGGED.set(false);
    try {
      for (int i = 0; i < 2; i++) {
        try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(6), 3)
            .device(Device.cuda(0).withCpuFallback()).build()) {
          assertEquals(Device.cpu(), eval.device());
          EvaluationBatch<float[]> batch = TestBatches.allLegal(3, List.of(new float[6]));
          eval.evaluate(batch);
          TestBatches.checkAndNormalize(batch);
        }
      }
      assertEquals(1, records.size(), "logged once");
      assertEquals(java.util.logging.Level.WARNING, records.get(0).getLevel());
      assertTrue(records.get(0).getMessage().contains("CUDA unavailable"));
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void cudaFallbackDoesNotHideABadModel() {
    assumeNoCuda();
    Path missing = dir.resolve("absent.onnx");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OnnxEvaluator.builder(missing, Reference.arrays(6), 3)
            .device(Device.cuda().withCpuFallback()).build());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
