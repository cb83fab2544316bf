package dev.reelcars.identify.matcher;

/**
 * Keeps the tentative matches that agree on one rotation and scale change (Lowe's Hough voting on keypoint
 * orientation and pyramid level). A rigid object seen again rotates and scales as a whole, so true matches pile up
 * in one bin while chance matches scatter. Cheap, and it lets RANSAC run on mostly-inlier sets, or be skipped.
 */
final class HoughFilter {
    private static final int ANGLE_BINS = 12; // 30° each
    private static final int OCTAVE_SPAN = 8; // ORB uses 8 pyramid levels
    /** Reference levels run higher than a still's: a reference adds detail and half-size views to its own pyramid. */
    static final int MAX_REF_OCTAVE = 15;
    private static final int SCALE_BINS = OCTAVE_SPAN + MAX_REF_OCTAVE;
    static final int BINS = ANGLE_BINS * SCALE_BINS;

    private HoughFilter() {}

    /** The (rotation, scale change) bin of matching query feature {@code q} with reference feature {@code r}. */
    static int bin(FeatureSet query, int q, FeatureSet ref, int r) {
        return bin(query, q, ref.angles[r] & 0xff, ref.octaves[r]);
    }

    /** As above, with the reference keypoint's orientation (0..255) and pyramid level given directly. */
    static int bin(FeatureSet query, int q, int refAngle, int refOctave) {
        int dAngle = ((query.angles[q] & 0xff) - refAngle) & 0xff; // 0..255, a full turn
        int scale = query.octaves[q] - refOctave + MAX_REF_OCTAVE;
        return dAngle * ANGLE_BINS / 256 * SCALE_BINS + scale;
    }

    /** Weight of the best bin together with its eight neighbours (rotation wraps around). */
    static float peak(float[] histogram) {
        float best = 0;
        for (int a = 0; a < ANGLE_BINS; a++) {
            for (int s = 0; s < SCALE_BINS; s++) {
                float v = neighbourhood(histogram, a, s);
                if (v > best) {
                    best = v;
                }
            }
        }
        return best;
    }

    /**
     * As {@link #peak(float[])}, looking only at bins next to the given voted bins (a bin with no voted neighbour sums
     * to 0): most references get a handful of votes from a still, and scanning all {@value #BINS} bins for each was
     * 4 % of a still's matching time at 1,000 views.
     */
    static float peak(float[] histogram, int[] voted, int from, int to) {
        if ((to - from) * 9 >= BINS) {
            return peak(histogram);
        }
        float best = 0;
        for (int i = from; i < to; i++) {
            int a = voted[i] / SCALE_BINS;
            int s = voted[i] % SCALE_BINS;
            for (int da = -1; da <= 1; da++) {
                int ca = (a + da + ANGLE_BINS) % ANGLE_BINS;
                for (int ds = -1; ds <= 1; ds++) {
                    int cs = s + ds;
                    if (cs >= 0 && cs < SCALE_BINS) {
                        best = Math.max(best, neighbourhood(histogram, ca, cs));
                    }
                }
            }
        }
        return best;
    }

    private static float neighbourhood(float[] histogram, int a, int s) {
        float v = 0;
        for (int da = -1; da <= 1; da++) {
            int row = (a + da + ANGLE_BINS) % ANGLE_BINS * SCALE_BINS;
            for (int ds = -1; ds <= 1; ds++) {
                int ss = s + ds;
                if (ss >= 0 && ss < SCALE_BINS) {
                    v += histogram[row + ss];
                }
            }
        }
        return v;
    }

    /** @return the matches in the most voted (rotation, scale) bin and its neighbours, compacted in place */
    static Matches filter(FeatureSet query, FeatureSet ref, Matches m) {
        int count = m.count();
        if (count == 0) {
            return m;
        }
        int[] bins = new int[count];
        float[] histogram = new float[BINS];
        for (int i = 0; i < count; i++) {
            bins[i] = bin(query, m.queryIdx()[i], ref, m.refIdx()[i]);
            histogram[bins[i]]++;
        }
        int bestA = 0;
        int bestS = 0;
        float bestVotes = -1;
        for (int a = 0; a < ANGLE_BINS; a++) {
            for (int s = 0; s < SCALE_BINS; s++) {
                float v = neighbourhood(histogram, a, s);
                if (v > bestVotes) {
                    bestVotes = v;
                    bestA = a;
                    bestS = s;
                }
            }
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int a = bins[i] / SCALE_BINS;
            int s = bins[i] % SCALE_BINS;
            int da = Math.abs(a - bestA);
            da = Math.min(da, ANGLE_BINS - da);
            if (da <= 1 && Math.abs(s - bestS) <= 1) {
                m.queryIdx()[kept] = m.queryIdx()[i];
                m.refIdx()[kept] = m.refIdx()[i];
                kept++;
            }
        }
        return new Matches(m.queryIdx(), m.refIdx(), kept);
    }
}
