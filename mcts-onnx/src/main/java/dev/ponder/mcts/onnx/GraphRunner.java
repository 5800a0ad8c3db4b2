package dev.ponder.mcts.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs one ONNX session over float inputs and outputs in chunks, with tensors created once over
 * reused direct buffers and outputs written in place (pinned outputs), then copied into Java arrays.
 *
 * <p>The buffers and tensors of one call over any number of rows are a {@link Call}, which is filled,
 * run and read in separate steps, so that a staged evaluator can fill and read on one thread and run
 * on another. {@link #run} takes its call from a pool, so calls from several threads run in parallel
 * without sharing buffers; the pool holds at most one call per thread that ever called at the same
 * time. Models with a fixed batch size get chunks of exactly that size, the last one padded with
 * zeros; others get chunks of at most {@code maxBatch} rows. Not closed under running calls: the
 * owner's {@link Lifecycle} sees to that.
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

  private static final float[] ZEROS = new float[4096];

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Path model;
  private final Port[] inputs;
  private final Port[] outputs;
  /** The most floats one direct buffer holds: its size in bytes is an int. */
  static final int MAX_BUFFER_FLOATS = Integer.MAX_VALUE / Float.BYTES;

  private final int fixedBatch; // 0 when the batch axis is dynamic
  private final int chunk;
  private final ConcurrentLinkedDeque<Call> free = new ConcurrentLinkedDeque<>();
  private final Set<Call> all = new HashSet<>(); // guarded by itself

  GraphRunner(OrtEnvironment env, OrtSession session, Path model, List<Port> inputs,
      List<Port> outputs, int fixedBatch, int maxBatch) {
    this.env = env;
    this.session = session;
    this.model = model;
    this.inputs = inputs.toArray(Port[]::new);
    this.outputs = outputs.toArray(Port[]::new);
    this.fixedBatch = fixedBatch;
    this.chunk = fixedBatch > 0 ? fixedBatch : maxBatch;
    for (Port port : this.inputs) {
      checkFits(port);
    }
    for (Port port : this.outputs) {
      checkFits(port);
    }
  }

  /** Checks that a chunk of {@code port} fits one direct buffer, the ones {@link Call} keeps per chunk. */
  private void checkFits(Port port) {
    long floats = (long) chunk * port.rowSize();
    if (floats <= MAX_BUFFER_FLOATS) {
      return;
    }
    String need = String.format("%d rows of tensor '%s' (%d floats each) do not fit one buffer of at most %d"
        + " floats", chunk, port.name(), port.rowSize(), MAX_BUFFER_FLOATS);
    if (fixedBatch > 0) {
      throw new ModelContractException(model, port.name(), "a fixed batch size of at most "
          + MAX_BUFFER_FLOATS / port.rowSize(), "" + fixedBatch,
          String.format("model %s: fixed batch size %d is too large: %s", model, fixedBatch, need));
    }
    throw new IllegalArgumentException(String.format("maxBatch %d is too large for model %s: %s", chunk, model,
        need));
  }

  Path model() {
    return model;
  }

  /** Rows per chunk: the fixed batch size, or {@code maxBatch}. */
  int chunkSize() {
    return chunk;
  }

  /** A new call, freed by {@link Call#close} or by {@link #close}. */
  Call newCall() {
    Call call = new Call();
    synchronized (all) {
      all.add(call);
    }
    return call;
  }

  /** Runs the graph over {@code rows} rows, in chunks, with a pooled call. */
  void run(int rows, Feed feed, Drain drain) {
    Call call = free.pollFirst();
    if (call == null) {
      call = newCall();
    }
    try {
      int chunks = call.prepare(rows);
      for (int k = 0; k < chunks; k++) {
        feed.fill(k * chunk, call.rows(k), call.inputs(k));
        call.seal(k);
      }
      call.run();
      for (int k = 0; k < chunks; k++) {
        drain.read(k * chunk, call.rows(k), call.outputs(k));
      }
    } finally {
      free.addFirst(call);
    }
  }

  /** Closes every call's tensors and the session. Only when no call is running. */
  void close() {
    synchronized (all) {
      for (Call call : all) {
        call.closeChunks();
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

  /**
   * The buffers and tensors of one call over any number of rows, reused from call to call: one chunk
   * per {@link #chunkSize()} rows, each made on first need for as many rows as it is given (the next
   * power of two, at most the chunk size; a fixed batch at once) and remade larger when it is given
   * more, so a large {@code maxBatch} costs memory only once batches are that large. The steps:
   * {@link #prepare}, then for each chunk {@link #inputs} (write) and {@link #seal}; {@link #run}; then
   * {@link #outputs} per chunk. One step at a time; {@link #run} touches nothing but the chunks'
   * buffers and tensors.
   */
  final class Call {
    private Chunk[] chunks = new Chunk[0];
    private int rows;
    private int used; // chunks of the current rows

    /** Sets the number of rows of the next run; returns the number of chunks. */
    int prepare(int rows) {
      this.rows = rows;
      used = (rows + chunk - 1) / chunk;
      if (used > chunks.length) {
        chunks = Arrays.copyOf(chunks, used);
      }
      for (int k = 0; k < used; k++) {
        int needed = fixedBatch > 0 ? chunk : rows(k);
        if (chunks[k] == null || chunks[k].capacity < needed) {
          if (chunks[k] != null) {
            chunks[k].close();
          }
          chunks[k] = new Chunk((int) Math.min(chunk, Long.highestOneBit(2L * needed - 1))); // a power of two
        }
        chunks[k].batch = 0; // not sealed
      }
      return used;
    }

    /** Rows in chunk {@code k}. */
    int rows(int k) {
      return Math.min(chunk, rows - k * chunk);
    }

    /** The input buffers of chunk {@code k}, cleared: write its rows with relative puts. */
    FloatBuffer[] inputs(int k) {
      FloatBuffer[] in = chunks[k].in;
      for (FloatBuffer buffer : in) {
        buffer.clear();
      }
      return in;
    }

    /**
     * Checks that chunk {@code k}'s rows were written, pads a fixed batch with zero rows and makes the
     * tensors for its batch size (once per size).
     */
    void seal(int k) {
      Chunk c = chunks[k];
      int count = rows(k);
      int batch = fixedBatch > 0 ? fixedBatch : count;
      for (int i = 0; i < c.in.length; i++) {
        FloatBuffer in = c.in[i];
        int expected = count * inputs[i].rowSize();
        if (in.position() != expected) {
          throw new IllegalStateException(String.format(
              "%d floats were written for input '%s' of %s, expected %d (%d rows of %d)",
              in.position(), inputs[i].name(), model, expected, count, inputs[i].rowSize()));
        }
        in.limit(in.capacity());
        for (int pad = (batch - count) * inputs[i].rowSize(); pad > 0; ) {
          int n = Math.min(pad, ZEROS.length);
          in.put(ZEROS, 0, n); // padding rows of a fixed-batch model
          pad -= n;
        }
      }
      try {
        c.ensureTensors(batch);
      } catch (OrtException e) {
        throw new OnnxRunException(model, e);
      }
      c.batch = batch;
    }

    /** Runs the graph over every sealed chunk: the network and nothing else. */
    void run() {
      for (int k = 0; k < used; k++) {
        Chunk c = chunks[k];
        if (c.batch == 0) {
          throw new IllegalStateException("chunk " + k + " of a call of " + model + " was not sealed");
        }
        try {
          session.run(c.inTensors[c.batch], c.outTensors[c.batch]).close(); // outputs written in place
        } catch (OrtException e) {
          throw new OnnxRunException(model, e);
        }
      }
    }

    /** Chunk {@code k}'s first input as encoded (read it with absolute gets): for error messages. */
    FloatBuffer encoded(int k) {
      return chunks[k].in[0];
    }

    /** Floats of direct buffer the call holds, inputs and outputs: what its rows cost in memory. */
    long bufferFloats() {
      long floats = 0;
      for (Chunk c : chunks) {
        if (c != null) {
          for (FloatBuffer b : c.in) {
            floats += b.capacity();
          }
          for (FloatBuffer b : c.out) {
            floats += b.capacity();
          }
        }
      }
      return floats;
    }

    /** The outputs of chunk {@code k}, copied into arrays: row-major, {@code rows(k) * rowSize} floats. */
    float[][] outputs(int k) {
      Chunk c = chunks[k];
      int count = rows(k);
      for (int o = 0; o < c.out.length; o++) {
        c.out[o].get(0, c.outArrays[o], 0, count * outputs[o].rowSize());
      }
      return c.outArrays;
    }

    /** Frees the tensors; the call may not be used again. */
    void close() {
      synchronized (all) {
        if (all.remove(this)) {
          closeChunks();
        }
      }
    }

    private void closeChunks() {
      for (Chunk c : chunks) {
        if (c != null) {
          c.close();
        }
      }
      chunks = new Chunk[0];
      used = 0;
    }
  }

  /** The buffers of up to {@code capacity} rows, and tensors over them per batch size. */
  private final class Chunk {
    final int capacity;
    final FloatBuffer[] in = new FloatBuffer[inputs.length];
    final FloatBuffer[] out = new FloatBuffer[outputs.length];
    final float[][] outArrays = new float[outputs.length][];
    // per batch size n in [1, capacity]: the tensors over the first n rows of the buffers
    final Map<String, OnnxTensor>[] inTensors;
    final Map<String, OnnxTensor>[] outTensors;
    int batch; // the batch size of the sealed inputs, 0 if not sealed

    @SuppressWarnings({"unchecked", "rawtypes"})
    Chunk(int capacity) {
      this.capacity = capacity;
      for (int i = 0; i < inputs.length; i++) {
        in[i] = direct(capacity * inputs[i].rowSize());
      }
      for (int o = 0; o < outputs.length; o++) {
        out[o] = direct(capacity * outputs[o].rowSize());
        outArrays[o] = new float[capacity * outputs[o].rowSize()];
      }
      inTensors = new Map[capacity + 1];
      outTensors = new Map[capacity + 1];
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
      batch = 0;
    }
  }
}
