package dev.ponder.examples.cli;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.SearchConfig;
import java.util.function.LongFunction;

/**
 * How a command searches: the evaluator of the leaves and the search configuration for a seed, as
 * picked by {@link SearchSettings}. Close it when the searches are done: it frees a model's native
 * session (a no-op for random rollouts). Use it in a try-with-resources block.
 *
 * @param <S> the state type
 * @param evaluator the evaluator of every search of the command
 * @param configForSeed the search configuration for a seed
 * @param description how the leaves are evaluated, for messages (e.g. "random rollouts")
 * @param onClose frees what the evaluator holds
 */
record SearchSetup<S>(Evaluator<S> evaluator, LongFunction<SearchConfig> configForSeed, String description,
    Runnable onClose) implements AutoCloseable {

  SearchSetup {
    checkNotNull(evaluator, "evaluator");
    checkNotNull(configForSeed, "configForSeed");
    checkNotNull(description, "description");
    checkNotNull(onClose, "onClose");
  }

  /** The search configuration for {@code seed}. */
  SearchConfig config(long seed) {
    return configForSeed.apply(seed);
  }

  @Override
  public void close() {
    onClose.run();
  }
}
