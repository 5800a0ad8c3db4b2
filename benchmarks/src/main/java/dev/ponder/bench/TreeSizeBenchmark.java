package dev.ponder.bench;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per simulation against tree size: one search on the synthetic game (branching 32, uniform
 * evaluator) that stops when the tree holds {@code nodes} nodes, reusing the tree's arrays. The primary
 * score is time per search; the {@code simulations} counter (per second) divided into it gives the
 * cost per simulation, which should stay flat (within 20%) from 1 thousand to 10 million nodes. The
 * runner's {@code core --nodes} computes the same directly.
 *
 * <pre>
 * java -jar benchmarks/target/ponder-benchmarks.jar jmh TreeSizeBenchmark -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class TreeSizeBenchmark {

  /** Nodes in the tree when the search stops. */
  @Param({"1000", "100000", "10000000"})
  public long nodes;

  private Mcts<Long> mcts;
  private Budget budget;
  private long seed;

  /** Counts simulations, so that JMH reports them per second beside the time per search. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Simulations {
    /** Simulations run. */
    public long simulations;
  }

  /** Builds the search. */
  @Setup(Level.Trial)
  public void setUp() {
    mcts = new Mcts<>(new SyntheticGame(32), Evaluator.uniform(), SearchConfig.builder().seed(42).build());
    budget = Budget.nodes(nodes);
  }

  /** One search to {@code nodes} nodes. */
  @Benchmark
  public SearchResult search(Simulations counter) {
    SearchResult r = mcts.search(SyntheticGame.root(seed++), budget);
    counter.simulations += r.stats().simulations();
    return r;
  }
}
