package dev.ponder.examples.json;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny JSON object writer for the command line's JSON lines: keys keep their insertion order, and
 * {@link #toString()} gives compact JSON on one line.
 *
 * <p>Values may be null, strings, booleans, {@code int}/{@code long}/{@code double} numbers (a NaN or
 * infinite double is written as null), nested {@link Json} objects, {@code int[]}, {@code double[]} and
 * {@code Object[]} (elements of the same kinds, so {@code Integer[]} with nulls for missing entries).
 */
public final class Json {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  private Json() {}

  /** An empty object. */
  public static Json object() {
    return new Json();
  }

  /** Adds (or replaces) a field; returns this. */
  public Json put(String key, Object value) {
    checkNotNull(key, "key must not be null");
    if (!isSupported(value)) {
      throw new IllegalArgumentException("unsupported JSON value type " + value.getClass().getName() + " for key "
          + key);
    }
    fields.put(key, value);
    return this;
  }

  private static boolean isSupported(Object v) {
    return v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Double || v instanceof Float || v instanceof Json || v instanceof int[]
        || v instanceof double[] || v instanceof Object[];
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    write(b);
    return b.toString();
  }

  private void write(StringBuilder b) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      writeString(b, e.getKey());
      b.append(':');
      writeValue(b, e.getValue());
    }
    b.append('}');
  }

  private static void writeValue(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      writeString(b, s);
    } else if (v instanceof Json j) {
      j.write(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        b.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        b.append((long) d); // integral doubles without ".0"
      } else {
        b.append(d);
      }
    } else if (v instanceof int[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ",").append(a[i]);
      }
      b.append(']');
    } else if (v instanceof double[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ",");
        writeValue(b, a[i]);
      }
      b.append(']');
    } else if (v instanceof Object[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (!isSupported(a[i])) {
          throw new IllegalArgumentException("unsupported JSON array element type " + a[i].getClass().getName());
        }
        b.append(i == 0 ? "" : ",");
        writeValue(b, a[i]);
      }
      b.append(']');
    } else {
      b.append(v); // Boolean, Integer, Long
    }
  }

  private static void writeString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
