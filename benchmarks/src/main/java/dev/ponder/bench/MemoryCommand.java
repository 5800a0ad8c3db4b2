package dev.ponder.bench;

import dev.ponder.mcts.Budget;
import dev.ponder.mcts.Evaluator;
import dev.ponder.mcts.Mcts;
import dev.ponder.mcts.SearchConfig;
import dev.ponder.mcts.SearchResult;
import dev.ponder.mcts.TreeView;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memory}: bytes per tree node and per edge, measured as the growth of the used heap (after a
 * full collection) while a search grows a tree to {@code --nodes} nodes, split with JOL into the
 * tree's own arrays and the state objects the environment allocated; and the largest tree that fits
 * in the heap ({@code --fill}: grow until the heap is exhausted; run with {@code -Xmx}).
 *
 * <p>In this tree every edge is a child node (its action and prior live in the child's slot), so
 * bytes per edge is the whole tree divided by its edges (nodes - 1): the edge's share of the node is
 * all of it. The tree grows in pages that never move once full, so the only spare capacity is the
 * rest of the last page (and the ends of pages a child block did not fit in): figures are given with
 * it (what the heap really holds) and without it (per used slot). The pages are read by reflection,
 * for this measurement only.
 *
 * <p>The summary (last JSON line) has {@code bytes_per_node} and {@code bytes_per_edge}: heap growth
 * per node and per edge of the synthetic game's largest tree of {@code --nodes} (branching 32), slack
 * and states included; it says which tree in {@code game} and {@code nodes}.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Bytes per tree node and per edge (heap growth, with and without spare page capacity;"
        + " tree arrays vs environment states) and the largest tree that fits (--fill).")
final class MemoryCommand implements Callable<Integer> {

  @Option(names = "--nodes", split = ",", description = "Tree sizes to build (default ${DEFAULT-VALUE}).")
  List<Long> nodes = new ArrayList<>(List.of(1_000_000L));

  @Option(names = "--games", split = ",", description = "Games: synthetic, connect4 (default both).")
  List<Games> games = new ArrayList<>(List.of(Games.SYNTHETIC, Games.CONNECT4));

  @Option(names = "--fill", description = "Also grow a synthetic tree until the heap is exhausted, and report"
      + " its size (set the heap with -Xmx).")
  boolean fill;

  @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--json", description = "JSON lines; the last one is the summary.")
  boolean json;

  @Spec
  CommandSpec spec;

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  @Override
  public Integer call() throws Exception {
    new OptionChecks(spec).eachAtLeast("--nodes", nodes, 2);
    Report report = new Report(System.out, json);
    report.line("machine", Report.machine());
    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, Object> first = null; // the synthetic game's largest tree: the figures at scale
    long largest = nodes.stream().mapToLong(Long::longValue).max().orElseThrow();
    for (Games game : games) {
      for (long n : nodes) {
        Map<String, Object> m = measure(game, n);
        report.line("memory", m);
        if (game == Games.SYNTHETIC && n == largest && first == null) {
          first = m;
        }
      }
    }
    if (first == null) {
      first = measure(Games.SYNTHETIC, largest);
    }
    if (fill) {
      Map<String, Object> f = fill();
      report.line("fill", f);
      summary.put("largest_tree_nodes", f.get("nodes"));
      summary.put("largest_tree_max_heap_mb", f.get("max_heap_mb"));
    }
    summary.put("bytes_per_node", first.get("bytes_per_node"));
    summary.put("bytes_per_edge", first.get("bytes_per_edge"));
    summary.put("bytes_per_node_without_slack", first.get("bytes_per_node_without_slack"));
    summary.put("bytes_per_edge_without_slack", first.get("bytes_per_edge_without_slack"));
    summary.put("tree_array_bytes_per_slot", first.get("tree_array_bytes_per_slot"));
    summary.put("state_bytes_per_node", first.get("state_bytes_per_node"));
    summary.put("game", first.get("game"));
    summary.put("nodes", first.get("nodes"));
    summary.put("estimated_largest_tree_nodes", first.get("estimated_largest_tree_nodes"));
    summary.put("load_average", Report.loadAverage());
    report.line("summary", summary);
    return 0;
  }

  private <S> Map<String, Object> measure(Games game, long n) throws Exception {
    quietJol();
    long before = usedAfterGc();
    Mcts<S> mcts = new Mcts<>(game.environment(), Evaluator.uniform(), SearchConfig.builder().seed(seed).build());
    SearchResult result = mcts.search(game.<S>root(seed), Budget.nodes(n));
    long after = usedAfterGc();
    TreeView tree = mcts.tree();
    long size = result.stats().nodes();
    long heap = after - before;

    // The tree's pages (exact sizes, read by reflection) and the objects its states reach.
    long pageBytes = 0;
    long capacity = 0;
    Object[][] states = null;
    for (Field f : tree.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || !f.getType().isArray()
          || !f.getType().getComponentType().isArray()) {
        continue;
      }
      f.setAccessible(true);
      Object[] pages = (Object[]) f.get(tree);
      for (Object page : pages) {
        pageBytes += VM.current().sizeOf(page);
      }
      if (f.getType() == byte[][].class) {
        for (Object page : pages) {
          capacity += ((byte[]) page).length; // one flag byte per slot
        }
      }
      if (f.getType() == Object[][].class) {
        states = (Object[][]) pages;
      }
    }
    long treeBytes = GraphLayout.parseInstance(tree).totalSize();
    long stateBytes = 0;
    long stateCount = 0;
    if (states != null) {
      stateBytes = GraphLayout.parseInstance((Object) states).totalSize() - VM.current().sizeOf(states);
      for (Object[] page : states) {
        stateBytes -= VM.current().sizeOf(page);
        for (Object state : page) {
          stateCount += state == null ? 0 : 1;
        }
      }
    }
    long arrayBytes = treeBytes - stateBytes;
    double slotBytes = (double) pageBytes / capacity;
    double perNode = (double) heap / size;
    double statePerNode = (double) stateBytes / size;
    double perNodeNoSlack = slotBytes + statePerNode; // every used slot, and the states: no spare capacity
    long maxHeap = Runtime.getRuntime().maxMemory();
    // Pages never move once full: the heap holds what the tree holds, plus the rest of its last page.
    double peakPerNode = perNode;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("game", game.name().toLowerCase(Locale.ROOT));
    m.put("nodes", size);
    m.put("edges", size - 1);
    m.put("visited_nodes_with_state", stateCount);
    m.put("slot_capacity", capacity);
    m.put("slack", (double) capacity / size);
    m.put("heap_growth_bytes", heap);
    m.put("bytes_per_node", perNode);
    m.put("bytes_per_edge", (double) heap / (size - 1));
    m.put("bytes_per_node_without_slack", perNodeNoSlack);
    m.put("bytes_per_edge_without_slack", perNodeNoSlack * size / (size - 1));
    m.put("tree_array_bytes", arrayBytes);
    m.put("tree_array_bytes_per_slot", (double) slotBytes);
    m.put("tree_array_bytes_per_node", (double) arrayBytes / size);
    m.put("state_bytes", stateBytes);
    m.put("state_bytes_per_node", statePerNode);
    m.put("state_bytes_per_state", stateCount == 0 ? 0.0 : (double) stateBytes / stateCount);
    m.put("other_bytes", heap - stateBytes - arrayBytes);
    m.put("estimated_largest_tree_nodes", (long) (maxHeap / peakPerNode));
    m.put("max_heap_mb", maxHeap / (1024 * 1024));
    m.put("load_average", Report.loadAverage());
    if (mcts.tree().size() != size) {
      throw new IllegalStateException("tree size changed");
    }
    return m;
  }

  private Map<String, Object> fill() {
    Mcts<Long> mcts = new Mcts<>(Games.SYNTHETIC.environment(), Evaluator.uniform(),
        SearchConfig.builder().seed(seed).build());
    mcts.reset(SyntheticGame.root(seed));
    String outcome;
    try {
      mcts.search(Budget.nodes(Integer.MAX_VALUE));
      outcome = "node limit";
    } catch (OutOfMemoryError e) {
      outcome = "OutOfMemoryError: " + e.getMessage();
    } catch (IllegalStateException e) {
      outcome = e.getMessage();
    }
    long size = mcts.tree().size();
    return Report.record("game", "synthetic", "nodes", size, "max_heap_mb",
        Runtime.getRuntime().maxMemory() / (1024 * 1024), "stopped_by", outcome,
        "load_average", Report.loadAverage());
  }

  /** JOL prints its attach warning to standard output: initialise it with that sent to stderr. */
  private static void quietJol() {
    java.io.PrintStream out = System.out;
    try {
      System.setOut(System.err);
      VM.current();
    } finally {
      System.setOut(out);
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
