/**
 * Worked examples of Ponder: games and puzzles written as plain users of the public API of
 * {@code dev.ponder.mcts}, each with an exact checker, and the {@code ponder-examples} command line.
 *
 * <ul>
 *   <li>{@link dev.ponder.examples.tictactoe}: tic-tac-toe;
 *   <li>{@link dev.ponder.examples.connect4}: Connect Four on bitboards and an exact solver;
 *   <li>{@link dev.ponder.examples.selfplay}: a game loop where one search plays both sides;
 *   <li>{@link dev.ponder.examples.cli}: the executable jar's commands.
 * </ul>
 */
package dev.ponder.examples;
