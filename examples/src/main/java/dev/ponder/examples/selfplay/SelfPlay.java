package dev.ponder.examples.selfplay;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.Transition;
import java.util.function.LongFunction;
import org.eclipse.collections.api.factory.primitive.IntLists;
import org.eclipse.collections.api.list.primitive.MutableIntList;

/**
 * Plays two-player games in which one search plays both sides, keeping the subtree of every move for
 * the next search (tree reuse). Game {@code i} (from 0) of a series seeded {@code seed} uses the search
 * configuration for seed {@code seed + i}, so games differ from each other and a series is reproducible.
 *
 * @param <S> the state type
 */
public final class SelfPlay<S> {

  private final Environment<S> environment;
  private final Evaluator<S> evaluator;
  private final LongFunction<SearchConfig> configForSeed;
  private final Budget budget;

  /**
   * @param environment a two-player environment
   * @param evaluator the evaluator of both players
   * @param configForSeed the search configuration for a seed
   * @param budget the budget of every move's search
   */
  public SelfPlay(Environment<S> environment, Evaluator<S> evaluator, LongFunction<SearchConfig> configForSeed,
      Budget budget) {
    this.environment = checkNotNull(environment, "environment must not be null");
    checkArgument(environment.players() == 2, "self-play needs a two-player environment, %s has %s players",
        environment, environment.players());
    this.evaluator = checkNotNull(evaluator, "evaluator must not be null");
    this.configForSeed = checkNotNull(configForSeed, "configForSeed must not be null");
    this.budget = checkNotNull(budget, "budget must not be null");
  }

  /** Plays one game from {@code start} with the search seeded {@code seed}. */
  public GameRecord play(S start, long seed) {
    checkNotNull(start, "start must not be null");
    Mcts<S> mcts = new Mcts<>(environment, evaluator, configForSeed.apply(seed));
    mcts.reset(start);
    S state = start;
    MutableIntList actions = IntLists.mutable.empty();
    while (true) {
      SearchResult result = mcts.search(budget);
      int action = result.action();
      int mover = environment.toPlay(state);
      Transition<S> t = environment.step(state, action);
      actions.add(action);
      if (t.terminal()) {
        int winner = t.reward() > 0 ? mover : t.reward() < 0 ? 1 - mover : -1;
        return new GameRecord(actions.toImmutable(), winner);
      }
      mcts.advance(action);
      state = t.state();
    }
  }
}
