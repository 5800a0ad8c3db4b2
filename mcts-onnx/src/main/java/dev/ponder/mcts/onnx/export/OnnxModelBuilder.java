package dev.ponder.mcts.onnx.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.protobuf.ByteString;
import dev.ponder.mcts.onnx.proto.Onnx.AttributeProto;
import dev.ponder.mcts.onnx.proto.Onnx.GraphProto;
import dev.ponder.mcts.onnx.proto.Onnx.ModelProto;
import dev.ponder.mcts.onnx.proto.Onnx.NodeProto;
import dev.ponder.mcts.onnx.proto.Onnx.OperatorSetIdProto;
import dev.ponder.mcts.onnx.proto.Onnx.TensorProto;
import dev.ponder.mcts.onnx.proto.Onnx.TensorShapeProto;
import dev.ponder.mcts.onnx.proto.Onnx.TypeProto;
import dev.ponder.mcts.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an ONNX model graph by graph node: inputs and outputs with their element types and shapes,
 * constant initializers (weights), and operator nodes. The building block of {@link PolicyValueMlp}
 * and {@link MuZeroMlps}; also useful to write a model that deliberately breaks a contract, in tests.
 *
 * <p>Models use IR version 8 and the standard operator set {@value #DEFAULT_OPSET} unless told
 * otherwise. No check of the graph is made here: ONNX Runtime checks it when it loads the model.
 * Not thread-safe.
 */
public final class OnnxModelBuilder {

  /** The ONNX operator set used by default (supported by ONNX Runtime 1.29). */
  public static final int DEFAULT_OPSET = 17;
  /** The IR version written. */
  public static final int IR_VERSION = 8;

  /** Element types of tensors, with their ONNX codes. */
  public enum ElementType {
    /** float32. */
    FLOAT(TensorProto.DataType.FLOAT),
    /** float64. */
    DOUBLE(TensorProto.DataType.DOUBLE),
    /** int32. */
    INT32(TensorProto.DataType.INT32),
    /** int64. */
    INT64(TensorProto.DataType.INT64);

    private final TensorProto.DataType type;

    ElementType(TensorProto.DataType type) {
      this.type = type;
    }

    /** The ONNX element type code. */
    public int code() {
      return type.getNumber();
    }
  }

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int opset = DEFAULT_OPSET;
  private int nodes;

  /** A builder of a graph named {@code name}. */
  public OnnxModelBuilder(String name) {
    graph.setName(checkNotNull(name, "name"));
  }

  /** The standard operator set version; default {@value #DEFAULT_OPSET}. */
  public OnnxModelBuilder opset(int version) {
    checkArgument(version >= 7, "opset must be at least 7, was %s", version);
    this.opset = version;
    return this;
  }

  /**
   * Declares a graph input.
   *
   * @param dims each a {@link Number} (a fixed size) or a {@link String} (a symbolic size such as
   *     {@code "N"} for a dynamic batch axis)
   */
  public OnnxModelBuilder input(String name, ElementType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return this;
  }

  /** Declares a graph output; {@code dims} as for {@link #input}. */
  public OnnxModelBuilder output(String name, ElementType type, Object... dims) {
    graph.addOutput(valueInfo(name, type, dims));
    return this;
  }

  /** Adds a constant float tensor of shape {@code dims} (row-major values). */
  public OnnxModelBuilder initializer(String name, float[] values, long... dims) {
    checkNotNull(name, "initializer name must not be null");
    checkNotNull(values, "values of initializer %s must not be null", name);
    checkNotNull(dims, "dims of initializer %s must not be null", name);
    checkArgument(values.length == count(dims), "initializer %s: %s values for shape %s", name,
        values.length, java.util.Arrays.toString(dims));
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    graph.addInitializer(tensor(name, ElementType.FLOAT, dims).setRawData(ByteString.copyFrom(raw)));
    return this;
  }

  /** Adds a constant int64 tensor of shape {@code dims}. */
  public OnnxModelBuilder initializer(String name, long[] values, long... dims) {
    checkNotNull(name, "initializer name must not be null");
    checkNotNull(values, "values of initializer %s must not be null", name);
    checkNotNull(dims, "dims of initializer %s must not be null", name);
    checkArgument(values.length == count(dims), "initializer %s: %s values for shape %s", name,
        values.length, java.util.Arrays.toString(dims));
    TensorProto.Builder t = tensor(name, ElementType.INT64, dims);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return this;
  }

  /**
   * Adds an operator node.
   *
   * @param opType the ONNX operator, e.g. {@code Gemm}
   * @param inputs names of its inputs
   * @param outputs names of its outputs
   * @param attributes name-value pairs: values are Long/Integer (INT), Float/Double (FLOAT),
   *     String (STRING), long[] or int[] (INTS), float[] (FLOATS)
   */
  public OnnxModelBuilder node(String opType, String[] inputs, String[] outputs,
      Object... attributes) {
    checkNotNull(opType, "opType must not be null");
    checkNotNull(inputs, "inputs of %s must not be null", opType);
    checkNotNull(outputs, "outputs of %s must not be null", opType);
    checkNotNull(attributes, "attributes of %s must not be null", opType);
    checkArgument(attributes.length % 2 == 0, "attributes must be name-value pairs");
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType)
        .setName(opType.toLowerCase(java.util.Locale.ROOT) + "_" + nodes++);
    for (int i = 0; i < inputs.length; i++) {
      node.addInput(checkNotNull(inputs[i], "input %s of %s is null", i, opType));
    }
    for (int i = 0; i < outputs.length; i++) {
      node.addOutput(checkNotNull(outputs[i], "output %s of %s is null", i, opType));
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (!(attributes[i] instanceof String name)) {
        throw new IllegalArgumentException(String.format("attribute %d of %s: a name must come first, a String,"
            + " was %s", i / 2, opType, attributes[i]));
      }
      checkNotNull(attributes[i + 1], "attribute %s of %s has no value", name, opType);
      node.addAttribute(attribute(name, attributes[i + 1]));
    }
    graph.addNode(node);
    return this;
  }

  /** The model. */
  public ModelProto build() {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("ponder")
        .setProducerVersion("0.1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph.clone())
        .build();
  }

  /** The model serialized: the content of a {@code .onnx} file. */
  public byte[] toByteArray() {
    return build().toByteArray();
  }

  /** Writes the model to {@code file}, replacing it; returns {@code file}. */
  public Path write(Path file) {
    checkNotNull(file, "file must not be null");
    try {
      Files.write(file, toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file, e);
    }
  }

  private static long count(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  private static TensorProto.Builder tensor(String name, ElementType type, long[] dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.code());
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  private static ValueInfoProto valueInfo(String name, ElementType type, Object[] dims) {
    checkNotNull(name, "name must not be null");
    checkNotNull(type, "element type of %s must not be null", name);
    checkNotNull(dims, "dims of %s must not be null", name);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      if (d instanceof Number n) {
        checkArgument(n.doubleValue() == n.longValue(), "dimension %s of %s must be a whole number", n, name);
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue()));
      } else if (d instanceof String s) {
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
      } else {
        throw new IllegalArgumentException("a dimension must be a Number or a String, was " + d);
      }
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape)))
        .build();
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (value instanceof Integer || value instanceof Long) {
      a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
    } else if (value instanceof Float || value instanceof Double) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
    } else if (value instanceof String s) {
      a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (value instanceof long[] longs) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long v : longs) {
        a.addInts(v);
      }
    } else if (value instanceof int[] ints) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (int v : ints) {
        a.addInts(v);
      }
    } else if (value instanceof float[] floats) {
      a.setType(AttributeProto.AttributeType.FLOATS);
      for (float v : floats) {
        a.addFloats(v);
      }
    } else {
      throw new IllegalArgumentException("unsupported attribute value for " + name + ": " + value);
    }
    return a.build();
  }
}
