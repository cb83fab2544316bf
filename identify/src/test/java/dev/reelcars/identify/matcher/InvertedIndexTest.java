package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InvertedIndexTest {
    private static final int WORDS = 400;
    private static final int MAX_DISTANCE = 20;

    /**
     * Synthetic views over a small vocabulary, so that every view shares words with the still and collects votes: the
     * shortlist must hold the views that scoring every voted view in full would rank highest, whichever views the
     * index skipped on the way.
     */
    @Test
    void theShortlistIsTheViewsWhoseHoughPeakIsHighestAsIfEveryVotedViewWereScored() {
        Random random = new Random(7);
        InvertedIndex index = new InvertedIndex(WORDS, MAX_DISTANCE);
        List<ReferenceView> views = new ArrayList<>();
        List<int[]> wordsOf = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int v = 0; v < 300; v++) {
            int count = 20 + random.nextInt(180);
            FeatureSet features = randomFeatures(random, count, v % 2 == 0 ? 1 : random.nextDouble());
            int[] words = new int[count];
            for (int f = 0; f < count; f++) {
                words[f] = random.nextInt(WORDS);
            }
            ReferenceView view = new ReferenceView("r" + v, "label" + v, features, new int[0]);
            views.add(view);
            wordsOf.add(words);
            slots.add(index.add(view, words, view.features().descriptors));
        }
        // Removing views and adding one back reuses a slot: the scores must follow the slots, not the order of adding.
        for (int v = 0; v < 300; v += 37) {
            index.remove(slots.get(v), wordsOf.get(v));
            views.set(v, null);
        }
        FeatureSet planted = randomFeatures(random, 150, 0);
        int[] plantedWords = new int[150];
        for (int f = 0; f < 150; f++) {
            plantedWords[f] = random.nextInt(WORDS);
        }
        ReferenceView plantedView = new ReferenceView("planted", "planted", planted, new int[0]);
        views.add(plantedView);
        wordsOf.add(plantedWords);
        slots.add(index.add(plantedView, plantedWords, plantedView.features().descriptors));

        // The still: the planted view's features, rotated by a fixed step (all in one Hough bin), plus scene noise.
        int n = 400;
        FeatureSet still = randomFeatures(random, n, 1);
        int[] stillWords = new int[n];
        for (int i = 0; i < n; i++) {
            stillWords[i] = random.nextInt(WORDS);
        }
        for (int i = 0; i < 150; i++) {
            stillWords[i] = plantedWords[i];
            System.arraycopy(planted.descriptors, i * 4, still.descriptors, i * 4, 4);
            still.angles[i] = (byte) (planted.angles[i] + 40);
            still.octaves[i] = planted.octaves[i];
        }

        for (int size : new int[] {1, 5, 10, 25}) {
            List<String> expected = rankedByFullScoring(views, wordsOf, slots, still, stillWords, index.size(), size);
            List<String> actual = index.shortlist(still, stillWords, size).stream().map(ReferenceView::referenceId)
                    .toList();
            assertEquals(expected, actual, "shortlist of " + size);
        }
        assertEquals("planted", index.shortlist(still, stillWords, 1).get(0).referenceId());
        assertEquals(rankedByFullScoring(views, wordsOf, slots, still, stillWords, index.size(), Integer.MAX_VALUE),
                index.ranking(still, stillWords).stream().map(ReferenceView::referenceId).toList(),
                "the ranking is every voted view, as the shortlist orders them");

        // Trimming the lists' spare room frees heap and changes no shortlist; the index still grows afterwards.
        long before = index.postingBytes();
        index.trimToSize();
        assertTrue(index.postingBytes() < before, "trimming must free spare room: " + index.postingBytes() + " vs "
                + before);
        for (int size : new int[] {1, 5, 10, 25}) {
            List<String> expected = rankedByFullScoring(views, wordsOf, slots, still, stillWords, index.size(), size);
            assertEquals(expected, index.shortlist(still, stillWords, size).stream().map(ReferenceView::referenceId)
                    .toList(), "shortlist of " + size + " after trimming");
        }
        index.remove(slots.get(slots.size() - 1), plantedWords);
        views.set(views.size() - 1, null);
        ReferenceView again = new ReferenceView("planted-again", "planted", planted, new int[0]);
        views.add(again);
        wordsOf.add(plantedWords);
        slots.add(index.add(again, plantedWords, again.features().descriptors));
        assertEquals(List.of("planted-again"), index.shortlist(still, stillWords, 1).stream()
                .map(ReferenceView::referenceId).toList(), "a view added after trimming is found");
    }

    /**
     * A gallery no bigger than the shortlist is verified whole, in the order the views were added; a benchmark asking
     * where a still's reference ranks ({@link ReidLosses}) still gets the index's order, and only the views with a vote.
     */
    @Test
    void theRankingOrdersEvenAGalleryTheShortlistTakesWhole() {
        Random random = new Random(11);
        InvertedIndex index = new InvertedIndex(WORDS, MAX_DISTANCE);
        FeatureSet wanted = null;
        int[] wantedWords = null;
        for (int v = 0; v < 3; v++) {
            FeatureSet features = randomFeatures(random, 60, 1);
            int[] words = new int[60];
            for (int f = 0; f < 60; f++) {
                words[f] = v * 100 + f; // no word shared between views: the still votes for its own view only
            }
            index.add(new ReferenceView("r" + v, "label" + v, features, new int[0]), words, features.descriptors);
            if (v == 2) {
                wanted = features;
                wantedWords = words;
            }
        }
        assertEquals(List.of("r0", "r1", "r2"), index.shortlist(wanted, wantedWords, 10).stream()
                .map(ReferenceView::referenceId).toList());
        assertEquals(List.of("r2"), index.ranking(wanted, wantedWords).stream().map(ReferenceView::referenceId)
                .toList());
    }

    /** The shortlist's scoring written out plainly: every live view's votes, its Hough peak, normalised, ranked. */
    private static List<String> rankedByFullScoring(List<ReferenceView> views, List<int[]> wordsOf, List<Integer> slots,
                                                    FeatureSet still, int[] stillWords, int live, int size) {
        int[] df = new int[WORDS];
        for (int v = 0; v < views.size(); v++) {
            if (views.get(v) != null) {
                for (int w : wordsOf.get(v)) {
                    df[w]++;
                }
            }
        }
        record Ranked(String id, float score, int slot) {}
        List<Ranked> ranked = new ArrayList<>();
        for (int v = 0; v < views.size(); v++) {
            ReferenceView view = views.get(v);
            if (view == null) {
                continue;
            }
            float[] histogram = new float[HoughFilter.BINS];
            boolean voted = false;
            for (int i = 0; i < stillWords.length; i++) {
                if (df[stillWords[i]] == 0) {
                    continue;
                }
                double idf = Math.log(live) - Math.log(df[stillWords[i]]);
                if (idf <= 0) {
                    continue;
                }
                for (int f = 0; f < view.features().count; f++) {
                    if (wordsOf.get(v)[f] == stillWords[i]
                        && Long.bitCount(
                        still.descriptors[i * 4] ^ view.features().descriptors[f * 4]) <= MAX_DISTANCE) {
                        histogram[HoughFilter.bin(still, i, view.features(), f)] += (float) (idf * idf);
                        voted = true;
                    }
                }
            }
            if (voted) {
                float score = (float) (HoughFilter.peak(histogram) / Math.sqrt(view.features().count));
                ranked.add(new Ranked(view.referenceId(), score, slots.get(v)));
            }
        }
        // Equal scores go to the lower slot, as the index breaks ties.
        ranked.sort(Comparator.comparingDouble((Ranked r) -> -r.score()).thenComparingInt(Ranked::slot));
        return ranked.stream().limit(size).map(Ranked::id).toList();
    }

    /**
     * Descriptors whose first 64 bits are near one of two centres, so that same-word pairs often pass Hamming.
     *
     * @param upright the share of features with orientation 0 at level 0: votes between upright features all fall
     *     in one Hough bin, so a view's peak comes near its vote total and views with alike totals rank by a hair
     */
    private static FeatureSet randomFeatures(Random random, int count, double upright) {
        long[] descriptors = new long[count * 4];
        float[] xs = new float[count];
        float[] ys = new float[count];
        byte[] angles = new byte[count];
        byte[] octaves = new byte[count];
        for (int f = 0; f < count; f++) {
            long signature = random.nextBoolean() ? 0L : -1L;
            for (int flip = 0; flip < 12; flip++) {
                signature ^= 1L << random.nextInt(64);
            }
            descriptors[f * 4] = signature;
            for (int q = 1; q < 4; q++) {
                descriptors[f * 4 + q] = random.nextLong();
            }
            xs[f] = random.nextFloat() * 640;
            ys[f] = random.nextFloat() * 480;
            boolean isUpright = f < upright * count;
            angles[f] = (byte) (isUpright ? 0 : random.nextInt(256));
            octaves[f] = (byte) (isUpright ? 0 : random.nextInt(8));
        }
        return new FeatureSet(count, descriptors, xs, ys, angles, octaves, 640, 480);
    }
}
