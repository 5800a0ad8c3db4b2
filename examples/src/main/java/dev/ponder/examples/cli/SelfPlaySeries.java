package dev.ponder.examples.cli;

import dev.ponder.examples.json.Json;
import dev.ponder.examples.selfplay.GameRecord;
import dev.ponder.examples.selfplay.SelfPlay;
import java.util.Locale;

/** Runs a series of self-play games and prints each game and the tally. */
final class SelfPlaySeries {

  private SelfPlaySeries() {}

  /** Plays {@code options.games} games from {@code start}, printing them; returns the exit code (0). */
  static <S> int run(SelfPlay<S> selfPlay, S start, SelfPlayOptions options, Printer printer, String game) {
    int[] wins = new int[2];
    int draws = 0;
    for (int i = 0; i < options.games; i++) {
      GameRecord record = selfPlay.play(start, options.seed + i);
      String winner = record.isDraw() ? "draw" : record.winner() == 0 ? "first" : "second";
      if (record.isDraw()) {
        draws++;
      } else {
        wins[record.winner()]++;
      }
      printer.record(Json.object().put("game", i + 1).put("moves", record.notation())
          .put("length", record.actions().size()).put("winner", winner));
      printer.text(String.format(Locale.ROOT, "game %d: %s  %s", i + 1, record.notation(),
          record.isDraw() ? "draw" : winner + " player wins"));
    }
    printer.summary(Json.object().put("game", game).put("games", options.games)
        .put("simulations", options.simulations).put("seed", options.seed)
        .put("first_player_wins", wins[0]).put("second_player_wins", wins[1]).put("draws", draws));
    printer.text(String.format(Locale.ROOT, "%d games, %d simulations per move, seed %d: first player won %d, second"
        + " player won %d, %d draws", options.games, options.simulations, options.seed, wins[0], wins[1], draws));
    return 0;
  }
}
