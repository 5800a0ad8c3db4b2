package dev.ponder.mcts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.InvalidEvaluationException;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchPool;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.StagedEvaluator.Stage;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import dev.ponder.mcts.testkit.TreeSnapshot;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged steps of {@link OnnxEvaluator}: same answers as {@code evaluate}, same lifecycle. */
class OnnxStagesTest {

  private static final int A = 7;

  @TempDir Path dir;

  /** Two batches over the same rows: one for evaluate, one for a stage. */
  private static List<EvaluationBatch<float[]>> twins(int rows, int size, SplittableRandom random) {
    List<float[]> states = new ArrayList<>();
    int[][] legal = new int[rows][];
    for (int r = 0; r < rows; r++) {
      states.add(Reference.randomObservation(size, random));
      List<Integer> actions = new ArrayList<>();
      for (int a = 0; a < A; a++) {
        if (random.nextInt(3) > 0 || (a == A - 1 && actions.isEmpty())) {
          actions.add(a);
        }
      }
      legal[r] = actions.stream().mapToInt(Integer::intValue).toArray();
    }
    return List.of(TestBatches.of(A, states, legal), TestBatches.of(A, states, legal));
  }

  private static void assertSameAnswers(EvaluationBatch<float[]> expected,
      EvaluationBatch<float[]> actual) {
    TestBatches.checkAndNormalize(expected);
    TestBatches.checkAndNormalize(actual);
    for (int row = 0; row < expected.size(); row++) {
      assertEquals(TestBatches.value(expected, row), TestBatches.value(actual, row), 0.0,
          "value of row " + row);
      for (int k = 0; k < expected.legalCount(row); k++) {
        assertEquals(TestBatches.prior(expected, row, k), TestBatches.prior(actual, row, k), 0f,
            "prior " + k + " of row " + row);
      }
    }
  }

  private void checkStagesMatchEvaluate(OnnxEvaluator<float[]> eval, int size, int[] batchSizes) {
    SplittableRandom random = new SplittableRandom(size);
    try (Stage<float[]> stage = eval.newStage()) { // one stage for every batch size: reused
      for (int rows : batchSizes) {
        List<EvaluationBatch<float[]>> twins = twins(rows, size, random);
        eval.evaluate(twins.get(0));
        stage.encode(twins.get(1));
        stage.run();
        stage.decode(twins.get(1));
        assertSameAnswers(twins.get(0), twins.get(1));
      }
    }
  }

  @Test
  void stagedStepsGiveExactlyWhatEvaluateGivesInChunksPaddedOrNot() {
    PolicyValueMlp net = PolicyValueMlp.random(84, new int[] {32, 16}, A, 1);
    Path dynamic = net.export(2, 6, 7).write(dir.resolve("pv.onnx"));
    for (boolean own : new boolean[] {false, true}) { // stages share the evaluator's session, or not
      try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(dynamic, Reference.arrays(2, 6, 7), A)
          .maxBatch(16).sessionPerStage(own).build()) {
        checkStagesMatchEvaluate(eval, 84, new int[] {1, 2, 16, 17, 40, 1, 33});
      }
    }
    PolicyValueMlp small = PolicyValueMlp.random(42, new int[] {16}, A, 5);
    Path fixed = small.export(42).fixedBatch(8).write(dir.resolve("fixed.onnx"));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(fixed, Reference.arrays(42), A).build()) {
      checkStagesMatchEvaluate(eval, 42, new int[] {1, 8, 19, 3, 24});
    }
    Path scalar = small.export(42).scalarValue(true).write(dir.resolve("scalar.onnx"));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(scalar, Reference.arrays(42), A).build()) {
      checkStagesMatchEvaluate(eval, 42, new int[] {5, 64});
    }
  }

  @Test
  void decodeChecksTheOutputsAndNamesTheRow() {
    Path file = OnnxEvaluatorTest.probeModel(dir.resolve("probe.onnx"));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(2), A)
        .maxBatch(8).build();
        Stage<float[]> stage = eval.newStage()) {
      List<float[]> states = new ArrayList<>();
      for (int r = 0; r < 24; r++) {
        states.add(r == 13 ? new float[] {Float.NaN, 0f} : new float[] {0.5f, 0f});
      }
      EvaluationBatch<float[]> batch = TestBatches.allLegal(A, states);
      stage.encode(batch);
      stage.run(); // the network runs; only decode reads and checks
      InvalidEvaluationException e =
          assertThrows(InvalidEvaluationException.class, () -> stage.decode(batch));
      assertTrue(e.getMessage().contains("'value' is NaN for batch row 13 ("), e.getMessage());
      // and the stage works again from encode
      EvaluationBatch<float[]> ok = TestBatches.allLegal(A, List.of(new float[] {1f, 0f}));
      stage.encode(ok);
      stage.run();
      stage.decode(ok);
      TestBatches.checkAndNormalize(ok);
      assertEquals(1.0, TestBatches.value(ok, 0), 0);
    }
  }

  @Test
  void stepsOutOfOrderAreRefused() {
    Path file = OnnxEvaluatorTest.probeModel(dir.resolve("probe.onnx"));
    try (OnnxEvaluator<float[]> eval = OnnxEvaluator.builder(file, Reference.arrays(2), A).build();
        Stage<float[]> stage = eval.newStage()) {
      EvaluationBatch<float[]> three = TestBatches.allLegal(A, List.of(new float[2], new float[2],
          new float[2]));
      EvaluationBatch<float[]> one = TestBatches.allLegal(A, List.of(new float[2]));
      assertEquals("run() of a stage without encode(batch) before it",
          assertThrows(IllegalStateException.class, stage::run).getMessage());
      stage.encode(three);
      assertEquals("decode(batch) of a stage without run() before it",
          assertThrows(IllegalStateException.class, () -> stage.decode(three)).getMessage());
      stage.run();
      assertTrue(assertThrows(IllegalStateException.class, () -> stage.decode(one)).getMessage()
          .startsWith("decode(batch) was given 1 rows, encode(batch) 3"));
      stage.decode(three);
      assertThrows(IllegalArgumentException.class,
          () -> stage.encode(TestBatches.allLegal(A + 1, List.of(new float[2]))));
    }
  }

  @Test
  void aClosedStageRefusesEveryStepAndItsEvaluatorWorksOn() {
    for (boolean own : new boolean[] {false, true}) {
      Path file = OnnxEvaluatorTest.probeModel(dir.resolve("probe.onnx"));
      try (OnnxEvaluator<float[]> eval =
          OnnxEvaluator.builder(file, Reference.arrays(2), A).sessionPerStage(own).build()) {
        EvaluationBatch<float[]> batch = TestBatches.allLegal(A, List.of(new float[2], new float[2]));
        Stage<float[]> stage = eval.newStage();
        stage.encode(batch);
        stage.close(); // between two steps
        String closed = "a stage of " + eval + " is closed";
        assertEquals(closed, assertThrows(IllegalStateException.class, stage::run).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> stage.decode(batch)).getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> stage.encode(batch)).getMessage());
        stage.close(); // idempotent
        eval.evaluate(batch);
      }
    }
  }

  @Test
  void aStageRefusesEveryStepOnceTheEvaluatorIsClosedAndItsCloseThenDoesNothing() {
    for (boolean own : new boolean[] {false, true}) {
      stagesCloseWithTheEvaluator(own);
    }
  }

  private void stagesCloseWithTheEvaluator(boolean sessionPerStage) {
    Path file = OnnxEvaluatorTest.probeModel(dir.resolve("probe.onnx"));
    OnnxEvaluator<float[]> eval =
        OnnxEvaluator.builder(file, Reference.arrays(2), A).sessionPerStage(sessionPerStage).build();
    Stage<float[]> stage = eval.newStage();
    Stage<float[]> closedFirst = eval.newStage();
    closedFirst.close();
    closedFirst.close(); // idempotent
    EvaluationBatch<float[]> batch = TestBatches.allLegal(A, List.of(new float[2]));
    EvaluationBatch<float[]> whole = TestBatches.allLegal(A, List.of(new float[2]));
    eval.evaluate(whole); // the evaluator still works once a stage (and its session, if any) closed
    stage.encode(batch);
    stage.run();
    stage.decode(batch);
    assertSameAnswers(whole, batch);
    stage.encode(batch);
    stage.run();
    eval.close(); // frees the stage's tensors too
    String closed = "OnnxEvaluator for model " + file + " is closed";
    assertEquals(closed, assertThrows(IllegalStateException.class, () -> stage.decode(batch))
        .getMessage());
    assertEquals(closed, assertThrows(IllegalStateException.class, () -> stage.encode(batch))
        .getMessage());
    assertEquals(closed, assertThrows(IllegalStateException.class, stage::run).getMessage());
    assertEquals(closed, assertThrows(IllegalStateException.class, eval::newStage).getMessage());
    stage.close();
    stage.close();
  }

  /** States of a {@link GameTree} (ints) as 42 floats. */
  private static ObservationEncoder<Integer> treeStates() {
    return new ObservationEncoder<>() {
      @Override
      public int[] shape() {
        return new int[] {42};
      }

      @Override
      public void encode(Integer state, FloatBuffer out) {
        for (int i = 0; i < 42; i++) {
          out.put(((state * 31 + i * 17) % 13) / 6.5f - 1f);
        }
      }
    };
  }

  @Test
  void anOverlappedPoolOverTheNetworkEndsEveryTreeAsALoneSearch() {
    Path file = PolicyValueMlp.random(42, new int[] {32}, A, 3).export(42)
        .write(dir.resolve("tree.onnx"));
    GameTree tree = new GameTree(new GameTree.Shape(2, A, 6, 0.1, 21));
    List<Integer> roots = new ArrayList<>();
    for (int s = 0; s < tree.size() && roots.size() < 24; s++) { // 12 trees per overlapped group
      if (!tree.isTerminal(s)) {
        roots.add(s);
      }
    }
    SearchConfig config = SearchConfig.builder().leavesPerBatch(4).seed(8).build();
    Budget budget = Budget.simulations(120);
    try (OnnxEvaluator<Integer> eval =
        OnnxEvaluator.builder(file, treeStates(), A).maxBatch(16).build()) {
      List<TreeSnapshot> alone = new ArrayList<>();
      List<SearchResult> aloneResults = new ArrayList<>();
      for (int i = 0; i < roots.size(); i++) {
        Mcts<Integer> mcts = new Mcts<>(tree, eval, config.toBuilder().seed(8 + i).build());
        aloneResults.add(mcts.search(roots.get(i), budget));
        alone.add(TreeSnapshot.of(mcts.tree()));
      }
      OnnxEvaluator<Integer> ownSessions =
          OnnxEvaluator.builder(file, treeStates(), A).maxBatch(16).sessionPerStage(true).build();
      for (int kind = 0; kind < 3; kind++) { // sequential, overlapped, overlapped with a session per stage
        boolean overlap = kind > 0;
        OnnxEvaluator<Integer> network = kind == 2 ? ownSessions : eval;
        try (SearchPool<Integer> pool =
            overlap ? SearchPool.overlapped(network) : SearchPool.sequential(network)) {
          List<SearchResult> results = pool.search(tree, config, roots, budget);
          assertTrue(pool.evaluations() > pool.evaluatorCalls() * 4); // batches from breadth
          for (int i = 0; i < roots.size(); i++) {
            assertEquals(aloneResults.get(i).actions(), results.get(i).actions());
          }
          // streamed through fewer trees: which group a root lands in depends on timing, its result not
          List<SearchResult> streamed = pool.search(tree, config, roots, budget, 7);
          for (int i = 0; i < roots.size(); i++) {
            assertEquals(aloneResults.get(i).actions(), streamed.get(i).actions());
          }
        }
        try (SearchPool<Integer> pool =
            overlap ? SearchPool.overlapped(network) : SearchPool.sequential(network)) {
          List<Mcts<Integer>> searches = new ArrayList<>();
          for (int i = 0; i < roots.size(); i++) {
            searches.add(new Mcts<>(tree, eval, config.toBuilder().seed(8 + i).build())
                .reset(roots.get(i)));
          }
          pool.search(searches, budget);
          for (int i = 0; i < roots.size(); i++) {
            assertEquals(alone.get(i), TreeSnapshot.of(searches.get(i).tree()));
            TreeInvariants.check(searches.get(i).tree(), tree);
          }
        }
      }
      ownSessions.close();
    }
  }
}
