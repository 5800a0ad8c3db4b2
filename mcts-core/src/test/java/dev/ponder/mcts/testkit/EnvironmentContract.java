package dev.ponder.mcts.testkit;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Environment;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.Transition;
import dev.ponder.mcts.select.RootNoise;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.quicktheories.QuickTheory;

/**
 * Checks that an {@link Environment} keeps the contract the search relies on, and that the search keeps
 * its invariants on it, over randomly generated cases (QuickTheories, with shrinking). Run it from a
 * JUnit test of your own:
 *
 * <pre>{@code
 * @Test
 * void keepsTheContract() {
 *   EnvironmentContract.of(new MyPuzzle(), List.of(MyPuzzle.START)).checkAll();
 * }
 * }</pre>
 *
 * <p>{@link #checkRules()} plays random episodes from the start states and checks every step: legal
 * actions non-empty, distinct and inside the action space; {@code step} deterministic, leaving its input
 * state unchanged, with a terminal flag that agrees with {@code isTerminal}; the player to move in range;
 * episodes that end. States need value semantics ({@code equals}/{@code hashCode}).
 *
 * <p>{@link #checkSearch()} searches from random states reached from the start states and checks
 * {@link TreeInvariants}, that the same seed gives an identical tree, that reusing a subtree keeps its
 * statistics exactly, and that invalid calls fail with clear errors.
 *
 * <p>Cases per check: {@link #examples(int)}, by default the system property {@code ponder.examples}
 * or 200. The seed of the case generator: {@link #seed(long)}, by default {@code ponder.seed} or 1.
 *
 * @param <S> the state type
 */
public final class EnvironmentContract<S> {

  private final Environment<S> environment;
  private final List<S> starts;
  private Supplier<Evaluator<S>> evaluator;
  private int simulations = 100;
  private int examples = Integer.getInteger("ponder.examples", 200);
  private long seed = Long.getLong("ponder.seed", 1L);
  private int maxEpisodeLength = 10_000;

  private EnvironmentContract(Environment<S> environment, List<S> starts) {
    this.environment = checkNotNull(environment, "environment");
    this.starts = List.copyOf(starts);
    checkArgument(!this.starts.isEmpty(), "at least one start state is needed");
    this.evaluator = () -> Evaluator.randomRollout(environment);
  }

  /** A contract check of {@code environment}, exploring from the given non-terminal start states. */
  public static <S> EnvironmentContract<S> of(Environment<S> environment, List<S> startStates) {
    return new EnvironmentContract<>(environment, startStates);
  }

  /** The evaluator the search checks use (a new one per search); default random rollouts. */
  public EnvironmentContract<S> evaluator(Supplier<Evaluator<S>> evaluator) {
    this.evaluator = checkNotNull(evaluator, "evaluator");
    return this;
  }

  /** Simulations per search in {@link #checkSearch()}; default 100. */
  public EnvironmentContract<S> simulations(int simulations) {
    checkArgument(simulations >= 1, "simulations must be positive, was %s", simulations);
    this.simulations = simulations;
    return this;
  }

  /** Generated cases per check. */
  public EnvironmentContract<S> examples(int examples) {
    checkArgument(examples >= 1, "examples must be positive, was %s", examples);
    this.examples = examples;
    return this;
  }

  /** Seed of the case generator. */
  public EnvironmentContract<S> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Longest episode accepted before the environment is taken not to terminate; default 10,000. */
  public EnvironmentContract<S> maxEpisodeLength(int length) {
    checkArgument(length >= 1, "maxEpisodeLength must be positive, was %s", length);
    this.maxEpisodeLength = length;
    return this;
  }

  /** {@link #checkRules()} then {@link #checkSearch()}. */
  public void checkAll() {
    checkRules();
    checkSearch();
  }

  private QuickTheory theory() {
    return qt().withExamples(examples).withFixedSeed(seed);
  }

  /** Plays random episodes and checks every step against the contract. */
  public void checkRules() {
    theory()
        .forAll(integers().between(0, starts.size() - 1), longs().all())
        .checkAssert((start, episodeSeed) -> playEpisode(starts.get(start), episodeSeed));
  }

  private void playEpisode(S start, long episodeSeed) {
    SplittableRandom random = new SplittableRandom(episodeSeed);
    int actionCount = environment.actionCount();
    int[] actions = new int[actionCount];
    S state = start;
    for (int length = 0; !environment.isTerminal(state); length++) {
      require(length < maxEpisodeLength, "no terminal state after " + maxEpisodeLength + " steps from "
          + start);
      int n = environment.legalActions(state, actions);
      require(n >= 1 && n <= actionCount, "legalActions returned " + n + " for non-terminal state " + state);
      require(Arrays.stream(actions, 0, n).distinct().count() == n,
          "legalActions repeated an action for " + state + ": " + Arrays.toString(Arrays.copyOf(actions, n)));
      for (int k = 0; k < n; k++) {
        require(actions[k] >= 0 && actions[k] < actionCount, "legal action " + actions[k] + " of " + state
            + " is outside the action space [0, " + actionCount + ")");
      }
      int player = environment.toPlay(state);
      require(player >= 0 && player < environment.players(), "toPlay returned " + player + " for " + state);
      int hash = state.hashCode();
      int action = actions[random.nextInt(n)];
      Transition<S> first = environment.step(state, action);
      Transition<S> second = environment.step(state, action);
      require(state.hashCode() == hash, "step changed its input state " + state);
      require(Objects.equals(first, second), "step is not deterministic for action " + action + " in "
          + state + ": " + first + " then " + second);
      require(first.terminal() == environment.isTerminal(first.state()), "step says terminal="
          + first.terminal() + " for " + first.state() + " but isTerminal says otherwise");
      state = first.state();
    }
  }

  /** Searches from random reachable states and checks the search's invariants and errors. */
  public void checkSearch() {
    theory()
        .forAll(integers().between(0, starts.size() - 1), integers().between(0, 30), longs().all(),
            integers().between(0, 2))
        .checkAssert((start, prefix, caseSeed, batchChoice) ->
            searchCase(starts.get(start), prefix, caseSeed, new int[] {1, 4, 16}[batchChoice]));
  }

  private void searchCase(S start, int prefix, long caseSeed, int leavesPerBatch) {
    SplittableRandom random = new SplittableRandom(caseSeed);
    int[] actions = new int[environment.actionCount()];
    S state = start;
    for (int i = 0; i < prefix; i++) {
      int n = environment.legalActions(state, actions);
      Transition<S> t = environment.step(state, actions[random.nextInt(n)]);
      if (t.terminal()) {
        checkErrorsAt(state, t.state());
        break;
      }
      state = t.state();
    }
    SearchConfig config = SearchConfig.builder().seed(caseSeed).leavesPerBatch(leavesPerBatch)
        .rootNoise(RootNoise.dirichlet(0.5)).temperature(random.nextInt(2)).build();
    Budget budget = Budget.simulations(simulations);

    Mcts<S> first = new Mcts<>(environment, evaluator.get(), config);
    SearchResult a = first.search(state, budget);
    TreeInvariants.check(first.tree(), environment);
    TreeSnapshot tree = TreeSnapshot.of(first.tree());

    Mcts<S> second = new Mcts<>(environment, evaluator.get(), config);
    SearchResult b = second.search(state, budget);
    require(tree.equals(TreeSnapshot.of(second.tree())), "the same seed gave two different trees from "
        + state);
    require(a.action() == b.action() && a.actions().equals(b.actions()),
        "the same seed gave two different results from " + state);

    int child = -1;
    for (int k = 0; k < first.tree().childCount(first.tree().root()); k++) {
      if (first.tree().action(first.tree().child(first.tree().root(), k)) == a.action()) {
        child = first.tree().child(first.tree().root(), k);
      }
    }
    TreeSnapshot subtree = TreeSnapshot.ofSubtree(first.tree(), child);
    first.advance(a.action());
    require(subtree.equals(TreeSnapshot.of(first.tree())),
        "advance(" + a.action() + ") did not keep the subtree's statistics exactly");
    if (!environment.isTerminal(first.rootState())) {
      first.search(budget);
      TreeInvariants.check(first.tree(), environment);
    }
  }

  private void checkErrorsAt(S nonTerminal, S terminal) {
    Mcts<S> mcts = new Mcts<>(environment, evaluator.get());
    expectError(IllegalArgumentException.class, "terminal", () -> mcts.search(terminal, Budget.simulations(1)));
    expectError(IllegalArgumentException.class, "outside the action space",
        () -> mcts.reset(nonTerminal).advance(environment.actionCount()));
    int[] actions = new int[environment.actionCount()];
    int n = environment.legalActions(nonTerminal, actions);
    boolean[] legal = new boolean[environment.actionCount()];
    for (int k = 0; k < n; k++) {
      legal[actions[k]] = true;
    }
    for (int a = 0; a < legal.length; a++) {
      if (!legal[a]) {
        int illegal = a;
        expectError(IllegalArgumentException.class, "not legal", () -> mcts.reset(nonTerminal).advance(illegal));
        break;
      }
    }
  }

  private static void expectError(Class<? extends Exception> type, String words, Runnable call) {
    try {
      call.run();
    } catch (Exception e) {
      require(type.isInstance(e) && e.getMessage() != null && e.getMessage().contains(words),
          "expected " + type.getSimpleName() + " mentioning '" + words + "', got " + e);
      return;
    }
    throw new AssertionError("expected " + type.getSimpleName() + " mentioning '" + words + "'");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
