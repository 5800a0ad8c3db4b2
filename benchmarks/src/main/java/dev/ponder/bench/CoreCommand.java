package dev.ponder.bench;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchPool;
import dev.ponder.mcts.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code core}: simulations per second of the search with the uniform evaluator, one thread, on the
 * synthetic game (branching 32) and on Connect Four; scaling with threads (each thread its own trees);
 * with {@code --nodes}, the cost per simulation against the size of the tree; and, with
 * {@code --latency-micros}, how one shared tree ({@link SearchConfig#threads}) scales with threads when
 * each evaluator call (or, with {@code --latency-in step}, each environment step) waits that long, as a
 * remote model's would: the case the shared tree is for.
 *
 * <p>Each figure is the median of {@code --rounds} timed rounds after one warm-up round; the rounds
 * share the {@code --seconds} of the command. The summary (last JSON line) has
 * {@code simulations_per_second}: synthetic game, one thread.
 */
@Command(name = "core", mixinStandardHelpOptions = true,
    description = "Simulations per second: synthetic game (branching 32) and Connect Four, uniform evaluator;"
        + " scaling with threads; cost per simulation against tree size (--nodes).")
final class CoreCommand implements Callable<Integer> {

  @Option(names = "--seconds", description = "Total time of the command, in seconds (default ${DEFAULT-VALUE}).")
  double seconds = 40;

  @Option(names = "--rounds", description = "Timed rounds per figure; the median is quoted (default ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(names = "--simulations", description = "Simulations per search (default ${DEFAULT-VALUE}).")
  long simulations = 1000;

  @Option(names = "--leaves", description = "Leaves per evaluator call, K (default ${DEFAULT-VALUE}).")
  int leaves = 1;

  @Option(names = "--threads", split = ",", description = "Thread counts for the scaling figure (default: 1 to"
      + " the number of processors).")
  List<Integer> threads;

  @Option(names = "--modes", split = ",", description = "How threads share work in the scaling figure:"
      + " ${COMPLETION-CANDIDATES} (default: both). INDEPENDENT_TREES: each thread its own Mcts;"
      + " SHARED_TREE: one Mcts with SearchConfig.threads(n).")
  List<SimulationLoop.Mode> modes = new ArrayList<>(List.of(SimulationLoop.Mode.values()));

  @Option(names = "--nodes", split = ",", description = "Tree sizes for the cost-per-simulation sweep on the"
      + " synthetic game, e.g. 1000,10000,100000,1000000,10000000 (default: no sweep).")
  List<Long> nodes = new ArrayList<>();

  @Option(names = "--pool-trees", split = ",", description = "Tree counts for a sweep of SearchPool.sequential"
      + " with the uniform evaluator on Connect Four, K = --leaves per tree: what interleaving many trees costs"
      + " per simulation, e.g. 1,16,64,128 (default: no sweep).")
  List<Integer> poolTrees = new ArrayList<>();

  @Option(names = "--latency-micros", description = "Also measure one shared tree (SearchConfig.threads(n)) on"
      + " Connect Four with a uniform evaluator, each evaluator call (or each step: --latency-in) first waiting"
      + " this long without using a core, as a remote model or a language model would, for each of"
      + " --latency-threads (default: not measured).")
  Double latencyMicros;

  @Option(names = "--latency-in", description = "Where --latency-micros waits: evaluator (each evaluator call)"
      + " or step (each environment step, as a step that asks a language model for the next state would);"
      + " default ${DEFAULT-VALUE}.")
  LatencyIn latencyIn = LatencyIn.evaluator;

  /** Where the wait of {@code --latency-micros} goes. */
  enum LatencyIn {
    evaluator,
    step
  }

  @Option(names = "--latency-threads", split = ",", description = "Thread counts for --latency-micros"
      + " (default: ${DEFAULT-VALUE}).")
  List<Integer> latencyThreads = new ArrayList<>(List.of(1, 2, 4, 8, 16));

  @Option(names = "--seed", description = "Seed of the roots and searches (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--json", description = "JSON lines; the last one is the summary.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    new OptionChecks(spec).positive("--seconds", seconds).atLeast("--rounds", rounds, 1)
        .atLeast("--simulations", simulations, 1).atLeast("--leaves", leaves, 1)
        .eachAtLeast("--threads", threads == null ? List.of() : threads, 1).eachAtLeast("--nodes", nodes, 2)
        .eachAtLeast("--pool-trees", poolTrees, 1).eachAtLeast("--latency-threads", latencyThreads, 1);
    if (latencyMicros != null) {
      new OptionChecks(spec).positive("--latency-micros", latencyMicros);
    }
    Report report = new Report(System.out, json);
    List<Integer> threadCounts = threads != null ? threads : defaultThreads();
    int measurements = 2 + modes.size() * (int) threadCounts.stream().filter(t -> t > 1).count() + nodes.size()
        + poolTrees.size() + (latencyMicros == null ? 0 : latencyThreads.size());
    double slice = seconds / measurements / (rounds + 1);
    SearchConfig config = SearchConfig.builder().leavesPerBatch(leaves).seed(seed).build();
    Budget budget = Budget.simulations(simulations);
    report.line("machine", Report.machine());

    Map<String, Object> summary = new LinkedHashMap<>();
    double synthetic = 0;
    double connect4 = 0;
    for (Games game : Games.values()) {
      double median = measure(report, game, config, budget, slice, 1, SimulationLoop.Mode.INDEPENDENT_TREES,
          "simulations", SimulationLoop.Latency.NONE);
      if (game == Games.SYNTHETIC) {
        synthetic = median;
      } else {
        connect4 = median;
      }
    }
    Map<String, Object> scaling = new LinkedHashMap<>();
    for (SimulationLoop.Mode mode : modes) {
      Map<String, Object> byThreads = new LinkedHashMap<>();
      for (int t : threadCounts) {
        double median = t == 1 ? synthetic : measure(report, Games.SYNTHETIC, config, budget, slice, t, mode,
            "threads", SimulationLoop.Latency.NONE);
        byThreads.put(Integer.toString(t), median);
      }
      scaling.put(mode.name().toLowerCase(java.util.Locale.ROOT), byThreads);
    }

    Map<String, Object> sweep = new LinkedHashMap<>();
    Map<String, Object> depths = new LinkedHashMap<>();
    Map<String, Object> perLevel = new LinkedHashMap<>();
    double minCost = Double.POSITIVE_INFINITY;
    double maxCost = 0;
    double minLevel = Double.POSITIVE_INFINITY;
    double maxLevel = 0;
    for (long n : nodes) {
      double[] costAndDepth = sweep(report, n, config, slice);
      double cost = costAndDepth[0];
      double level = cost / Math.max(1, costAndDepth[1]);
      sweep.put(Long.toString(n), cost);
      depths.put(Long.toString(n), costAndDepth[1]);
      perLevel.put(Long.toString(n), level);
      minCost = Math.min(minCost, cost);
      maxCost = Math.max(maxCost, cost);
      minLevel = Math.min(minLevel, level);
      maxLevel = Math.max(maxLevel, level);
    }

    Map<String, Object> waiting = new LinkedHashMap<>();
    if (latencyMicros != null) {
      SimulationLoop.Latency latency = new SimulationLoop.Latency(Math.max(1, Math.round(latencyMicros * 1e3)),
          latencyIn == LatencyIn.step);
      for (int t : latencyThreads) {
        waiting.put(Integer.toString(t), measure(report, Games.CONNECT4, config, budget, slice, t,
            SimulationLoop.Mode.SHARED_TREE, "latency", latency));
      }
    }

    Map<String, Object> pooled = new LinkedHashMap<>();
    for (int n : poolTrees) {
      pooled.put(Integer.toString(n), pool(report, n, config, slice));
    }

    summary.put("simulations_per_second", synthetic);
    summary.put("connect4_simulations_per_second", connect4);
    summary.put("leaves_per_batch", leaves);
    summary.put("simulations_per_search", simulations);
    summary.put("threads_simulations_per_second", scaling);
    if (!nodes.isEmpty()) {
      summary.put("nanos_per_simulation_by_nodes", sweep);
      summary.put("cost_spread", maxCost / minCost);
      summary.put("mean_depth_by_nodes", depths);
      summary.put("nanos_per_level_by_nodes", perLevel);
      summary.put("level_cost_spread", maxLevel / minLevel);
    }
    if (!poolTrees.isEmpty()) {
      summary.put("pool_simulations_per_second_by_trees", pooled);
    }
    if (latencyMicros != null) {
      summary.put("evaluator_latency_micros", latencyIn == LatencyIn.evaluator ? latencyMicros : 0.0);
      summary.put("step_latency_micros", latencyIn == LatencyIn.step ? latencyMicros : 0.0);
      summary.put("shared_tree_simulations_per_second_by_threads_with_latency", waiting);
    }
    summary.put("rounds", rounds);
    summary.put("load_average", Report.loadAverage());
    report.line("summary", summary);
    return 0;
  }

  private double measure(Report report, Games game, SearchConfig config, Budget budget, double slice,
      int threadCount, SimulationLoop.Mode mode, String kind, SimulationLoop.Latency latency) {
    SimulationLoop.runThreads(game, config, budget, slice, seed, threadCount, mode, latency); // warm-up
    double[] perSecond = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      perSecond[r] = SimulationLoop.runThreads(game, config, budget, slice, seed + 7919L * (r + 1), threadCount,
          mode, latency).perSecond();
    }
    double median = Report.median(perSecond);
    report.line(kind, Report.record("game", game.name().toLowerCase(java.util.Locale.ROOT),
        "threads", threadCount, "mode", mode.name().toLowerCase(java.util.Locale.ROOT),
        "leaves_per_batch", config.leavesPerBatch(), "simulations_per_second", median,
        "per_thread", median / threadCount,
        "evaluator_latency_micros", latency.inStep() ? 0.0 : latency.nanos() / 1e3,
        "step_latency_micros", latency.inStep() ? latency.nanos() / 1e3 : 0.0, "rounds", perSecond,
        "load_average", Report.loadAverage()));
    return median;
  }

  /**
   * Median nanoseconds per simulation of searches that stop when the tree holds {@code n} nodes, and
   * the mean depth of their leaves (a simulation scores the children of that many nodes).
   */
  private double[] sweep(Report report, long n, SearchConfig config, double slice) {
    Mcts<Long> mcts = new Mcts<>(Games.SYNTHETIC.environment(), Evaluator.uniform(), config);
    Budget budget = Budget.nodes(n);
    SimulationLoop.run(mcts, Games.SYNTHETIC, budget, slice, seed); // warm-up; grows the arrays once
    double[] cost = new double[rounds];
    double[] depth = new double[rounds];
    long searches = 0;
    for (int r = 0; r < rounds; r++) {
      SimulationLoop.Count c = SimulationLoop.run(mcts, Games.SYNTHETIC, budget, slice, seed + r + 1);
      cost[r] = c.nanosPerSimulation();
      depth[r] = c.meanDepth();
      searches += c.searches();
    }
    double median = Report.median(cost);
    double meanDepth = Report.median(depth);
    report.line("nodes", Report.record("game", "synthetic", "nodes", n, "nanos_per_simulation", median,
        "simulations_per_second", 1e9 / median, "mean_depth", meanDepth, "nanos_per_level",
        median / Math.max(1, meanDepth), "searches", searches, "rounds", cost,
        "load_average", Report.loadAverage()));
    return new double[] {median, meanDepth};
  }

  /** Median simulations per second of a sequential pool of {@code trees} Connect Four trees. */
  private double pool(Report report, int trees, SearchConfig config, double slice) {
    Connect4 env = new Connect4();
    Budget budget = Budget.simulations(simulations);
    double[] perSecond = new double[rounds];
    try (SearchPool<Connect4Position> pool = SearchPool.sequential(Evaluator.uniform())) {
      for (int r = -1; r < rounds; r++) {
        List<Connect4Position> roots = Games.CONNECT4.roots(seed + r + 1, trees);
        long sims = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (slice * 1e9);
        long now;
        do {
          for (SearchResult result : pool.search(env, config, roots, budget)) {
            sims += result.stats().simulations();
          }
          now = System.nanoTime();
        } while (now < deadline);
        if (r >= 0) {
          perSecond[r] = sims * 1e9 / (now - start);
        }
      }
    }
    double median = Report.median(perSecond);
    report.line("pool", Report.record("game", "connect4", "trees", trees, "leaves_per_batch",
        config.leavesPerBatch(), "simulations_per_tree", simulations, "simulations_per_second", median,
        "rounds", perSecond, "load_average", Report.loadAverage()));
    return median;
  }

  private static List<Integer> defaultThreads() {
    List<Integer> list = new ArrayList<>();
    for (int t = 1; t <= Runtime.getRuntime().availableProcessors(); t++) {
      list.add(t);
    }
    return list;
  }
}
