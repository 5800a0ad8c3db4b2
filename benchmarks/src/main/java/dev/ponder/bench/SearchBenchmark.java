package dev.ponder.bench;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core simulation loop: one search of {@value #SIMULATIONS} simulations with the uniform evaluator
 * from a fresh tree, on the synthetic game (branching 32) and on Connect Four, over K leaves per
 * evaluator call. The score is in simulations per second (one operation is one simulation).
 *
 * <pre>
 * mvn -q -B -o -pl benchmarks package
 * java -jar benchmarks/target/ponder-benchmarks.jar jmh SearchBenchmark -f 1
 * java -jar benchmarks/target/ponder-benchmarks.jar jmh SearchBenchmark -p game=synthetic -p leavesPerBatch=1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SearchBenchmark {

  /** Simulations per search. */
  public static final int SIMULATIONS = 1000;

  /** The game. */
  @Param({"synthetic", "connect4"})
  public String game;

  /** Leaves per evaluator call, K. */
  @Param({"1", "8", "32"})
  public int leavesPerBatch;

  private Games games;
  private Mcts<Object> mcts;
  private Budget budget;
  private long seed;

  /** Builds the search; its tree arrays are kept from one search to the next. */
  @Setup(Level.Trial)
  public void setUp() {
    games = Games.named(game);
    mcts = new Mcts<>(games.environment(), Evaluator.uniform(),
        SearchConfig.builder().leavesPerBatch(leavesPerBatch).seed(42).build());
    budget = Budget.simulations(SIMULATIONS);
  }

  /** One search: {@value #SIMULATIONS} simulations from a seeded root. */
  @Benchmark
  @OperationsPerInvocation(SIMULATIONS)
  public Object search() {
    return mcts.search(games.root(seed++ & 1023), budget);
  }
}
