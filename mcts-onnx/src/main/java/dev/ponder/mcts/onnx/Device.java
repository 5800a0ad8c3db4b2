package dev.ponder.mcts.onnx;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * Where a model runs: the CPU (the default), or a CUDA GPU, optionally falling back to the CPU when
 * CUDA cannot be loaded. Immutable.
 *
 * <p>CUDA needs the {@code onnxruntime_gpu} artifact instead of {@code onnxruntime} (the Maven profile
 * {@code cuda} of this module) and the CUDA 12 libraries; see the module's README. Without them,
 * loading a model on {@link #cuda()} throws an {@link ExecutionProviderException}, unless
 * {@link #withCpuFallback()} was asked, in which case the model runs on the CPU and a warning is
 * logged once per process.
 */
public final class Device {

  private static final Device CPU = new Device(false, 0, false);

  private final boolean cuda;
  private final int deviceId;
  private final boolean cpuFallback;

  private Device(boolean cuda, int deviceId, boolean cpuFallback) {
    this.cuda = cuda;
    this.deviceId = deviceId;
    this.cpuFallback = cpuFallback;
  }

  /** The CPU. */
  public static Device cpu() {
    return CPU;
  }

  /** CUDA device 0, failing to load when CUDA is unavailable. */
  public static Device cuda() {
    return cuda(0);
  }

  /** CUDA device {@code deviceId} (non-negative), failing to load when CUDA is unavailable. */
  public static Device cuda(int deviceId) {
    checkArgument(deviceId >= 0, "CUDA device id must be non-negative, was %s", deviceId);
    return new Device(true, deviceId, false);
  }

  /** This CUDA device, but running on the CPU (with a warning logged once) if CUDA cannot load. */
  public Device withCpuFallback() {
    checkArgument(cuda, "a CPU fallback only applies to a CUDA device");
    return new Device(true, deviceId, true);
  }

  /** Whether this is a CUDA device. */
  public boolean isCuda() {
    return cuda;
  }

  /** The CUDA device id (0 for the CPU). */
  public int deviceId() {
    return deviceId;
  }

  /** Whether loading falls back to the CPU when CUDA is unavailable. */
  public boolean cpuFallback() {
    return cpuFallback;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Device d
        && d.cuda == cuda && d.deviceId == deviceId && d.cpuFallback == cpuFallback;
  }

  @Override
  public int hashCode() {
    return Objects.hash(cuda, deviceId, cpuFallback);
  }

  @Override
  public String toString() {
    return cuda ? "cuda:" + deviceId + (cpuFallback ? " (CPU fallback)" : "") : "cpu";
  }
}
