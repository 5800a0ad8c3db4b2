package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Encoder;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.tictactoe.TicTacToe;
import dev.ponder.examples.tictactoe.TicTacToeBoard;
import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.onnx.ModelLoadException;
import dev.ponder.mcts.onnx.OnnxEvaluator;
import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.Ucb1;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The search settings of the command line, chosen by measurement: with no trained network yet, leaves
 * are evaluated by random rollouts and the tree is searched with UCB1 (c = 1).
 *
 * <p>Tic-tac-toe, self-play at 300 simulations per move, 3 x 100 games: 1 rollout per leaf lost 38 to
 * 48 games whatever the selection rule (UCB1 c in 0.5..2, PUCT 1.25 or 2.5); 4 rollouts lost 1 to 6 of
 * 900; 8 rollouts 0 of 3000 at 300 simulations but 2 of 900 at 200; 16 rollouts lost 0 of 3000 at both
 * 300 and 200 simulations (about 2 ms per game). Connect Four, 200 random positions (12-31 stones) where
 * the choice matters, 10,000 simulations, share of moves the exact solver rates optimal: 1 rollout 180,
 * 4 rollouts 189 (UCB1 c 0.7: 186, 1.4: 188, PUCT 2.5: 188), 8 rollouts 186.
 *
 * <p>With {@code --model FILE.onnx} (Connect Four), leaves are evaluated by the network (ONNX Runtime on
 * the CPU, one intra-op thread) and the tree is searched with AlphaZero's PUCT, gathering
 * {@value #MODEL_LEAVES_PER_BATCH} leaves per network call so that the network sees batches. Self-play
 * with a model also mixes Dirichlet noise into the root priors ({@value #MODEL_SELFPLAY_NOISE_ALPHA}):
 * the network is deterministic, so without noise every game of a series would be the same.
 *
 * <p>This is the one place where the CLI picks evaluators: commands ask for a {@link SearchSetup} and
 * close it when done.
 */
final class SearchSettings {

  /** UCB1 exploration constant for tic-tac-toe. */
  static final double TICTACTOE_EXPLORATION = 1.0;
  /** Random rollouts per evaluated tic-tac-toe leaf. */
  static final int TICTACTOE_ROLLOUTS = 16;
  /** UCB1 exploration constant for Connect Four. */
  static final double CONNECT4_EXPLORATION = 1.0;
  /** Random rollouts per evaluated Connect Four leaf. */
  static final int CONNECT4_ROLLOUTS = 4;
  /** Leaves gathered (with virtual loss) per network call when a model evaluates them. */
  static final int MODEL_LEAVES_PER_BATCH = 8;
  /** Dirichlet alpha of the root noise of self-play with a model (AlphaZero used 0.3 for chess). */
  static final double MODEL_SELFPLAY_NOISE_ALPHA = 1.0;

  /**
   * Heap a tree node may take, with room to spare: the tree is 41 bytes per node, a Connect Four tree
   * with its positions about 49 (benchmarks/RESULTS.md).
   */
  static final long HEAP_BYTES_PER_NODE = 64;

  private SearchSettings() {}

  /**
   * At most {@code simulations} per search, and at most the nodes that fit in half the heap, so that a
   * very large {@code --simulations} ends with a full tree (stop reason NODES) instead of running out of
   * memory.
   */
  static Budget budget(long simulations) {
    return Budget.nodes(Math.max(1_000, Runtime.getRuntime().maxMemory() / 2 / HEAP_BYTES_PER_NODE))
        .orSimulations(simulations);
  }

  /** The tic-tac-toe search configuration for a seed. */
  static SearchConfig ticTacToe(long seed) {
    return SearchConfig.builder().selection(new Ucb1(TICTACTOE_EXPLORATION)).seed(seed).build();
  }

  /** The tic-tac-toe evaluator. */
  static Evaluator<TicTacToeBoard> ticTacToeEvaluator(TicTacToe game) {
    return Evaluator.randomRollout(game, TICTACTOE_ROLLOUTS, 1.0);
  }

  /** The Connect Four search configuration for a seed. */
  static SearchConfig connect4(long seed) {
    return SearchConfig.builder().selection(new Ucb1(CONNECT4_EXPLORATION)).seed(seed).build();
  }

  /** The Connect Four evaluator without a model: random rollouts. */
  static Evaluator<Connect4Position> connect4Evaluator(Connect4 game) {
    return Evaluator.randomRollout(game, CONNECT4_ROLLOUTS, 1.0);
  }

  /**
   * How Connect Four positions are analyzed (and played against): random rollouts with UCB1, or the
   * network {@code model} with PUCT.
   *
   * @throws ModelLoadException if the model cannot be loaded or does not fit {@link Connect4Encoder}
   */
  static SearchSetup<Connect4Position> connect4(Connect4 game, Optional<Path> model) {
    return connect4(game, model, RootNoise.none());
  }

  /**
   * How Connect Four self-play searches: as {@link #connect4(Connect4, Optional)}, with root noise
   * when a model is given.
   *
   * @throws ModelLoadException if the model cannot be loaded or does not fit {@link Connect4Encoder}
   */
  static SearchSetup<Connect4Position> connect4SelfPlay(Connect4 game, Optional<Path> model) {
    return connect4(game, model, RootNoise.dirichlet(MODEL_SELFPLAY_NOISE_ALPHA));
  }

  private static SearchSetup<Connect4Position> connect4(Connect4 game, Optional<Path> model, RootNoise noise) {
    if (model.isEmpty()) {
      return new SearchSetup<>(connect4Evaluator(game), SearchSettings::connect4,
          "random rollouts (" + CONNECT4_ROLLOUTS + " per leaf) with UCB1", () -> { });
    }
    OnnxEvaluator<Connect4Position> net = OnnxEvaluator
        .builder(model.get(), new Connect4Encoder(), Connect4Encoder.ACTIONS)
        .intraOpThreads(1)
        .build();
    return new SearchSetup<>(net, seed -> withModel(noise, seed), "model " + model.get() + " with PUCT",
        net::close);
  }

  /** The search configuration with a model: AlphaZero PUCT, batched leaves. */
  private static SearchConfig withModel(RootNoise noise, long seed) {
    return SearchConfig.builder().selection(Puct.alphaZero()).leavesPerBatch(MODEL_LEAVES_PER_BATCH)
        .rootNoise(noise).seed(seed).build();
  }
}
