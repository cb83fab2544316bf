package dev.reelcars.identify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Visual word → reference features quantised to it, scored with tf-idf and Hamming embedding: a still feature votes
 * for a reference feature of the same word only when their descriptors are also close on a 64-bit signature (the
 * first quarter of the ORB descriptor, stored in the posting) (Jegou, Douze and Schmid, "Hamming embedding and weak
 * geometric consistency", 2008). In a film still most features belong to the scene, and
 * with plain word counts their chance collisions drown the car's votes; the distance check removes most of them.
 *
 * <p>Adding a reference appends to the posting lists of its words; idf is computed at query time from the live
 * posting counts, so nothing is ever rebuilt as the gallery grows. Not thread-safe: the engine guards it.
 */
final class InvertedIndex {
  /** A posting packs the view slot (upper 21 bits) and the feature index in that view (lower 11 bits). */
  private static final int FEATURE_BITS = 11;
  private static final int FEATURE_MASK = (1 << FEATURE_BITS) - 1;
  static final int MAX_FEATURES = 1 << FEATURE_BITS;

  private final int[][] postings;
  /** Per posting: the first 64 bits of the reference descriptor, kept inline so voting reads memory in order. */
  private final long[][] signatures;
  /** Per posting: the reference keypoint's orientation (high byte) and pyramid level (low byte). */
  private final short[][] geometry;
  private final int[] postingCount;
  private final List<ReferenceView> slots = new ArrayList<>();
  private final Deque<Integer> freeSlots = new ArrayDeque<>();
  private final int maxDistance;
  private int live;

  /** @param maxDistance Hamming distance between the first 64 descriptor bits under which a same-word pair votes */
  InvertedIndex(int wordCount, int maxDistance) {
    postings = new int[wordCount][];
    signatures = new long[wordCount][];
    geometry = new short[wordCount][];
    postingCount = new int[wordCount];
    this.maxDistance = maxDistance;
  }

  int size() {
    return live;
  }

  /** @return the slot the view occupies, to pass to {@link #remove} */
  int add(ReferenceView view) {
    if (view.features().count > MAX_FEATURES) {
      throw new IllegalArgumentException("at most " + MAX_FEATURES + " features per view");
    }
    int slot = freeSlots.isEmpty() ? slots.size() : freeSlots.pop();
    if (slot == slots.size()) {
      slots.add(view);
    } else {
      slots.set(slot, view);
    }
    int[] words = view.words();
    FeatureSet features = view.features();
    for (int f = 0; f < words.length; f++) {
      short geo = (short) (((features.angles[f] & 0xff) << 8) | (features.octaves[f] & 0xff));
      append(words[f], (slot << FEATURE_BITS) | f, features.descriptors[f * 4], geo);
    }
    live++;
    return slot;
  }

  void remove(int slot) {
    ReferenceView view = slots.get(slot);
    for (int word : view.words()) {
      int[] list = postings[word];
      for (int p = 0; p < postingCount[word]; p++) {
        if (list[p] >>> FEATURE_BITS == slot) {
          int last = --postingCount[word];
          list[p] = list[last];
          signatures[word][p] = signatures[word][last];
          geometry[word][p] = geometry[word][last];
          break; // one posting per feature: a word held by k features of the view is visited k times
        }
      }
    }
    slots.set(slot, null);
    freeSlots.push(slot);
    live--;
  }

  private void append(int word, int posting, long signature, short geo) {
    int[] list = postings[word];
    if (list == null) {
      postings[word] = new int[4];
      signatures[word] = new long[4];
      geometry[word] = new short[4];
    } else if (postingCount[word] == list.length) {
      int capacity = list.length + (list.length >> 1) + 1;
      postings[word] = Arrays.copyOf(list, capacity);
      signatures[word] = Arrays.copyOf(signatures[word], capacity);
      geometry[word] = Arrays.copyOf(geometry[word], capacity);
    }
    int p = postingCount[word]++;
    postings[word][p] = posting;
    signatures[word][p] = signature;
    geometry[word][p] = geo;
  }

  /**
   * The {@code n} views with the highest score. Every still feature and reference feature with the same word and a
   * Hamming distance within the limit is a vote of weight {@code idf²}; a reference's votes are then binned by the
   * rotation and scale change they imply (weak geometric consistency) and only the best bin and its neighbours count,
   * since the features of one rigid car agree while chance collisions with the scene scatter. The sum is divided by
   * the square root of the reference's feature count so that feature-rich references do not win by volume.
   */
  List<ReferenceView> shortlist(FeatureSet query, int[] queryWords, int n) {
    if (live == 0) {
      return List.of();
    }
    if (live <= n) {
      // A gallery no bigger than the shortlist is verified whole. Ranking could only drop views here, and idf
      // degenerates in tiny galleries (with one view every word has idf 0, so nothing would ever be proposed).
      List<ReferenceView> all = new ArrayList<>(live);
      for (ReferenceView view : slots) {
        if (view != null) {
          all.add(view);
        }
      }
      return all;
    }
    Votes votes = new Votes();
    double logN = Math.log(live);
    for (int i = 0; i < queryWords.length; i++) {
      int word = queryWords[i];
      int df = postingCount[word];
      if (df == 0) {
        continue;
      }
      double idf = logN - Math.log(df);
      if (idf <= 0) {
        continue;
      }
      float weight = (float) (idf * idf);
      int[] list = postings[word];
      long[] signature = signatures[word];
      short[] geo = geometry[word];
      long querySignature = query.descriptors[i * 4];
      for (int p = 0; p < df; p++) {
        if (Long.bitCount(querySignature ^ signature[p]) <= maxDistance) {
          votes.add(list[p] >>> FEATURE_BITS, HoughFilter.bin(query, i, geo[p] >> 8 & 0xff, geo[p] & 0xff), weight);
        }
      }
    }
    float[] scores = new float[slots.size()];
    votes.score(scores);
    return top(scores, n);
  }

  /** Votes of one query, grouped by reference slot at the end. */
  private static final class Votes {
    private long[] keys = new long[1024]; // slot << 32 | vote index, sorted later to group by slot
    private int[] bins = new int[1024];
    private float[] weights = new float[1024];
    private int size;

    void add(int slot, int bin, float weight) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        bins = Arrays.copyOf(bins, size * 2);
        weights = Arrays.copyOf(weights, size * 2);
      }
      keys[size] = ((long) slot << 32) | size;
      bins[size] = bin;
      weights[size] = weight;
      size++;
    }

    void score(float[] scores) {
      long[] sorted = Arrays.copyOf(keys, size);
      Arrays.sort(sorted);
      float[] histogram = new float[HoughFilter.BINS];
      for (int start = 0; start < size; ) {
        int slot = (int) (sorted[start] >>> 32);
        int end = start;
        while (end < size && (int) (sorted[end] >>> 32) == slot) {
          histogram[bins[(int) sorted[end]]] += weights[(int) sorted[end]];
          end++;
        }
        scores[slot] = HoughFilter.peak(histogram);
        for (int v = start; v < end; v++) {
          histogram[bins[(int) sorted[v]]] = 0;
        }
        start = end;
      }
    }
  }

  private List<ReferenceView> top(float[] scores, int n) {
    int[] best = new int[n];
    float[] bestScore = new float[n];
    int filled = 0;
    for (int slot = 0; slot < scores.length; slot++) {
      ReferenceView view = slots.get(slot);
      if (view == null || scores[slot] <= 0) {
        continue;
      }
      float s = (float) (scores[slot] / Math.sqrt(Math.max(1, view.features().count)));
      if (filled < n || s > bestScore[filled - 1]) {
        int pos = filled < n ? filled++ : n - 1;
        while (pos > 0 && bestScore[pos - 1] < s) {
          bestScore[pos] = bestScore[pos - 1];
          best[pos] = best[pos - 1];
          pos--;
        }
        bestScore[pos] = s;
        best[pos] = slot;
      }
    }
    List<ReferenceView> result = new ArrayList<>(filled);
    for (int i = 0; i < filled; i++) {
      result.add(slots.get(best[i]));
    }
    return result;
  }

  /** Heap bytes of the posting lists that grow with the gallery (capacity, not just the used part). */
  long postingBytes() {
    long bytes = 0;
    for (int[] list : postings) {
      if (list != null) {
        bytes += 3 * 16 + list.length * (4L + 8 + 2);
      }
    }
    return bytes;
  }

  /** Heap bytes fixed by the vocabulary size: the per-word list headers and counters. */
  long fixedBytes() {
    return postings.length * 3 * 8L + 32;
  }
}
