package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ponder.mcts.testkit.EnvironmentContract;
import dev.ponder.mcts.testkit.GameTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentContractTest {

  @Test
  void aCorrectEnvironmentPasses() {
    EnvironmentContract.of(new MctsTest.RaceGame(), List.of(new MctsTest.Race(0, 0), new MctsTest.Race(5, 1)))
        .checkAll();
    GameTree tree = new GameTree(new GameTree.Shape(2, 4, 6, 0.1, 11));
    EnvironmentContract.of(tree, List.of(tree.root())).examples(200).checkAll();
  }

  /** Claims terminal states that isTerminal denies. */
  static final class Inconsistent implements Environment<Integer> {
    @Override
    public int actionCount() {
      return 2;
    }

    @Override
    public int legalActions(Integer s, int[] out) {
      out[0] = 0;
      out[1] = 1;
      return 2;
    }

    @Override
    public Transition<Integer> step(Integer s, int action) {
      return new Transition<>(s + 1, 0, s + 1 >= 3);
    }

    @Override
    public boolean isTerminal(Integer s) {
      return s >= 4;
    }
  }

  @Test
  void aBrokenEnvironmentIsCaughtWithTheReason() {
    assertThatThrownBy(() -> EnvironmentContract.of(new Inconsistent(), List.of(0)).examples(20).checkRules())
        .hasMessageContaining("isTerminal says otherwise");
  }
}
