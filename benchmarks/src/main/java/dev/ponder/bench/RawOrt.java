package dev.ponder.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ponder.examples.connect4.Connect4Position;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The truest raw ONNX Runtime baseline: one {@link OrtSession} (one intra-op and one inter-op thread,
 * all graph optimisations), one input tensor created once over a direct buffer holding B encoded
 * Connect Four positions, and pre-allocated output tensors passed to {@code run}, called in a loop. No
 * encoding, no output copy, no prior or value handling: only the network.
 */
final class RawOrt implements AutoCloseable {

  private final OrtSession session;
  private final OnnxTensor input;
  private final OnnxTensor policy;
  private final OnnxTensor value;
  private final Map<String, OnnxTensor> inputs;
  private final Map<String, OnnxTensor> outputs;
  private final int batchSize;

  RawOrt(Path model, List<Connect4Position> states) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(model.toString(), options);
    }
    int b = states.size();
    batchSize = b;
    FloatBuffer in = direct(b * Connect4FlatEncoder.SIZE);
    Connect4FlatEncoder encoder = new Connect4FlatEncoder();
    for (Connect4Position p : states) {
      encoder.encode(p, in);
    }
    in.rewind();
    input = OnnxTensor.createTensor(env, in, new long[] {b, Connect4FlatEncoder.SIZE});
    policy = OnnxTensor.createTensor(env, direct(b * Connect4Position.WIDTH), new long[] {b, Connect4Position.WIDTH});
    value = OnnxTensor.createTensor(env, direct(b), new long[] {b, 1});
    inputs = Map.of("observation", input);
    outputs = Map.of("policy", policy, "value", value);
  }

  /** B, the rows of the tensor. */
  int batchSize() {
    return batchSize;
  }

  /** One forward pass over the B states. */
  void run() throws OrtException {
    session.run(inputs, outputs).close(); // outputs are written in place, into the pinned tensors
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Override
  public void close() throws OrtException {
    input.close();
    policy.close();
    value.close();
    session.close();
  }
}
