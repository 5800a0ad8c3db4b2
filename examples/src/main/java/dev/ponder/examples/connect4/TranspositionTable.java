package dev.ponder.examples.connect4;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.math.IntMath;
import java.util.Arrays;

/**
 * A fixed-size hash table from Connect Four position keys ({@code current + mask}, 49 bits) to a
 * bounded score, a best move and a priority, in buckets of two entries: one kept while the entries that
 * compete for it are worth less (their searches were smaller), one always replaced. Each entry is one
 * {@code long}: the low 32 bits of the key above 32 bits of data; data 0 means an empty entry.
 *
 * <p>Only the low 32 bits of a key are stored. Since the bucket is the key modulo a prime larger than
 * 2^17, the bucket and the stored bits together determine the 49-bit key (Chinese remainder theorem), so
 * a hit is never a false match. Reference: P. Pons, "Solving Connect 4", part 10 (transposition table).
 */
final class TranspositionTable {

  private final long[] entries;
  private final int buckets;

  /** A table with at least {@code minSlots} entries (buckets rounded up to a prime, at least 2^17 + 1). */
  TranspositionTable(int minSlots) {
    checkArgument(minSlots > 0, "minSlots must be positive, was %s", minSlots);
    int size = Math.max((minSlots + 1) / 2, (1 << 17) + 1);
    while (!IntMath.isPrime(size)) {
      size++;
    }
    buckets = size;
    entries = new long[2 * size];
  }

  /** Number of entries. */
  int size() {
    return entries.length;
  }

  /**
   * Stores non-zero {@code data} for {@code key}, whose top byte is its priority (larger is kept
   * longer): in the first entry of the bucket if the priority there is not larger (what it held moves to
   * the second entry), else in the second.
   */
  void put(long key, int data) {
    int work = work(data);
    int slot = 2 * (int) (key % buckets);
    long stored = ((long) (int) key << 32) | (data & 0xFFFFFFFFL);
    long first = entries[slot];
    int k = (int) key;
    if ((int) (first >>> 32) == k && (int) first != 0) {
      entries[slot] = stored;
      return;
    }
    if ((int) (entries[slot + 1] >>> 32) == k && (int) entries[slot + 1] != 0) {
      if (work >= work((int) first)) {
        entries[slot] = stored;
        entries[slot + 1] = first;
      } else {
        entries[slot + 1] = stored;
      }
      return;
    }
    if (work >= work((int) first)) {
      entries[slot] = stored;
      if ((int) first != 0) {
        entries[slot + 1] = first;
      }
    } else {
      entries[slot + 1] = stored;
    }
  }

  /** The data stored for {@code key}, or 0 if there is none. */
  int get(long key) {
    int slot = 2 * (int) (key % buckets);
    int k = (int) key;
    long e = entries[slot];
    if ((int) (e >>> 32) == k) {
      return (int) e;
    }
    e = entries[slot + 1];
    return (int) (e >>> 32) == k ? (int) e : 0;
  }

  /** The priority field of some data: its top byte. */
  static int work(int data) {
    return data >>> 24;
  }

  /** Forgets every entry. */
  void clear() {
    Arrays.fill(entries, 0L);
  }
}
