package dev.ponder.bench;

import dev.ponder.examples.connect4.Connect4;
import dev.ponder.examples.connect4.Connect4Position;
import dev.ponder.mcts.Budget;
import dev.ponder.mcts.EvaluationBatch;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchPool;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.StopReason;
import dev.ponder.mcts.TestBatches;
import dev.ponder.mcts.onnx.OnnxEvaluator;
import dev.ponder.mcts.onnx.export.PolicyValueMlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code onnx-efficiency}: network evaluations per second inside a real search, divided by raw ONNX
 * Runtime evaluations per second at the same batch size B, same model, same machine, same run.
 *
 * <p><b>Model.</b> {@code small}, the reference: an MLP 42 -> 128 -> 128 (ReLU after each) -> policy 7
 * and value 1 (tanh), float32, seeded random weights written by {@link PolicyValueMlp}; {@code large}:
 * 42 -> 512 -> 512 -> 512, where the network dominates; {@code --hidden W,...} another MLP's hidden widths,
 * to see how the efficiency moves with the network's cost. ONNX Runtime with one intra-op thread.
 *
 * <p><b>Search.</b> Connect Four through {@link SearchPool#overlapped} (two threads, each searching
 * half the trees, taking turns at the network: the network runs on one thread at a time, the setting
 * the headline ratio compares with one-thread raw ONNX Runtime), or with {@code --pool parallel}
 * through {@link SearchPool#parallel} with two threads, each
 * searching its half of the trees and running the network for its own batches, so the network runs on
 * both cores; that mode also measures raw ONNX Runtime on two threads at once
 * ({@code raw_two_threads_evals_per_second}, {@code efficiency_vs_two_thread_raw}), the fair
 * denominator for it. {@link SearchPool#groups()} groups (2 in either mode) of ceil(B/K) trees,
 * each gathering K leaves with virtual loss, so each evaluator call gets about B states (the mean batch
 * actually seen, {@code pool.evaluations() / pool.evaluatorCalls()}, is reported); each tree searches
 * {@code --simulations} from a seeded random opening. Each pool search streams {@code --problems}
 * openings through those trees ({@link SearchPool#search(dev.ponder.mcts.Environment, SearchConfig,
 * List, Budget, int)}: a finished tree's place and memory go to the next opening), as a user with many
 * puzzles or games would; pool searches repeat until the time slice ends. With {@code --problems} at
 * most the number of trees, each pool search instead resets the same trees to their openings
 * ({@link Mcts#reset}, then {@link SearchPool#search(List, Budget)}), as a self-play loop reuses its
 * trees, and all of them start and finish together. The network runs are those of a
 * {@link dev.ponder.mcts.StagedEvaluator} (encoding and decoding are search steps);
 * {@code network_busy_fraction} is the time spent in those runs over the wall time, {@code network_run_micros_per_eval} their time per evaluation (compare
 * with {@code raw_cpu_micros_per_eval}), {@code search_step_micros_per_eval} the pool's time in
 * search steps per evaluation ({@link SearchPool#searchNanos()}), and {@code two_core_ceiling} the
 * efficiency two cores could reach doing exactly those steps and runs with no idle time (overlapped
 * pool only). {@code core_round_trip_nanos_before} and {@code core_round_trip_nanos_after} say how far
 * apart the machine's cores were at the start and the end ({@link Report#coreRoundTripNanos}): on a
 * virtual machine whose cores the host moves, the two-thread figures are lower while they are far. <b>Raw.</b> (1) {@link RawOrt}: an OrtSession run in a loop
 * over one tensor of B encoded positions, reused, outputs pinned: the network alone
 * ({@code raw_evals_per_second}, the headline's denominator); (2) the same {@link OnnxEvaluator} called in a loop on a prebuilt batch of B positions,
 * with the search's check and normalisation ({@code evaluator_evals_per_second}: the network plus
 * encoding and reading the outputs, i.e. all the work of the evaluator thread).
 *
 * <p>Rounds interleave the three measurements (raw, evaluator, search), so that a load change on the
 * shared machine hits all three; the figures are medians over the rounds, the efficiency the ratio of
 * the medians. The summary (last JSON line) has {@code batch}, {@code search_evals_per_second},
 * {@code raw_evals_per_second} and {@code efficiency}.
 */
@Command(name = "onnx-efficiency", mixinStandardHelpOptions = true,
    description = "Network evaluations per second inside a Connect Four search (a parallel or overlapped SearchPool) over raw"
        + " ONNX Runtime evaluations per second at the same batch size.")
final class OnnxEfficiencyCommand implements Callable<Integer> {

  /** The models. */
  /** The widest hidden layer {@code --hidden} takes. */
  static final int MAX_WIDTH = 4096;

  enum Model {
    small(128, 128),
    large(512, 512, 512);

    final int[] hidden;

    Model(int... hidden) {
      this.hidden = hidden;
    }
  }

  @Option(names = "--batch", description = "Batch size B (default ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--model", description = "small (42-128-128) or large (42-512-512-512); default ${DEFAULT-VALUE}.")
  Model model = Model.small;

  @Option(names = "--hidden", split = ",", paramLabel = "W", description = "Hidden layer widths of another MLP"
      + " instead of --model (for example 256,256): to see how the efficiency moves with the network's cost.")
  List<Integer> hidden;

  @Option(names = "--seconds", description = "Time the command aims for; each round runs at least one whole"
      + " pool search, so short settings take longer (default ${DEFAULT-VALUE}).")
  double seconds = 30;

  @Option(names = "--rounds", description = "Interleaved rounds; medians are quoted (default ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(names = "--leaves", description = "Leaves per tree per evaluator call, K (default ${DEFAULT-VALUE}).")
  int leaves = 4;

  @Option(names = "--simulations", description = "Simulations per tree per pool search (default ${DEFAULT-VALUE}).")
  long simulations = 800;

  /** The pools the search may use. */
  enum Pool {
    overlapped,
    parallel
  }

  @Option(names = "--pool", description = "overlapped: two threads, each searching its half of the trees,"
      + " taking turns at the network (one run at a time); parallel: two threads, each searching its half of"
      + " the trees and running the network for its own batches, both at once (default ${DEFAULT-VALUE}).")
  Pool poolKind = Pool.overlapped;

  @Option(names = "--problems", description = "Openings per pool search, streamed through the groups x ceil(B/K)"
      + " trees in flight; at most that many: the same trees reset each time (default ${DEFAULT-VALUE}).")
  int problems = 512;

  @Option(names = "--sequential", description = "Also measure SearchPool.sequential (search and network in turn).")
  boolean sequential;

  @Option(names = "--diagnose", description = "Also run the same pools (all trees) with the uniform evaluator:"
      + " the search alone, overlapped and sequential, in simulations per second.")
  boolean diagnose;

  @Option(names = "--solver", description = "Prove values (SearchConfig.solver, maxReturn 1): descents stop at"
      + " proven nodes, and a tree stops once its root is proven.")
  boolean solver;

  @Option(names = "--session-per-stage", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Each pool group's stage runs its own ONNX Runtime session (OnnxEvaluator.Builder"
          + ".sessionPerStage), so the network's buffers stay with the thread that runs them; default"
          + " ${DEFAULT-VALUE}, --no-session-per-stage to share one session.")
  boolean sessionPerStage;

  @Option(names = "--seed", description = "Seed of the weights, roots and searches (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--json", description = "JSON lines; the last one is the summary.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    OptionChecks checks = new OptionChecks(spec);
    checks.atLeast("--batch", batch, 1).positive("--seconds", seconds).atLeast("--rounds", rounds, 1)
        .atLeast("--leaves", leaves, 1).atMost("--leaves", leaves, "--batch", batch)
        .atLeast("--simulations", simulations, 1).atLeast("--problems", problems, 1);
    if (hidden != null) {
      checks.eachAtLeast("--hidden", hidden, 1).eachAtMost("--hidden", hidden, MAX_WIDTH);
    }
    int[] widths = hidden == null ? model.hidden : hidden.stream().mapToInt(Integer::intValue).toArray();
    String modelName = (hidden == null ? model.name() : "custom") + " (42-" + joined(widths) + "-(7,1))";
    Report report = new Report(System.out, json);
    report.line("machine", Report.machine());
    double roundTripBefore = Report.coreRoundTripNanos();
    Path dir = Files.createTempDirectory("ponder-bench");
    Path file = dir.resolve("c4-" + joined(widths) + ".onnx");
    PolicyValueMlp.random(Connect4FlatEncoder.SIZE, widths, Connect4Position.WIDTH, seed)
        .export(Connect4FlatEncoder.SIZE).write(file);

    Connect4 env = new Connect4();
    List<Connect4Position> states = midgamePositions(batch, seed);
    int[][] legal = new int[batch][];
    for (int i = 0; i < batch; i++) {
      int[] out = new int[Connect4Position.WIDTH];
      int n = env.legalActions(states.get(i), out);
      legal[i] = java.util.Arrays.copyOf(out, n);
    }
    int treesPerGroup = (batch + leaves - 1) / leaves;
    int maxGroups = 2; // SearchPool.groups() of the pools measured here: 2 overlapped or parallel, 1 sequential
    List<Connect4Position> roots = Games.CONNECT4.roots(seed, Math.max(problems, maxGroups * treesPerGroup));
    SearchConfig config = SearchConfig.builder().leavesPerBatch(leaves).seed(seed).solver(solver).maxReturn(1)
        .build();
    Budget budget = Budget.simulations(simulations);
    boolean twoThreads = poolKind == Pool.parallel;
    int measures = (sequential ? 4 : 3) + (diagnose ? 2 : 0) + (twoThreads ? 1 : 0);
    double slice = seconds / (rounds + 1) / measures;

    double[] raw = new double[rounds];
    double[] rawTwo = new double[rounds];
    double[] viaEvaluator = new double[rounds];
    double[] search = new double[rounds];
    double[] seq = new double[rounds];
    double[] busyFraction = new double[rounds];
    double[] searchCpuFraction = new double[rounds];
    double[] rawCpuFraction = new double[rounds];
    double[] rawCpuPerEval = new double[rounds];
    double[] searchCpuPerEval = new double[rounds];
    double[] evaluatorCpuPerEval = new double[rounds];
    double[] evaluatorCpuFraction = new double[rounds];
    double[] runMicrosPerEval = new double[rounds];
    double[] stepMicrosPerEval = new double[rounds];
    double[] ceiling = new double[rounds];
    long calls = 0;
    long evals = 0;
    long seqCalls = 0;
    long seqEvals = 0;
    long treeSimulations = 0; // of the measured pool's searches
    double treeDepthSum = 0;
    long treeEvaluations = 0;
    long provenRoots = 0;
    long searchesDone = 0;
    int trees = 0;
    try (OnnxEvaluator<Connect4Position> evaluator = OnnxEvaluator.builder(file, new Connect4FlatEncoder(),
            Connect4Position.WIDTH).maxBatch(Math.max(256, batch)).intraOpThreads(1)
            .sessionPerStage(sessionPerStage).build();
        RawOrt ort = new RawOrt(file, states);
        RawOrt second = twoThreads ? new RawOrt(file, states) : null;
        SearchPool<Connect4Position> pool = poolKind == Pool.parallel
            ? SearchPool.parallel(timed(evaluator), 2)
            : SearchPool.overlapped(timed(evaluator));
        SearchPool<Connect4Position> seqPool = SearchPool.sequential(evaluator)) {
      EvaluationBatch<Connect4Position> prebuilt = TestBatches.of(Connect4Position.WIDTH, states, legal);
      trees = pool.groups() * treesPerGroup;
      Searches overlappedTrees = new Searches(env, config, roots, trees, problems);
      Searches sequentialTrees = new Searches(env, config, roots, treesPerGroup, problems);
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        long rawCpu0 = THREADS.getCurrentThreadCpuTime();
        long rawT0 = System.nanoTime();
        double rawRate = rawOrt(ort, slice);
        double rawCpu = (THREADS.getCurrentThreadCpuTime() - rawCpu0) / (double) (System.nanoTime() - rawT0);
        double rawTwoRate = twoThreads ? rawOrtOnTwoThreads(ort, second, slice) : 0;
        double evalRate = rawEvaluator(evaluator, prebuilt, slice);
        long c0 = pool.evaluatorCalls();
        long e0 = pool.evaluations();
        long busy0 = timer.nanos();
        long step0 = pool.searchNanos();
        long net0 = pool.networkNanos();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long evalCpu0 = evaluatorThreadCpu();
        long t0 = System.nanoTime();
        double searchRate = overlappedTrees.run(pool, budget, slice);
        double wall = System.nanoTime() - t0;
        double busy = (timer.nanos() - busy0) / wall;
        double searchCpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / wall;
        double evalCpu = (evaluatorThreadCpu() - evalCpu0) / wall;
        double seqRate = 0;
        long sc0 = seqPool.evaluatorCalls();
        long se0 = seqPool.evaluations();
        if (sequential) {
          seqRate = sequentialTrees.run(seqPool, budget, slice);
        }
        if (r >= 0) {
          raw[r] = rawRate;
          rawTwo[r] = rawTwoRate;
          viaEvaluator[r] = evalRate;
          search[r] = searchRate;
          seq[r] = seqRate;
          busyFraction[r] = busy;
          searchCpuFraction[r] = searchCpu;
          rawCpuFraction[r] = rawCpu;
          rawCpuPerEval[r] = rawCpu / rawRate * 1e6;
          searchCpuPerEval[r] = searchCpu / searchRate * 1e6;
          evaluatorCpuPerEval[r] = evalCpu / searchRate * 1e6;
          evaluatorCpuFraction[r] = evalCpu;
          runMicrosPerEval[r] = (timer.nanos() - busy0) / 1e3 / Math.max(1, pool.evaluations() - e0);
          double steps = pool.searchNanos() - step0;
          double runs = pool.networkNanos() - net0;
          stepMicrosPerEval[r] = steps / 1e3 / Math.max(1, pool.evaluations() - e0);
          // two cores doing all the steps and runs, the network on one at a time: at most this many
          // evaluations per second, and never more than the network alone
          double perEvalNanos = (steps + runs) / Math.max(1, pool.evaluations() - e0);
          ceiling[r] = Math.min(2e9 / perEvalNanos, 1e9 * (pool.evaluations() - e0) / runs) / rawRate;
          calls += pool.evaluatorCalls() - c0;
          evals += pool.evaluations() - e0;
          seqCalls += seqPool.evaluatorCalls() - sc0;
          seqEvals += seqPool.evaluations() - se0;
          report.line("round", Report.record("round", r, "raw_evals_per_second", rawRate,
              "evaluator_evals_per_second", evalRate, "search_evals_per_second", searchRate,
              "efficiency", searchRate / rawRate, "network_busy_fraction", busy,
              "search_thread_cpu_fraction", searchCpu, "evaluator_thread_cpu_fraction", evalCpu, "load_average", Report.loadAverage()));
        }
        treeSimulations = overlappedTrees.simulations; // warm-up included: a property of the searches
        treeEvaluations = overlappedTrees.evaluations;
        treeDepthSum = overlappedTrees.depthSum;
        provenRoots = overlappedTrees.proven;
        searchesDone = overlappedTrees.searches;
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
    double rawMedian = Report.median(raw);
    double evaluatorMedian = Report.median(viaEvaluator);
    double searchMedian = Report.median(search);
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratios[r] = search[r] / raw[r];
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("batch", batch);
    summary.put("search_evals_per_second", searchMedian);
    summary.put("raw_evals_per_second", rawMedian);
    summary.put("efficiency", searchMedian / rawMedian);
    summary.put("model", modelName);
    summary.put("raw_nanos_per_eval", 1e9 / rawMedian);
    if (twoThreads) {
      // The parallel pool runs the network on both cores: compare it with the network alone on both.
      summary.put("raw_two_threads_evals_per_second", Report.median(rawTwo));
      summary.put("efficiency_vs_two_thread_raw", searchMedian / Report.median(rawTwo));
    }
    summary.put("evaluator_evals_per_second", evaluatorMedian);
    summary.put("evaluator_efficiency", evaluatorMedian / rawMedian);
    summary.put("search_over_evaluator", searchMedian / evaluatorMedian);
    summary.put("efficiency_per_round_median", Report.median(ratios));
    summary.put("network_busy_fraction", Report.median(busyFraction));
    summary.put("search_thread_cpu_fraction", Report.median(searchCpuFraction));
    summary.put("evaluator_thread_cpu_fraction", Report.median(evaluatorCpuFraction));
    summary.put("raw_thread_cpu_fraction", Report.median(rawCpuFraction));
    double rawUs = Report.median(rawCpuPerEval);
    double searchUs = Report.median(searchCpuPerEval);
    double evaluatorUs = Report.median(evaluatorCpuPerEval);
    summary.put("raw_cpu_micros_per_eval", rawUs);
    summary.put("search_thread_cpu_micros_per_eval", searchUs);
    summary.put("evaluator_thread_cpu_micros_per_eval", evaluatorUs);
    summary.put("network_run_micros_per_eval", Report.median(runMicrosPerEval));
    summary.put("search_step_micros_per_eval", Report.median(stepMicrosPerEval));
    if (!twoThreads) {
      summary.put("two_core_ceiling", Report.median(ceiling));
    }
    // What the same run would give with a free core per thread: not a measurement, a projection.
    summary.put("projected_efficiency_two_free_cores", rawUs / Math.max(searchUs, evaluatorUs));
    summary.put("mean_batch", calls == 0 ? 0.0 : (double) evals / calls);
    summary.put("leaves_per_batch", leaves);
    summary.put("pool", poolKind.name());
    summary.put("solver", solver);
    summary.put("session_per_stage", sessionPerStage);
    summary.put("simulations_per_eval", treeSimulations / (double) Math.max(1, treeEvaluations));
    summary.put("mean_leaf_depth", treeDepthSum / Math.max(1, treeSimulations));
    summary.put("proven_root_fraction", provenRoots / (double) Math.max(1, searchesDone));
    summary.put("trees", trees);
    summary.put("problems_per_pool_search", Math.max(problems, trees));
    summary.put("simulations_per_tree", simulations);
    if (sequential) {
      summary.put("sequential_search_evals_per_second", Report.median(seq));
      summary.put("sequential_efficiency", Report.median(seq) / rawMedian);
      summary.put("sequential_mean_batch", seqCalls == 0 ? 0.0 : (double) seqEvals / seqCalls);
    }
    if (diagnose) {
      try (SearchPool<Connect4Position> over = SearchPool.overlapped(Evaluator.uniform());
          SearchPool<Connect4Position> seqUniform = SearchPool.sequential(Evaluator.uniform())) {
        double[] o = new double[rounds];
        double[] s = new double[rounds];
        Searches overTrees = new Searches(env, config, roots, over.groups() * treesPerGroup, problems);
        Searches seqTrees = new Searches(env, config, roots, over.groups() * treesPerGroup, problems);
        for (int r = -1; r < rounds; r++) {
          double a = overTrees.run(over, budget, slice);
          double b = seqTrees.run(seqUniform, budget, slice);
          if (r >= 0) {
            o[r] = a;
            s[r] = b;
          }
        }
        summary.put("uniform_overlapped_sims_per_second", Report.median(o));
        summary.put("uniform_sequential_sims_per_second", Report.median(s));
        summary.put("uniform_mean_leaf_depth", overTrees.depthSum / Math.max(1, overTrees.simulations));
        report.line("diagnosis", Report.record("uniform_overlapped_sims_per_second", Report.median(o),
            "uniform_sequential_sims_per_second", Report.median(s), "load_average", Report.loadAverage()));
      }
    }
    summary.put("rounds", rounds);
    summary.put("load_average", Report.loadAverage());
    summary.put("core_round_trip_nanos_before", roundTripBefore);
    summary.put("core_round_trip_nanos_after", Report.coreRoundTripNanos());
    report.line("summary", summary);
    return 0;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private TimedEvaluator<Connect4Position> timer;

  /** CPU time of the overlapped pool's evaluator thread (named ponder-evaluator), or 0 if not started. */
  private static long evaluatorThreadCpu() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ponder-evaluator")) {
        return Math.max(0, THREADS.getThreadCpuTime(t.getId()));
      }
    }
    return 0;
  }

  private TimedEvaluator<Connect4Position> timed(OnnxEvaluator<Connect4Position> evaluator) {
    timer = new TimedEvaluator<>(evaluator);
    return timer;
  }

  private static double rawOrt(RawOrt ort, double seconds) throws Exception {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long calls = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        ort.run();
      }
      calls += 16;
      now = System.nanoTime();
    } while (now < deadline);
    return calls * (double) ort.batchSize() * 1e9 / (now - start);
  }

  /** Two raw loops at once, each on its own session and thread: the network alone on both cores. */
  private static double rawOrtOnTwoThreads(RawOrt first, RawOrt second, double seconds) throws Exception {
    double[] other = new double[1];
    Exception[] failed = new Exception[1];
    Thread helper = new Thread(() -> {
      try {
        other[0] = rawOrt(second, seconds);
      } catch (Exception e) {
        failed[0] = e;
      }
    }, "bench-raw-2");
    helper.start();
    double mine = rawOrt(first, seconds);
    helper.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return mine + other[0];
  }

  private static <S> double rawEvaluator(OnnxEvaluator<S> evaluator, EvaluationBatch<S> batch, double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long calls = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        evaluator.evaluate(batch);
        TestBatches.checkAndNormalize(batch);
      }
      calls += 16;
      now = System.nanoTime();
    } while (now < deadline);
    return calls * (double) batch.size() * 1e9 / (now - start);
  }

  /** The pool searches of one measurement: many openings streamed through a few trees, or a few reset. */
  private static final class Searches {
    private final Connect4 env;
    private final SearchConfig config;
    private final List<Connect4Position> roots;
    private final int trees;
    private final List<Mcts<Connect4Position>> reused = new ArrayList<>();
    long simulations; // over every run
    double depthSum; // mean leaf depth times simulations, over every run
    long evaluations;
    long searches;
    long proven; // searches that stopped with their root proven

    Searches(Connect4 env, SearchConfig config, List<Connect4Position> roots, int trees, int problems) {
      this.env = env;
      this.config = config;
      this.trees = trees;
      if (problems <= trees) { // the same trees, reset to their openings for each pool search
        this.roots = roots.subList(0, trees);
        for (int i = 0; i < trees; i++) {
          reused.add(new Mcts<>(env, Evaluator.uniform(), config.toBuilder().seed(config.seed() + i).build()));
        }
      } else {
        this.roots = roots.subList(0, problems);
      }
    }

    /** Pool searches until {@code seconds} are over; the states evaluated per second. */
    double run(SearchPool<Connect4Position> pool, Budget budget, double seconds) {
      long e0 = pool.evaluations();
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      long now;
      do {
        List<SearchResult> results;
        if (reused.isEmpty()) {
          results = pool.search(env, config, roots, budget, trees);
        } else {
          for (int i = 0; i < reused.size(); i++) {
            reused.get(i).reset(roots.get(i));
          }
          results = pool.search(reused, budget);
        }
        now = System.nanoTime();
        for (SearchResult r : results) {
          simulations += r.stats().simulations();
          depthSum += r.stats().meanDepth() * r.stats().simulations();
          evaluations += r.stats().evaluations();
          searches++;
          proven += r.stats().stopReason() == StopReason.PROVEN ? 1 : 0;
        }
      } while (now < deadline);
      return (pool.evaluations() - e0) * 1e9 / (now - start);
    }
  }

  /** {@code n} seeded positions 4 to 20 moves into random games, none of them over. */
  static List<Connect4Position> midgamePositions(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Connect4Position> list = new ArrayList<>(n);
    while (list.size() < n) {
      list.add(Games.randomPosition(random, 4, 20));
    }
    return list;
  }

  private static String joined(int[] hidden) {
    StringBuilder sb = new StringBuilder();
    for (int h : hidden) {
      sb.append(sb.length() > 0 ? "-" : "").append(h);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
