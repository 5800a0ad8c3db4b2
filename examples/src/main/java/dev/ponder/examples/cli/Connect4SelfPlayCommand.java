package dev.ponder.examples.cli;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.examples.selfplay.SelfPlay;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code connect4 selfplay}: the search plays Connect Four against itself. */
@Command(name = "selfplay", mixinStandardHelpOptions = true,
    description = {"The search plays Connect Four against itself (random-rollout MCTS with UCB1, or PUCT with"
        + " a network given by --model, with Dirichlet noise at the root).",
        "Moves are printed as columns 1-7."})
public final class Connect4SelfPlayCommand implements Callable<Integer> {

  @Mixin
  private SelfPlayOptions options;

  @Mixin
  private ModelOption model;

  @Mixin
  private OutputOption output;

  @Override
  public Integer call() {
    options.validate();
    Connect4 game = new Connect4();
    try (SearchSetup<Connect4Position> setup = SearchSettings.connect4SelfPlay(game, model.model())) {
      SelfPlay<Connect4Position> selfPlay = new SelfPlay<>(game, setup.evaluator(), setup::config,
          SearchSettings.budget(options.simulations));
      return SelfPlaySeries.run(selfPlay, Connect4Position.empty(), options, output.printer(), "connect4");
    }
  }
}
