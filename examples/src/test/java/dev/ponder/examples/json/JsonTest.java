package dev.ponder.examples.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesScalarsInInsertionOrder() {
    Json j = Json.object().put("b", 1).put("a", "x").put("t", true).put("n", null).put("l", 5_000_000_000L);
    assertEquals("{\"b\":1,\"a\":\"x\",\"t\":true,\"n\":null,\"l\":5000000000}", j.toString());
  }

  @Test
  void writesDoublesAndNonFiniteAsNull() {
    Json j = Json.object().put("half", 0.5).put("two", 2.0).put("nan", Double.NaN).put("inf", Double.NEGATIVE_INFINITY);
    assertEquals("{\"half\":0.5,\"two\":2,\"nan\":null,\"inf\":null}", j.toString());
  }

  @Test
  void writesArraysAndNestedObjects() {
    Json j = Json.object().put("i", new int[] {1, 2}).put("d", new double[] {0.25, Double.NaN})
        .put("o", new Integer[] {3, null}).put("s", Json.object().put("k", new int[0]));
    assertEquals("{\"i\":[1,2],\"d\":[0.25,null],\"o\":[3,null],\"s\":{\"k\":[]}}", j.toString());
  }

  @Test
  void escapesStrings() {
    assertEquals("{\"q\":\"a\\\"b\\\\c\\nd\\u0001\"}", Json.object().put("q", "a\"b\\c\nd\u0001").toString());
  }

  @Test
  void rejectsUnsupportedValues() {
    assertThrows(IllegalArgumentException.class, () -> Json.object().put("x", new Object()));
    assertThrows(NullPointerException.class, () -> Json.object().put(null, 1));
  }
}
