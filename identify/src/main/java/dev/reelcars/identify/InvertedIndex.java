package dev.reelcars.identify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Visual word → references containing it, with tf-idf scoring (Sivic and Zisserman's "Video Google"). Adding a
 * reference appends to the posting lists of its words; idf is computed at query time from the live document
 * frequencies, so nothing is ever rebuilt as the gallery grows. Not thread-safe: the engine guards it.
 */
final class InvertedIndex {
  /** A posting packs the view slot (upper 24 bits) and the term count in that view (lower 8 bits). */
  private static final int COUNT_BITS = 8;
  private static final int COUNT_MASK = (1 << COUNT_BITS) - 1;

  private final int[][] postings;
  private final int[] postingCount;
  private final List<ReferenceView> slots = new ArrayList<>();
  private final Deque<Integer> freeSlots = new ArrayDeque<>();
  private int live;

  InvertedIndex(int wordCount) {
    postings = new int[wordCount][];
    postingCount = new int[wordCount];
  }

  int size() {
    return live;
  }

  /** @return the slot the view occupies, to pass to {@link #remove} */
  int add(ReferenceView view) {
    int slot = freeSlots.isEmpty() ? slots.size() : freeSlots.pop();
    if (slot == slots.size()) {
      slots.add(view);
    } else {
      slots.set(slot, view);
    }
    int[] sorted = view.words().clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      append(sorted[i], (slot << COUNT_BITS) | Math.min(j - i, COUNT_MASK));
      i = j;
    }
    live++;
    return slot;
  }

  void remove(int slot) {
    ReferenceView view = slots.get(slot);
    int[] sorted = view.words().clone();
    Arrays.sort(sorted);
    int previous = -1;
    for (int word : sorted) {
      if (word == previous) {
        continue;
      }
      previous = word;
      int[] list = postings[word];
      for (int p = 0; p < postingCount[word]; p++) {
        if (list[p] >>> COUNT_BITS == slot) {
          list[p] = list[--postingCount[word]];
          break;
        }
      }
    }
    slots.set(slot, null);
    freeSlots.push(slot);
    live--;
  }

  private void append(int word, int posting) {
    int[] list = postings[word];
    if (list == null) {
      list = new int[4];
      postings[word] = list;
    } else if (postingCount[word] == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
      postings[word] = list;
    }
    list[postingCount[word]++] = posting;
  }

  /**
   * The {@code n} views with the highest tf-idf score for the query words: sum over shared words of
   * {@code idf² × min(tf_query, tf_reference)}, divided by the square root of the reference's feature count so
   * that feature-rich references do not win by volume.
   */
  List<ReferenceView> shortlist(int[] queryWords, int n) {
    if (live == 0) {
      return List.of();
    }
    int[] sorted = queryWords.clone();
    Arrays.sort(sorted);
    float[] scores = new float[slots.size()];
    double logN = Math.log(live);
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      int word = sorted[i];
      int queryCount = j - i;
      i = j;
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
      for (int p = 0; p < df; p++) {
        int posting = list[p];
        scores[posting >>> COUNT_BITS] += weight * Math.min(queryCount, posting & COUNT_MASK);
      }
    }
    return top(scores, n);
  }

  private List<ReferenceView> top(float[] scores, int n) {
    // Partial selection: a small min-heap of (score, slot) would do as well; n is small so keep it simple.
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

  /** Heap bytes of the posting lists (capacity, not just the used part). */
  long postingBytes() {
    long bytes = 0;
    for (int[] list : postings) {
      if (list != null) {
        bytes += 16 + list.length * 4L;
      }
    }
    return bytes + postings.length * 12L;
  }
}
