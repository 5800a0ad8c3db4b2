package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Tree#expand} creates one child per action with that action's own prior, in order of
 * decreasing prior, ties in the order given: the order every search's early stop and determinism rely
 * on. Covers the branchings that its sorting network handles and those it leaves to the JDK, with
 * ties, zeros and negative zeros.
 */
class TreeExpandTest {

  private static final int ACTIONS = 64;
  private static final float[] COMMON = {0f, -0f, 0.125f, 0.25f, 0.5f};

  @Test
  void childrenKeepTheirPriorsInOrderOfDecreasingPriorTiesAsGiven() {
    qt().withExamples(Integer.getInteger("ponder.examples", 1000) * 2)
        .withFixedSeed(Long.getLong("ponder.seed", 20261124L))
        .forAll(integers().between(1, 40), longs().all())
        .checkAssert(TreeExpandTest::expandAndCheck);
  }

  private static void expandAndCheck(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int from = random.nextInt(4); // the rows of a batch sit at an offset in shared arrays
    int[] actions = new int[from + count];
    float[] priors = new float[from + count];
    int[] shuffled = IntStream.range(0, ACTIONS).toArray();
    for (int k = 0; k < count; k++) {
      int pick = k + random.nextInt(ACTIONS - k);
      int swap = shuffled[k];
      shuffled[k] = shuffled[pick];
      shuffled[pick] = swap;
      actions[from + k] = shuffled[k];
      priors[from + k] = random.nextInt(3) == 0 ? random.nextFloat() : COMMON[random.nextInt(COMMON.length)];
    }
    Tree tree = Tree.forActions(ACTIONS);
    tree.reset("root", 0, false);
    tree.expand(Tree.ROOT, actions, priors, from, count);

    Integer[] expected = IntStream.range(0, count).boxed().toArray(Integer[]::new);
    Arrays.sort(expected, Comparator.comparingDouble((Integer k) -> -(priors[from + k] + 0f))); // stable
    int first = tree.firstChildOf(Tree.ROOT);
    assertThat(tree.childCountOf(Tree.ROOT)).isEqualTo(count);
    for (int k = 0; k < count; k++) {
      int source = from + expected[k];
      String where = String.format("child %d of %d (seed %d)", k, count, seed);
      assertThat(tree.actionOf(first + k)).as(where).isEqualTo(actions[source]);
      assertThat(Float.floatToRawIntBits(tree.priorOf(first + k))).as(where)
          .isEqualTo(Float.floatToRawIntBits(priors[source]));
      assertThat(tree.visitsOf(first + k) + tree.inFlightOf(first + k) + tree.childCountOf(first + k)).as(where)
          .isZero();
      assertThat(tree.stateOf(first + k)).as(where).isNull();
    }
  }
}
