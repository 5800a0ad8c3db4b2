package dev.ponder.mcts.onnx;

import dev.ponder.mcts.onnx.export.Dense;
import dev.ponder.mcts.onnx.export.MuZeroMlps;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;

/** Plain-Java forward passes of the networks the tests export, in double precision. */
final class Reference {

  private Reference() {}

  static double[] dense(Dense layer, double[] x, boolean relu) {
    float[][] w = layer.weights();
    float[] b = layer.bias();
    double[] y = new double[w.length];
    for (int o = 0; o < w.length; o++) {
      double s = b[o];
      for (int i = 0; i < x.length; i++) {
        s += w[o][i] * x[i];
      }
      y[o] = relu ? Math.max(0, s) : s;
    }
    return y;
  }

  static double[] mlp(List<Dense> layers, double[] x, boolean reluAfterLast) {
    for (int i = 0; i < layers.size(); i++) {
      x = dense(layers.get(i), x, i < layers.size() - 1 || reluAfterLast);
    }
    return x;
  }

  /** Logits then value (tanh) of a policy/value MLP. */
  static double[][] policyValue(PolicyValueMlp net, float[] observation) {
    double[] x = toDouble(observation);
    double[] h = net.trunk().isEmpty() ? x : mlp(net.trunk(), x, true);
    double[] logits = dense(net.policyHead(), h, false);
    double value = Math.tanh(dense(net.valueHead(), h, false)[0]);
    return new double[][] {logits, {value}};
  }

  static double[] softmax(double[] logits, int[] legal) {
    double max = Double.NEGATIVE_INFINITY;
    for (int a : legal) {
      max = Math.max(max, logits[a]);
    }
    double[] p = new double[legal.length];
    double sum = 0;
    for (int k = 0; k < legal.length; k++) {
      p[k] = Math.exp(logits[legal[k]] - max);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  static double[] representation(MuZeroMlps m, float[] observation) {
    return mlp(m.representation(), toDouble(observation), false);
  }

  /** Next latent then reward. */
  static double[][] dynamics(MuZeroMlps m, float[] latent, int action) {
    double[] x = new double[latent.length + m.actionCount()];
    for (int i = 0; i < latent.length; i++) {
      x[i] = latent[i];
    }
    x[latent.length + action] = 1;
    double[] h = m.dynamicsTrunk().isEmpty() ? x : mlp(m.dynamicsTrunk(), x, true);
    return new double[][] {dense(m.nextLatent(), h, false), dense(m.reward(), h, false)};
  }

  static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  static float[] randomObservation(int size, SplittableRandom random) {
    float[] o = new float[size];
    for (int i = 0; i < size; i++) {
      o[i] = (float) random.nextDouble(-1, 1);
    }
    return o;
  }

  /** An encoder of states that already are float arrays of a given shape. */
  static ObservationEncoder<float[]> arrays(int... shape) {
    return new ObservationEncoder<>() {
      @Override
      public int[] shape() {
        return shape.clone();
      }

      @Override
      public void encode(float[] state, FloatBuffer out) {
        out.put(state);
      }

      @Override
      public String toString() {
        return "ArrayEncoder";
      }
    };
  }
}
