package dev.ponder.examples.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --model FILE.onnx} option, shared through a mixin by the commands that search. */
final class ModelOption {

  @Option(names = "--model", paramLabel = "FILE.onnx",
      description = "A policy/value network (ONNX) to evaluate positions with PUCT instead of random"
          + " rollouts with UCB1. Connect Four: input 'observation' float [N, 2, 6, 7] (plane 0: stones of"
          + " the player to move, plane 1: the opponent's; row 0 is the bottom), outputs 'policy' [N, 7]"
          + " (logits for columns 1-7) and 'value' [N] or [N, 1] in [-1, 1] for the player to move.")
  private Path model;

  /** The model file, if one was given. */
  Optional<Path> model() {
    return Optional.ofNullable(model);
  }
}
