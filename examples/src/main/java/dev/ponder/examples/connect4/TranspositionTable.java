package dev.ponder.examples.connect4;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.math.IntMath;
import java.util.Arrays;

/**
 * A fixed-size, always-replace hash table from Connect Four position keys ({@code current + mask}, 49
 * bits) to a bounded score: one {@code int} of key and one {@code byte} of value per slot.
 *
 * <p>Only the low 32 bits of a key are stored. Since the slot is the key modulo a prime larger than
 * 2^17, the slot and the stored bits together determine the 49-bit key (Chinese remainder theorem), so
 * a hit is never a false match. Reference: P. Pons, "Solving Connect 4", part 10 (transposition table).
 */
final class TranspositionTable {

  private final int[] keys;
  private final byte[] values;

  /** A table with at least {@code minSlots} slots (rounded up to a prime, at least 2^17 + 1). */
  TranspositionTable(int minSlots) {
    checkArgument(minSlots > 0, "minSlots must be positive, was %s", minSlots);
    int size = Math.max(minSlots, (1 << 17) + 1);
    while (!IntMath.isPrime(size)) {
      size++;
    }
    keys = new int[size];
    values = new byte[size];
  }

  /** Number of slots. */
  int size() {
    return keys.length;
  }

  /** Stores a non-zero value for {@code key}, replacing whatever shared its slot. */
  void put(long key, byte value) {
    int slot = (int) (key % keys.length);
    keys[slot] = (int) key;
    values[slot] = value;
  }

  /** The value stored for {@code key}, or 0 if there is none. */
  byte get(long key) {
    int slot = (int) (key % keys.length);
    return keys[slot] == (int) key ? values[slot] : 0;
  }

  /** Forgets every entry. */
  void clear() {
    Arrays.fill(keys, 0);
    Arrays.fill(values, (byte) 0);
  }
}
