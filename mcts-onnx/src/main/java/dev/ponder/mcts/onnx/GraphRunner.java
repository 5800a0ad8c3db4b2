package dev.ponder.mcts.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs one ONNX session over float inputs and outputs in chunks, with tensors created once over
 * reused direct buffers and outputs written in place (pinned outputs), then copied into Java arrays.
 *
 * <p>Each concurrent call takes its own {@link Slot} (buffers and tensors) from a pool, so calls from
 * several threads run in parallel without sharing buffers; a pool holds at most one slot per thread
 * that ever called at the same time. Models with a fixed batch size get chunks of exactly that size,
 * the last one padded with zeros. Not closed under running calls: the owner's {@link Lifecycle} sees to
 * that.
 */
final class GraphRunner {

  /** A float tensor fed or read by the runner: its name and its shape without the batch axis. */
  record Port(String name, long[] rowShape) {
    int rowSize() {
      long size = 1;
      for (long d : rowShape) {
        size *= d;
      }
      return Math.toIntExact(size);
    }
  }

  /** Writes {@code count} rows, starting at row {@code start} of the whole call, into each input. */
  interface Feed {
    void fill(int start, int count, FloatBuffer[] inputs);
  }

  /** Reads {@code count} rows of each output (row-major, {@code count * rowSize} floats). */
  interface Drain {
    void read(int start, int count, float[][] outputs);
  }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Path model;
  private final Port[] inputs;
  private final Port[] outputs;
  private final int fixedBatch; // 0 when the batch axis is dynamic
  private final int chunk;
  private final ConcurrentLinkedDeque<Slot> free = new ConcurrentLinkedDeque<>();
  private final List<Slot> all = new ArrayList<>(); // guarded by itself

  GraphRunner(OrtEnvironment env, OrtSession session, Path model, List<Port> inputs,
      List<Port> outputs, int fixedBatch, int maxBatch) {
    this.env = env;
    this.session = session;
    this.model = model;
    this.inputs = inputs.toArray(Port[]::new);
    this.outputs = outputs.toArray(Port[]::new);
    this.fixedBatch = fixedBatch;
    this.chunk = fixedBatch > 0 ? fixedBatch : maxBatch;
  }

  Path model() {
    return model;
  }

  /** Runs the graph over {@code rows} rows, in chunks. */
  void run(int rows, Feed feed, Drain drain) {
    Slot slot = free.pollFirst();
    if (slot == null) {
      slot = new Slot();
      synchronized (all) {
        all.add(slot);
      }
    }
    try {
      for (int start = 0; start < rows; start += chunk) {
        int count = Math.min(chunk, rows - start);
        slot.run(start, count, feed, drain);
      }
    } finally {
      free.addFirst(slot);
    }
  }

  /** Closes every tensor and the session. Only when no call is running. */
  void close() {
    synchronized (all) {
      for (Slot slot : all) {
        slot.close();
      }
      all.clear();
    }
    free.clear();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + model + " failed: "
          + ModelLoadException.oneLine(e.getMessage()), e);
    }
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES))
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private static long[] withBatch(int batch, long[] rowShape) {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = batch;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return shape;
  }

  /** The buffers and tensors of one call. */
  private final class Slot {
    final FloatBuffer[] in = new FloatBuffer[inputs.length];
    final FloatBuffer[] out = new FloatBuffer[outputs.length];
    final float[][] outArrays = new float[outputs.length][];
    // per batch size n in [1, chunk]: the tensors over the first n rows of the buffers
    final Map<String, OnnxTensor>[] inTensors;
    final Map<String, OnnxTensor>[] outTensors;

    @SuppressWarnings("unchecked")
    Slot() {
      for (int i = 0; i < inputs.length; i++) {
        in[i] = direct(chunk * inputs[i].rowSize());
      }
      for (int o = 0; o < outputs.length; o++) {
        out[o] = direct(chunk * outputs[o].rowSize());
        outArrays[o] = new float[chunk * outputs[o].rowSize()];
      }
      inTensors = new Map[chunk + 1];
      outTensors = new Map[chunk + 1];
    }

    void run(int start, int count, Feed feed, Drain drain) {
      for (int i = 0; i < in.length; i++) {
        in[i].clear();
      }
      feed.fill(start, count, in);
      int batch = fixedBatch > 0 ? fixedBatch : count;
      for (int i = 0; i < in.length; i++) {
        int expected = count * inputs[i].rowSize();
        if (in[i].position() != expected) {
          throw new IllegalStateException(String.format(
              "%d floats were written for input '%s' of %s, expected %d (%d rows of %d)",
              in[i].position(), inputs[i].name(), model, expected, count, inputs[i].rowSize()));
        }
        in[i].limit(in[i].capacity());
        while (in[i].position() < batch * inputs[i].rowSize()) {
          in[i].put(0f); // padding rows of a fixed-batch model
        }
      }
      try {
        ensureTensors(batch);
        try (OrtSession.Result ignored = session.run(inTensors[batch], outTensors[batch])) {
          // outputs were written in place into the pinned tensors
        }
      } catch (OrtException e) {
        throw new OnnxRunException(model, e);
      }
      for (int o = 0; o < out.length; o++) {
        out[o].get(0, outArrays[o], 0, count * outputs[o].rowSize());
      }
      drain.read(start, count, outArrays);
    }

    void ensureTensors(int batch) throws OrtException {
      if (inTensors[batch] != null) {
        return;
      }
      Map<String, OnnxTensor> ins = new HashMap<>();
      Map<String, OnnxTensor> outs = new HashMap<>();
      try {
        for (int i = 0; i < inputs.length; i++) {
          ins.put(inputs[i].name(), tensor(in[i], batch, inputs[i]));
        }
        for (int o = 0; o < outputs.length; o++) {
          outs.put(outputs[o].name(), tensor(out[o], batch, outputs[o]));
        }
      } catch (OrtException | RuntimeException e) {
        ins.values().forEach(OnnxTensor::close);
        outs.values().forEach(OnnxTensor::close);
        throw e;
      }
      inTensors[batch] = ins;
      outTensors[batch] = outs;
    }

    OnnxTensor tensor(FloatBuffer buffer, int batch, Port port) throws OrtException {
      FloatBuffer view = buffer.duplicate().clear().limit(batch * port.rowSize()).slice();
      return OnnxTensor.createTensor(env, view, withBatch(batch, port.rowShape()));
    }

    void close() {
      for (int n = 0; n < inTensors.length; n++) {
        if (inTensors[n] != null) {
          inTensors[n].values().forEach(OnnxTensor::close);
          outTensors[n].values().forEach(OnnxTensor::close);
          inTensors[n] = null;
          outTensors[n] = null;
        }
      }
    }
  }
}
