package dev.ponder.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import dev.ponder.mcts.Environment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Runs the core's environment contract check ({@code dev.ponder.mcts.testkit.EnvironmentContract}, in
 * the mcts-core test-jar) against both games. The kit is looked up by reflection and the test is skipped
 * while the kit does not exist or has no static {@code check(Environment, state)}-like entry point.
 */
class EnvironmentContractTest {

  private static final String KIT = "dev.ponder.mcts.testkit.EnvironmentContract";

  @Test
  void ticTacToeKeepsTheContract() throws Throwable {
    check(new TicTacToe(), TicTacToeBoard.empty());
  }

  @Test
  void connect4KeepsTheContract() throws Throwable {
    check(new Connect4(), Connect4Position.empty());
  }

  private static void check(Environment<?> environment, Object start) throws Throwable {
    Optional<Method> entry = entryPoint();
    assumeTrue(entry.isPresent(), KIT + " with a static (Environment, state) method is not available yet");
    try {
      entry.get().invoke(null, environment, start);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Optional<Method> entryPoint() {
    Class<?> kit;
    try {
      kit = Class.forName(KIT);
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    return Arrays.stream(kit.getMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 2)
        .filter(m -> m.getParameterTypes()[0] == Environment.class && m.getParameterTypes()[1] == Object.class)
        .findFirst();
  }
}
