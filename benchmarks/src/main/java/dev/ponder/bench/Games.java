package dev.ponder.bench;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/** The games the benchmarks search, with seeded root positions. */
public enum Games {
  /** {@link SyntheticGame} with branching 32. */
  SYNTHETIC(new SyntheticGame(32), SyntheticGame::root),
  /** Connect Four from the examples; roots are seeded random openings of 0 to 8 moves. */
  CONNECT4(new Connect4(), Games::connect4Root);

  private final Environment<?> environment;
  private final LongFunction<?> roots;

  Games(Environment<?> environment, LongFunction<?> roots) {
    this.environment = environment;
    this.roots = roots;
  }

  /** The environment. */
  @SuppressWarnings("unchecked")
  public <S> Environment<S> environment() {
    return (Environment<S>) environment;
  }

  /** The root state for {@code seed}: not terminal. */
  @SuppressWarnings("unchecked")
  public <S> S root(long seed) {
    return (S) roots.apply(seed);
  }

  /** {@code n} root states from {@code seed}. */
  public <S> List<S> roots(long seed, int n) {
    List<S> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(root(seed * 1_000_003L + i));
    }
    return list;
  }

  /** A seeded random opening of 0 to 8 moves that does not end the game. */
  public static Connect4Position connect4Root(long seed) {
    return randomPosition(new SplittableRandom(seed), 0, 8);
  }

  /** A position {@code minMoves} to {@code maxMoves} random moves into a game that is not over. */
  static Connect4Position randomPosition(SplittableRandom random, int minMoves, int maxMoves) {
    while (true) {
      Connect4Position p = Connect4Position.empty();
      int moves = minMoves + random.nextInt(maxMoves - minMoves + 1);
      for (int i = 0; i < moves && !p.isTerminal(); i++) {
        int col;
        do {
          col = random.nextInt(Connect4Position.WIDTH);
        } while (!p.canPlay(col));
        p = p.play(col);
      }
      if (!p.isTerminal()) {
        return p;
      }
    }
  }


  /** The game named {@code name} (case-insensitive: synthetic, connect4). */
  public static Games named(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
