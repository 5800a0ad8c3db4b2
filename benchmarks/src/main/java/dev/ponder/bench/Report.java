package dev.ponder.bench;

import com.google.common.util.concurrent.Uninterruptibles;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Output of the runner: with {@code --json} one JSON object per line (the last line of a command is its
 * summary), otherwise readable text. Also the statistics the figures are quoted with (medians).
 */
final class Report {

  private final PrintStream out;
  private final boolean json;

  Report(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** An ordered record of key/value pairs. */
  static Map<String, Object> record(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Prints one record: a JSON line, or {@code title: key=value ...}. */
  void line(String title, Map<String, Object> fields) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", title);
      m.putAll(fields);
      out.println(toJson(m));
    } else {
      StringBuilder sb = new StringBuilder(title).append(':');
      fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(text(v)));
      out.println(sb);
    }
    out.flush();
  }

  /** A free-text note (only without --json). */
  void note(String text) {
    if (!json) {
      out.println(text);
      out.flush();
    }
  }

  static String toJson(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(quote(String.valueOf(e.getKey()))).append(':').append(toJson(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (v instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        sb.append(i > 0 ? "," : "").append(toJson(list.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof double[] d) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < d.length; i++) {
        sb.append(i > 0 ? "," : "").append(toJson(d[i]));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return "null";
      }
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
          : String.format(Locale.ROOT, "%.6g", d);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(v.toString());
  }

  private static String text(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d)
          : String.format(Locale.ROOT, "%.4g", d);
    }
    if (v instanceof double[] || v instanceof Map || v instanceof List) {
      return toJson(v);
    }
    return String.valueOf(v);
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The one-minute load average, or -1 where the platform has none. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * The median time, in nanoseconds, of a round trip between two threads through one shared variable
   * (each spins until the other has written it): how far apart the cores the threads run on are. On
   * the benchmarks' virtual machine it is about 50 ns when its two cores share a cache, about 420 ns
   * when they sit on different dies, and the two-thread figures follow it.
   */
  static double coreRoundTripNanos() {
    AtomicLong ball = new AtomicLong();
    int trips = 20_000;
    Thread partner = new Thread(() -> {
      for (long i = 1; i <= 11L * trips; i++) {
        while (ball.get() != 2 * i - 1) {
          Thread.onSpinWait();
        }
        ball.set(2 * i);
      }
    }, "ponder-round-trip");
    partner.setDaemon(true);
    partner.start();
    double[] rounds = new double[11]; // the first few warm up the compiler
    long i = 0;
    for (int r = 0; r < rounds.length; r++) {
      long start = System.nanoTime();
      for (int k = 0; k < trips; k++) {
        i++;
        ball.set(2 * i - 1);
        while (ball.get() != 2 * i) {
          Thread.onSpinWait();
        }
      }
      rounds[r] = (System.nanoTime() - start) / (double) trips;
    }
    Uninterruptibles.joinUninterruptibly(partner);
    return median(rounds);
  }

  /** What the machine is: processors, JVM, OS, max heap. */
  static Map<String, Object> machine() {
    Runtime rt = Runtime.getRuntime();
    return record("processors", rt.availableProcessors(),
        "jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        "max_heap_mb", rt.maxMemory() / (1024 * 1024),
        "load_average", loadAverage());
  }
}
