package dev.reelcars.identify.matcher;

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
 * posting counts, so nothing is ever rebuilt as the gallery grows. Posting lists grow with spare room while a gallery
 * is loaded; {@link #trimToSize} drops it once loading is done. Not thread-safe: the engine guards it.
 */
final class InvertedIndex {
    /**
     * An entry packs the view slot (upper 20 bits: 1,048,576 views), keypoint orientation (8 bits) and pyramid level
     * (4 bits: a reference's detail, full-size and half-size views span levels 0-11).
     */
    private static final int GEOMETRY_BITS = 12;
    static final int MAX_VIEWS = 1 << (32 - GEOMETRY_BITS);
    /** Ints per posting: the 64-bit signature as two ints, then the packed entry. */
    private static final int STRIDE = 3;

    /**
     * Per word, one int array with {@value #STRIDE} ints per posting. One interleaved array instead of one per field:
     * voting reads a posting from one cache line, and a word holding one or two postings (most words of a small
     * gallery) pays one array header instead of three. 12 bytes per posting.
     */
    private final int[][] entries;
    private final int[] postingCount;
    private final List<ReferenceView> slots = new ArrayList<>();
    /**
     * Per slot, the root of the view's feature count that its votes are divided by: kept beside the slots so that
     * scoring thousands of voted views reads one array instead of each view's features.
     */
    private double[] roots = new double[64];
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private final int maxDistance;
    private int live;

    /** @param maxDistance Hamming distance between the first 64 descriptor bits under which a same-word pair votes */
    InvertedIndex(int wordCount, int maxDistance) {
        entries = new int[wordCount][];
        postingCount = new int[wordCount];
        this.maxDistance = maxDistance;
    }

    int size() {
        return live;
    }

    /**
     * @param view the view as shortlists return it (its descriptors may be elsewhere)
     * @param words the visual word of each of the view's features
     * @param descriptors the view's descriptors, whose first 64 bits are each posting's signature
     * @return the slot the view occupies, to pass to {@link #remove}
     */
    int add(ReferenceView view, int[] words, long[] descriptors) {
        int slot = freeSlots.isEmpty() ? slots.size() : freeSlots.pop();
        if (slot >= MAX_VIEWS) {
            throw new IllegalStateException("the index holds at most " + MAX_VIEWS + " views");
        }
        if (slot == slots.size()) {
            slots.add(view);
        } else {
            slots.set(slot, view);
        }
        if (slot >= roots.length) {
            roots = Arrays.copyOf(roots, 2 * slot);
        }
        roots[slot] = Math.sqrt(Math.max(1, view.features().count));
        FeatureSet features = view.features();
        for (int f = 0; f < words.length; f++) {
            int packed = slot << GEOMETRY_BITS | (features.angles[f] & 0xff) << 4
                    | Math.min(HoughFilter.MAX_REF_OCTAVE, features.octaves[f]);
            append(words[f], descriptors[f * 4], packed);
        }
        live++;
        return slot;
    }

    /** @param words the same words that were given to {@link #add} */
    void remove(int slot, int[] words) {
        for (int word : words) {
            int[] list = entries[word];
            for (int e = 0; e < STRIDE * postingCount[word]; e += STRIDE) {
                if (list[e + 2] >>> GEOMETRY_BITS == slot) {
                    int last = STRIDE * --postingCount[word];
                    System.arraycopy(list, last, list, e, STRIDE);
                    break; // one posting per feature: a word held by k features of the view is visited k times
                }
            }
        }
        slots.set(slot, null);
        freeSlots.push(slot);
        live--;
    }

    private void append(int word, long signature, int packed) {
        int[] list = entries[word];
        int count = postingCount[word];
        if (list == null) {
            // Most words of a small gallery never get a second posting: spare capacity would outweigh the postings.
            list = entries[word] = new int[STRIDE];
        } else if (STRIDE * count == list.length) {
            // Grow by an eighth: spare capacity is heap every view pays for (half the postings' growth would be 25% of
            // them on average at 1.5×, about 3 KB per view); the copies cost 9 per posting instead of 3, at indexing
            // only.
            list = entries[word] = Arrays.copyOf(list, STRIDE * (count + (count >> 3) + 1));
        }
        int e = STRIDE * count;
        list[e] = (int) signature;
        list[e + 1] = (int) (signature >>> 32);
        list[e + 2] = packed;
        postingCount[word] = count + 1;
    }

    /**
     * The {@code n} views with the highest score. Every still feature and reference feature with the same word and a
     * Hamming distance within the limit is a vote of weight {@code idf²}; a reference's votes are then binned by the
     * rotation and scale change they imply (weak geometric consistency) and only the best bin and its neighbours count,
     * since the features of one rigid car agree while chance collisions with the scene scatter. The sum is divided by
     * the square root of the reference's feature count so that feature-rich references do not win by volume. Exact,
     * but only references whose vote total could still reach the top {@code n} get their peak computed (see
     * {@link Votes}).
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
        return top(votes(query, queryWords).score(slots.size(), roots, n), n);
    }

    /**
     * Every view that got a vote, in the order {@link #shortlist} ranks them, best first, whatever the gallery's size
     * (a gallery no bigger than the shortlist is otherwise verified whole, unranked). For a benchmark that asks where
     * a still's right reference ranks ({@link ReidLosses}); it scores every voted view's peak, so it costs more than a
     * shortlist.
     */
    List<ReferenceView> ranking(FeatureSet query, int[] queryWords) {
        return live == 0 ? List.of() : top(votes(query, queryWords).score(slots.size(), roots, live), live);
    }

    /** The still's votes: see {@link #shortlist}. */
    private Votes votes(FeatureSet query, int[] queryWords) {
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
            int[] list = entries[word];
            long querySignature = query.descriptors[i * 4];
            int low = (int) querySignature;
            int high = (int) (querySignature >>> 32);
            for (int e = 0; e < STRIDE * df; e += STRIDE) {
                if (Integer.bitCount(low ^ list[e]) + Integer.bitCount(high ^ list[e + 1]) <= maxDistance) {
                    int packed = list[e + 2];
                    votes.add(packed >>> GEOMETRY_BITS, HoughFilter.bin(query, i, packed >>> 4 & 0xff,
                            packed & 15), weight);
                }
            }
        }
        return votes;
    }

    /**
     * Votes of one query, grouped by reference slot when scored. Only a reference's Hough peak is its score, and the
     * peak is a costly sum over bins; its plain vote total bounds it from above, so peaks are taken in order of that
     * bound and stop once no bound left can reach the shortlist (at 10,000 views most voted references are chance
     * collisions with a few votes each).
     */
    private static final class Votes {
        /**
         * A reference's vote total and its peak are float sums in different orders. Summing k positive floats is off by
         * at
         * most k · 2^-24 of the sum, about 6 · 10^-5 for a reference with 1,000 votes: the bound is widened by 10^-3.
         */
        private static final float BOUND_SLACK = 1.001f;
        private int[] slotOf = new int[1024];
        private int[] bins = new int[1024];
        private float[] weights = new float[1024];
        private int size;

        void add(int slot, int bin, float weight) {
            if (size == slotOf.length) {
                slotOf = Arrays.copyOf(slotOf, size * 2);
                bins = Arrays.copyOf(bins, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            slotOf[size] = slot;
            bins[size] = bin;
            weights[size] = weight;
            size++;
        }

        /**
         * @param roots per slot, the root of the view's feature count
         * @return per slot, the Hough peak divided by the root, for every slot that could rank among the top {@code n};
         *     the others are left at 0, their bound being below the n-th best score
         */
        float[] score(int slotCount, double[] roots, int n) {
            // Counting sort by slot, linear in the votes: about 64,000 of them for a still at 10,000 views.
            int[] start = new int[slotCount + 1];
            float[] total = new float[slotCount];
            for (int v = 0; v < size; v++) {
                start[slotOf[v] + 1]++;
                total[slotOf[v]] += weights[v];
            }
            int voted = 0;
            for (int s = 0; s < slotCount; s++) {
                voted += start[s + 1] > 0 ? 1 : 0;
                start[s + 1] += start[s];
            }
            int[] fill = Arrays.copyOf(start, slotCount);
            int[] groupedBins = new int[size];
            float[] groupedWeights = new float[size];
            for (int v = 0; v < size; v++) {
                int at = fill[slotOf[v]]++;
                groupedBins[at] = bins[v];
                groupedWeights[at] = weights[v];
            }
            // Best-first by bound: bound and peak both divided by the same root.
            long[] order = new long[voted];
            int k = 0;
            for (int s = 0; s < slotCount; s++) {
                if (start[s + 1] > start[s]) {
                    float bound = (float) (total[s] * BOUND_SLACK / roots[s]);
                    order[k++] = (long) ~Float.floatToIntBits(bound) << 32 | s; // positive floats sort as their bits
                }
            }
            Arrays.sort(order); // descending bound: the complemented bits of a positive float reverse its order
            float[] scores = new float[slotCount];
            float[] histogram = new float[HoughFilter.BINS];
            float[] best = new float[n]; // the n highest normalised peaks so far, ascending; best[0] is the one to beat
            int kept = 0;
            for (long entry : order) {
                int s = (int) entry;
                float bound = Float.intBitsToFloat(~(int) (entry >>> 32));
                if (kept == n && bound < best[0]) {
                    break; // every slot from here has a lower bound still
                }
                for (int v = start[s]; v < start[s + 1]; v++) {
                    histogram[groupedBins[v]] += groupedWeights[v];
                }
                float peak = (float) (HoughFilter.peak(histogram, groupedBins, start[s], start[s + 1]) / roots[s]);
                for (int v = start[s]; v < start[s + 1]; v++) {
                    histogram[groupedBins[v]] = 0;
                }
                scores[s] = peak;
                if (kept < n) {
                    best[kept++] = peak;
                    if (kept == n) {
                        Arrays.sort(best);
                    }
                } else if (peak > best[0]) {
                    int pos = 0;
                    while (pos + 1 < n && best[pos + 1] < peak) {
                        best[pos] = best[pos + 1];
                        pos++;
                    }
                    best[pos] = peak;
                }
            }
            return scores;
        }
    }

    private List<ReferenceView> top(float[] scores, int n) {
        int[] best = new int[n];
        float[] bestScore = new float[n];
        int filled = 0;
        for (int slot = 0; slot < scores.length; slot++) {
            float s = scores[slot];
            if (s <= 0) {
                continue; // no vote, or a bound too low to be scored; a freed slot has no postings, so no votes
            }
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

    /** Postings held: one per feature of every live view. */
    long postings() {
        long n = 0;
        for (int count : postingCount) {
            n += count;
        }
        return n;
    }

    /**
     * Drops the spare room of every posting list (a list grows by an eighth when full: about 6 % of its postings on
     * average, 0.7 B per feature). For a gallery loaded once and then mostly read; a view added later regrows the lists
     * of its words, and a removed view's postings leave room at the end of its words' lists.
     */
    void trimToSize() {
        for (int word = 0; word < entries.length; word++) {
            int[] list = entries[word];
            if (list != null && list.length > STRIDE * postingCount[word]) {
                entries[word] = postingCount[word] == 0 ? null : Arrays.copyOf(list, STRIDE * postingCount[word]);
            }
        }
        if (roots.length > slots.size()) {
            roots = Arrays.copyOf(roots, Math.max(1, slots.size()));
        }
    }

    /** Heap bytes of the posting lists that grow with the gallery (capacity and array headers,
            not just the postings). */
    long postingBytes() {
        long bytes = 16 + roots.length * 8L;
        for (int[] list : entries) {
            if (list != null) {
                bytes += 16 + list.length * 4L;
            }
        }
        return bytes;
    }

    /**
     * Heap bytes fixed by the vocabulary size: the table of per-word arrays (4 B per reference with compressed
     * pointers, the default below a 32 GB heap) and the per-word counters, each with its 16 B array header.
     */
    long fixedBytes() {
        return 16 + entries.length * 4L + 16 + postingCount.length * 4L;
    }
}
