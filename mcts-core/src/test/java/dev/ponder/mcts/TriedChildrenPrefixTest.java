package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.testkit.GameTree;
import dev.ponder.mcts.testkit.TreeInvariants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The invariant that lets choosing a child stop at the first untried one: in every child block (but a
 * root's with noisy priors), the children ever tried (visited, or given virtual loss) come first. It must survive random
 * priors (so {@link Tree#expand} reorders), batches of several leaves, several threads, tree reuse,
 * and evaluators that fail in the middle of a batch, leaving some paths abandoned while their siblings
 * are backed up.
 */
class TriedChildrenPrefixTest {

  private static final int EXAMPLES = Math.max(50, Integer.getInteger("ponder.examples", 1000) / 5);

  /** Random priors and values from the row's own generator; every fifth call or so fails. */
  private static <S> Evaluator<S> randomAndFailing() {
    return batch -> {
      if (batch.size() > 0 && batch.random(0).nextInt(5) == 0) {
        throw new IllegalStateException("injected evaluator failure");
      }
      for (int row = 0; row < batch.size(); row++) {
        SplittableRandom random = batch.random(row);
        for (int k = 0; k < batch.legalCount(row); k++) {
          batch.setPrior(row, k, random.nextInt(4) == 0 ? 0f : random.nextFloat());
        }
        batch.setValue(row, random.nextDouble() * 2 - 1);
      }
    };
  }

  private static Gen<GameTree> trees() {
    return SearchPropertiesTest.trees(6, 6);
  }

  @Test
  void triedChildrenStayInFrontOneThread() {
    qt().withExamples(EXAMPLES).withFixedSeed(Long.getLong("ponder.seed", 20261124L))
        .forAll(trees(), integers().between(1, 8), longs().all())
        .checkAssert((game, leaves, seed) -> searchAndCheck(game, leaves, 1, seed));
  }

  @Test
  void triedChildrenStayInFrontWithThreads() {
    qt().withExamples(EXAMPLES / 4).withFixedSeed(Long.getLong("ponder.seed", 20261124L))
        .forAll(trees(), integers().between(1, 4), integers().between(2, 4), longs().all())
        .checkAssert((game, leaves, threads, seed) -> searchAndCheck(game, leaves, threads, seed));
  }

  private static void searchAndCheck(GameTree game, int leaves, int threads, long seed) {
    SearchConfig config = SearchConfig.builder().seed(seed).leavesPerBatch(leaves).threads(threads).build();
    Mcts<Integer> mcts = new Mcts<>(game, randomAndFailing(), config);
    mcts.reset(game.root());
    for (int round = 0; round < 12 && !game.isTerminal(mcts.rootState()); round++) {
      try {
        SearchResult result = mcts.search(Budget.simulations(40));
        if (round % 4 == 3) {
          mcts.advance(result.action()); // tree reuse keeps the marks
        }
      } catch (IllegalStateException e) {
        assertThat(e).hasMessageContaining("injected");
      }
      TreeInvariants.check(mcts.tree(), game);
      checkPrefixes((Tree) mcts.tree());
    }
  }

  /**
   * Every child block (the root's too: these searches add no noise): tried children, then untried
   * ones, never the other way round.
   */
  private static void checkPrefixes(Tree tree) {
    int[] stack = new int[Math.max(16, tree.size())];
    int top = 0;
    stack[top++] = Tree.ROOT;
    while (top > 0) {
      int node = stack[--top];
      int first = tree.firstChildOf(node);
      if (first == Tree.UNEXPANDED) {
        continue;
      }
      boolean untriedSeen = false;
      for (int c = first; c < first + tree.childCountOf(node); c++) {
        boolean tried = tree.visitsOf(c) > 0 || tree.hotPage(c)[tree.hotIndex(c) + Tree.IN_FLIGHT] != 0;
        assertThat(tried && untriedSeen)
            .as("node %s: child %s was tried after an untried sibling", node, c - first)
            .isFalse();
        untriedSeen |= !tried;
        stack[top++] = c;
      }
    }
  }
}
