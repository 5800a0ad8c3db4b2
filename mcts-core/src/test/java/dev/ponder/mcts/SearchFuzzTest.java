package dev.ponder.mcts;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ponder.mcts.select.FirstPlayUrgency;
import dev.ponder.mcts.select.Puct;
import dev.ponder.mcts.select.RootNoise;
import dev.ponder.mcts.select.Ucb1;
import dev.ponder.mcts.testkit.TreeInvariants;
import it.unimi.dsi.fastutil.booleans.BooleanArrayList;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of whole searches (Jazzer): a game and an evaluator whose every answer comes
 * from the fuzzer's input, searched alone or in a sequential pool, with tree reuse between searches,
 * under any selection rule, first-play urgency, root noise and temperature the configuration accepts.
 * The game may answer badly (no legal action, an action twice or outside the action space, a failing
 * step) and the evaluator with anything a float or double can hold, or not at all, or by throwing (a
 * checked exception too, undeclared, as Kotlin code may).
 * Whatever happens, a search either returns a result that names a legal root action or throws one of
 * the documented exceptions with a message, every tree keeps {@link TreeInvariants}, and a clean
 * evaluator can search on.
 *
 * <p>{@code mvn test} runs the inputs in {@code src/test/resources/dev/ponder/mcts/SearchFuzzTestInputs}
 * (regression mode: findings stay fixed). To fuzz: {@code JAZZER_FUZZ=1 mvn -pl mcts-core test
 * -Dtest=SearchFuzzTest}; findings are written to that directory.
 */
class SearchFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void aSearchEitherSucceedsOrFailsCleanlyAndLeavesEveryTreeConsistent(FuzzedDataProvider data) {
    FuzzedGame game = new FuzzedGame(data);
    FuzzedEvaluator evaluator = new FuzzedEvaluator(data, game.actionCount());
    SearchConfig.Builder builder = SearchConfig.builder().leavesPerBatch(data.consumeInt(1, 8))
        .seed(data.consumeLong()).solver(data.consumeBoolean()).maxReturn(FuzzedGame.MAX_DEPTH);
    if (data.consumeBoolean()) {
      builder.discount(data.consumeProbabilityDouble());
    }
    if (data.consumeBoolean()) {
      builder.virtualLoss(data.consumeRegularDouble());
    }
    if (data.consumeBoolean()) {
      builder.temperature(data.consumeRegularDouble(0, 1e3));
    }
    switch (data.consumeInt(0, 2)) {
      case 0 -> { } // AlphaZero's PUCT
      case 1 -> builder.selection(new Puct(positive(data), positive(data)));
      default -> builder.selection(new Ucb1(data.consumeRegularDouble(0, Double.MAX_VALUE)));
    }
    if (data.consumeBoolean()) {
      double value = data.consumeRegularDouble();
      builder.firstPlayUrgency(data.consumeBoolean() ? FirstPlayUrgency.absolute(value)
          : FirstPlayUrgency.parentMinus(value));
    }
    if (data.consumeBoolean()) {
      builder.rootNoise(new RootNoise(positive(data), data.consumeProbabilityDouble()));
    }
    SearchConfig config = builder.build();
    Budget budget = Budget.simulations(data.consumeInt(1, 100));
    if (data.consumeBoolean()) {
      budget = budget.orNodes(data.consumeInt(1, 400));
    }
    List<Mcts<Integer>> searches = new ArrayList<>();
    int trees = data.consumeBoolean() ? 0 : data.consumeInt(1, 3); // 0: one Mcts searched on its own
    for (int i = 0; i < Math.max(1, trees); i++) {
      searches.add(new Mcts<>(game, evaluator, config.toBuilder().seed(config.seed() + i).build()).reset(0));
    }
    try (SearchPool<Integer> pool = SearchPool.sequential(evaluator)) {
      int rounds = data.consumeInt(1, 4);
      for (int round = 0; round <= rounds; round++) {
        if (round == rounds) {
          evaluator.clean = true; // the last round: the search must go on with a good evaluator
        }
        List<SearchResult> results = searchOrFailCleanly(searches, trees == 0 ? null : pool, budget, game);
        for (Mcts<Integer> search : searches) {
          TreeInvariants.check(search.tree(), game);
        }
        if (results == null) {
          continue;
        }
        for (int i = 0; i < searches.size(); i++) {
          Mcts<Integer> search = searches.get(i);
          int action = results.get(i).action();
          assertThat(game.legalAt(search.rootState())).as("legal actions at the root").contains(action);
          if (data.consumeBoolean()) { // keep the subtree under the chosen action, as a game would
            try {
              search.advance(action);
            } catch (FuzzFault e) { // the game's step failed: the tree must be as it was
              assertThat(e).hasMessageStartingWith("injected");
            }
            TreeInvariants.check(search.tree(), game);
            if (search.tree().isTerminal(search.tree().root())) {
              search.reset(0);
            }
          }
        }
      }
    }
  }

  /** A positive finite double, anywhere in the double range. */
  private static double positive(FuzzedDataProvider data) {
    return data.consumeRegularDouble(Double.MIN_VALUE, Double.MAX_VALUE);
  }

  /** Runs the searches; returns their results, or null if they failed as documented. */
  private static List<SearchResult> searchOrFailCleanly(List<Mcts<Integer>> searches, SearchPool<Integer> pool,
      Budget budget, FuzzedGame game) {
    try {
      return pool == null ? List.of(searches.get(0).search(budget)) : pool.search(searches, budget);
    } catch (InvalidEvaluationException e) {
      assertThat(e.getMessage()).contains("FuzzedEvaluator").contains("batch row");
    } catch (FuzzFault e) {
      assertThat(e).hasMessageStartingWith("injected");
    } catch (IllegalStateException e) {
      if (!game.answeredBadly || !e.getMessage().startsWith("FuzzedGame.legalActions")) {
        throw e;
      }
    } catch (Exception e) { // the evaluator's checked exception, as it was thrown
      if (!(e instanceof java.io.IOException) || !e.getMessage().startsWith("injected")) {
        throw e;
      }
    }
    return null;
  }

  /** A failure injected by the fuzzer's game or evaluator. */
  static final class FuzzFault extends RuntimeException {
    FuzzFault(String message) {
      super(message);
    }
  }

  /**
   * A game drawn from the fuzzer's input: each state's legal actions, and each action's next state,
   * reward, player and end, are drawn the first time they are asked for and then kept, so the game is a
   * fixed (lazily built) tree whatever order the search asks in. States are node numbers; 0 is the root.
   * Games end by {@link #MAX_DEPTH}. Rewards are small, or (with {@code extremeRewards}) anything a
   * {@link Transition} accepts. With {@link #faulty}, one state in 32 answers its legal actions badly and
   * one step in 32 throws.
   */
  static final class FuzzedGame implements Environment<Integer> {
    static final int MAX_DEPTH = 8;
    private static final double[] REWARDS = {-1, 0, 0, 1};

    private final FuzzedDataProvider data;
    private final int actionCount;
    private final int players;
    private final boolean faulty;
    private final boolean extremeRewards;
    private final List<int[]> legal = new ArrayList<>();
    private final IntArrayList depth = new IntArrayList();
    private final IntArrayList player = new IntArrayList();
    private final BooleanArrayList terminal = new BooleanArrayList();
    private final List<Transition<Integer>> into = new ArrayList<>();
    private final Int2IntOpenHashMap next = new Int2IntOpenHashMap();
    boolean answeredBadly;

    FuzzedGame(FuzzedDataProvider data) {
      this.data = data;
      this.actionCount = data.consumeInt(1, 9);
      this.players = data.consumeInt(1, 2);
      this.faulty = data.consumeBoolean();
      this.extremeRewards = data.consumeBoolean();
      next.defaultReturnValue(-1);
      addState(0, 0, false, null);
    }

    private int addState(int atDepth, int who, boolean end, Transition<Integer> transition) {
      legal.add(null);
      depth.add(atDepth);
      player.add(who);
      terminal.add(end);
      into.add(transition);
      return legal.size() - 1;
    }

    /** The legal actions of a state, drawn if not yet asked for. */
    int[] legalAt(int state) {
      if (legal.get(state) == null) {
        int[] actions;
        if (faulty && data.consumeInt(0, 31) == 0) {
          answeredBadly = true;
          int a = data.consumeInt(0, actionCount - 1);
          actions = switch (data.consumeInt(0, 2)) {
            case 0 -> new int[0];
            case 1 -> actionCount > 1 ? new int[] {a, a} : new int[] {actionCount};
            default -> new int[] {a, actionCount + data.consumeInt(0, 3)};
          };
        } else {
          IntArrayList all = new IntArrayList();
          for (int a = 0; a < actionCount; a++) {
            all.add(a);
          }
          actions = new int[data.consumeInt(1, actionCount)];
          for (int k = 0; k < actions.length; k++) {
            actions[k] = all.removeInt(data.consumeInt(0, all.size() - 1));
          }
        }
        legal.set(state, actions);
      }
      return legal.get(state);
    }

    @Override
    public int actionCount() {
      return actionCount;
    }

    @Override
    public int players() {
      return players;
    }

    @Override
    public int toPlay(Integer state) {
      return player.getInt(state);
    }

    @Override
    public boolean isTerminal(Integer state) {
      return terminal.getBoolean(state);
    }

    @Override
    public int legalActions(Integer state, int[] out) {
      assertThat(isTerminal(state)).as("legalActions asked of terminal state %s", state).isFalse();
      int[] actions = legalAt(state);
      int n = Math.min(actions.length, out.length);
      System.arraycopy(actions, 0, out, 0, n);
      return actions.length;
    }

    @Override
    public Transition<Integer> step(Integer state, int action) {
      assertThat(isTerminal(state)).as("step from terminal state %s", state).isFalse();
      assertThat(legalAt(state)).as("the legal actions of state %s", state).contains(action);
      int key = state * actionCount + action;
      int child = next.get(key);
      if (child < 0) {
        if (faulty && data.consumeInt(0, 31) == 0) {
          throw new FuzzFault("injected: step " + action + " from state " + state + " failed");
        }
        int d = depth.getInt(state) + 1;
        boolean end = d >= MAX_DEPTH || data.consumeInt(0, 5) == 0;
        int who = players == 1 ? 0 : data.consumeInt(0, 1);
        double reward = extremeRewards ? data.consumeRegularDouble(-Magnitude.MAX, Magnitude.MAX)
            : REWARDS[data.consumeInt(0, REWARDS.length - 1)];
        child = addState(d, who, end, null);
        into.set(child, new Transition<>(child, reward, end));
        next.put(key, child);
      }
      return into.get(child);
    }

    @Override
    public String toString() {
      return "FuzzedGame";
    }
  }

  /**
   * An evaluator whose every prior and value comes from the fuzzer's input (NaN, infinities, subnormal
   * and huge numbers included), set as logits, as weights, or not at all, or that throws; once
   * {@link #clean}, uniform priors and a value of 0.
   */
  static final class FuzzedEvaluator implements Evaluator<Integer> {
    private final FuzzedDataProvider data;
    private final float[] logits;
    boolean clean;

    FuzzedEvaluator(FuzzedDataProvider data, int actionCount) {
      this.data = data;
      this.logits = new float[actionCount];
    }

    @Override
    public void evaluate(EvaluationBatch<Integer> batch) {
      if (!clean && data.consumeInt(0, 63) == 0) {
        String message = "injected: the evaluator failed on a batch of " + batch.size();
        // unchecked, or checked and undeclared, as an evaluator written in Kotlin may throw
        throw data.consumeBoolean() ? new FuzzFault(message) : Sneaky.rethrow(new java.io.IOException(message));
      }
      for (int row = 0; row < batch.size(); row++) {
        if (clean) {
          batch.setValue(row, 0);
          continue;
        }
        switch (data.consumeInt(0, 2)) {
          case 0 -> {
            for (int a = 0; a < logits.length; a++) {
              logits[a] = data.consumeFloat();
            }
            batch.setPriorLogits(row, logits, 0);
          }
          case 1 -> {
            for (int k = 0; k < batch.legalCount(row); k++) {
              batch.setPrior(row, k, data.consumeFloat());
            }
          }
          default -> { } // the priors as the batch gives them
        }
        switch (data.consumeInt(0, 7)) {
          case 0 -> { } // no value
          case 1 -> batch.setValue(row, data.consumeDouble());
          case 2 -> batch.setValue(row, data.consumeRegularDouble());
          case 3 -> batch.setValue(row, data.consumeRegularDouble(-Magnitude.MAX, Magnitude.MAX));
          default -> batch.setValue(row, data.consumeRegularDouble(-1, 1));
        }
      }
    }

    @Override
    public String toString() {
      return "FuzzedEvaluator";
    }
  }
}
