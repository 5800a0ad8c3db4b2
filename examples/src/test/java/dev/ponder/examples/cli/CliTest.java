package dev.ponder.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CliTest {

  private static void assertUsageError(CliRun run, String fragment) {
    assertEquals(2, run.code(), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().contains(fragment), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void ticTacToeSelfPlayDrawsEveryGame() {
    CliRun run = CliRun.of("tictactoe", "selfplay", "--games", "20", "--simulations", "300", "--json");
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.lines();
    assertEquals(21, lines.size());
    for (int i = 0; i < 20; i++) {
      assertTrue(lines.get(i).startsWith("{\"game\":" + (i + 1) + ",\"moves\":\""), lines.get(i));
      assertTrue(lines.get(i).contains("\"winner\":\"draw\""), lines.get(i));
    }
    assertTrue(run.summary().startsWith("{\"summary\":{"), run.summary());
    assertEquals("20", run.summaryValue("games"));
    assertEquals("0", run.summaryValue("first_player_wins"));
    assertEquals("0", run.summaryValue("second_player_wins"));
    assertEquals("20", run.summaryValue("draws"));
  }

  @Test
  void selfPlayIsReproducibleAndGamesVary() {
    String[] args = {"connect4", "selfplay", "--games", "3", "--simulations", "200", "--seed", "5", "--json"};
    CliRun a = CliRun.of(args);
    CliRun b = CliRun.of(args);
    assertEquals(0, a.code(), a.err());
    assertEquals(a.out(), b.out());
    List<String> lines = a.lines();
    assertEquals(4, lines.size());
    assertTrue(lines.stream().limit(3).distinct().count() > 1, "games should differ: " + lines);
    int total = 0;
    for (String key : new String[] {"first_player_wins", "second_player_wins", "draws"}) {
      total += Integer.parseInt(a.summaryValue(key));
    }
    assertEquals(3, total);
    CliRun other = CliRun.of("connect4", "selfplay", "--games", "3", "--simulations", "200", "--seed", "6",
        "--json");
    assertFalse(a.out().equals(other.out()), "another seed gives other games");
  }

  @Test
  void analyzeReportsSevenColumns() {
    CliRun run = CliRun.of("connect4", "analyze", "--position", "444444", "--simulations", "500", "--json");
    assertEquals(0, run.code(), run.err());
    assertEquals(7, run.lines().size(), "6 playable columns and the summary");
    String visits = run.summaryValue("visits");
    assertEquals(7, visits.split(",").length, visits);
    assertEquals("null", visits.substring(1, visits.length() - 1).split(",")[3], "column 4 is full");
    assertEquals(7, run.summaryValue("q").split(",").length);
    assertEquals(7, run.summaryValue("prior").split(",").length);
    int chosen = Integer.parseInt(run.summaryValue("chosen"));
    assertTrue(chosen >= 1 && chosen <= 7 && chosen != 4, "chosen " + chosen);
  }

  @Test
  void solveGivesExactScores() {
    CliRun run = CliRun.of("connect4", "solve", "--position", "7422341735647741166133573473242566", "--json");
    assertEquals(0, run.code(), run.err());
    assertEquals("[-3,1,null,null,-4,1,null]", run.summaryValue("scores"));
    assertEquals("1", run.summaryValue("score"));
    CliRun text = CliRun.of("connect4", "solve", "--position", "7422341735647741166133573473242566");
    assertTrue(text.out().contains("score 1 (win)"), text.out());
  }

  @Test
  void textOutputIsReadable() {
    CliRun run = CliRun.of("tictactoe", "selfplay", "--games", "2", "--simulations", "50");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("game 1: "), run.out());
    assertTrue(run.out().contains("2 games, 50 simulations per move"), run.out());
    CliRun analyze = CliRun.of("connect4", "analyze", "--position", "4453", "--simulations", "300");
    assertTrue(analyze.out().contains("chosen column"), analyze.out());
  }

  @Test
  void everyCommandPrintsTheVersion() {
    for (String[] args : List.of(new String[] {"-V"}, new String[] {"connect4", "analyze", "-V"})) {
      CliRun run = CliRun.of(args);
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().startsWith("ponder-examples "), run.out()); // the jar's version, or "unknown" in tests
    }
  }

  @Test
  void textOutputIsTheSameInEveryLocale() {
    String[] args = {"connect4", "analyze", "--position", "4453", "--simulations", "300"};
    String root = CliRun.of(args).out();
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma
      assertEquals(root, CliRun.of(args).out());
    } finally {
      Locale.setDefault(saved);
    }
    assertTrue(root.matches("(?s).*root value -?\\d\\.\\d{3}.*"), root);
  }

  @Test
  void badInputIsOneLineOnStderrWithExitCode2() {
    assertUsageError(CliRun.of("connect4", "solve", "--position", "4458"), "move 4 is '8'");
    assertUsageError(CliRun.of("connect4", "analyze", "--position", "4444444"), "column 4, which is full");
    assertUsageError(CliRun.of("connect4", "solve", "--position", "1213141"), "already won");
    assertUsageError(CliRun.of("connect4", "analyze", "--position", "1213141"), "already won");
    assertUsageError(CliRun.of("tictactoe", "selfplay", "--games", "0", "--simulations", "10"),
        "--games must be at least 1");
    assertUsageError(CliRun.of("connect4", "selfplay", "--games", "1", "--simulations", "-5"),
        "--simulations must be at least 1");
    assertUsageError(CliRun.of("connect4", "analyze", "--position", "44", "--simulations", "-1"),
        "--simulations must be at least 1");
    assertUsageError(CliRun.of("connect4", "selfplay", "--games", "x", "--simulations", "1"), "--games");
    assertUsageError(CliRun.of("connect4", "selfplay", "--games", "1"), "--simulations");
    assertUsageError(CliRun.of("connect4", "explode"), "explode");
    assertUsageError(CliRun.of("connect4"), "choose an action");
  }

  @Test
  void helpMentionsTheColumnNotation() {
    CliRun run = CliRun.of("connect4", "analyze", "--help");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("chosen column (1-7)"), run.out());
  }

  @Test
  void playHandlesBadInputAndEndOfInput() {
    CliRun run = CliRun.withInput("9\nhello\n4\n", "connect4", "play", "--human-first", "--simulations", "100");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("'9' is not a column"), run.out());
    assertTrue(run.out().contains("'hello' is not a column"), run.out());
    assertTrue(run.out().contains("Ponder plays"), run.out());
    assertTrue(run.out().contains("End of input."), run.out());
    // Playing column 4 over and over fills it, unless the search wins first: whether it does depends on
    // the search, so try seeds until one game reaches the full column.
    boolean sawFullColumn = false;
    for (int seed = 0; seed < 20 && !sawFullColumn; seed++) {
      CliRun json = CliRun.withInput("4\n4\n4\n4\n4\n4\n4\n", "connect4", "play", "--human-first",
          "--simulations", "100", "--seed", Integer.toString(seed), "--json");
      assertEquals(0, json.code(), json.err());
      assertTrue(json.summary().startsWith("{\"summary\":{\"moves\":"), json.summary());
      sawFullColumn = json.out().contains("{\"error\":\"column 4 is full: choose another\"}");
      if (!sawFullColumn) {
        assertTrue(json.summary().contains("\"winner\":\"ponder\""), json.out());
      }
    }
    assertTrue(sawFullColumn, "no seed let column 4 fill up before the search won");
  }

  @Test
  void playFinishesAGame() {
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      input.append("1234567\n".charAt(i % 7)).append('\n');
    }
    CliRun run = CliRun.withInput(input.toString(), "connect4", "play", "--simulations", "2000", "--json");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.summary().contains("\"finished\":true"), run.summary());
    assertTrue(run.summary().contains("\"winner\":\"ponder\""), run.summary());
  }
}
