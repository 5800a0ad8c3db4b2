package dev.ponder.examples.selfplay;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.eclipse.collections.api.list.primitive.ImmutableIntList;

/**
 * One finished two-player game.
 *
 * @param actions the actions played, in order
 * @param winner the player who won (0 moved first), or -1 for a draw
 */
public record GameRecord(ImmutableIntList actions, int winner) {

  /** Checks the winner. */
  public GameRecord {
    checkNotNull(actions, "actions must not be null");
    checkArgument(winner >= -1 && winner <= 1, "winner must be 0, 1 or -1 (draw), was %s", winner);
  }

  /** Whether the game was drawn. */
  public boolean isDraw() {
    return winner < 0;
  }

  /** The actions as digits {@code action + 1} (the usual 1-based notation of both example games). */
  public String notation() {
    StringBuilder b = new StringBuilder(actions.size());
    actions.forEach(a -> b.append(a + 1));
    return b.toString();
  }
}
