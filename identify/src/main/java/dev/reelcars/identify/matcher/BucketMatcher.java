package dev.reelcars.identify.matcher;

import java.util.Arrays;

/**
 * Matches a still's features against one reference, comparing each still feature only with the reference features
 * under the same vocabulary node (the reference's features are sorted by that node). Lowe's ratio test within the
 * bucket, an absolute distance cap, and one still feature per reference feature (the closest).
 */
final class BucketMatcher {
    private BucketMatcher() {}

    static Matches match(FeatureSet query, int[] queryBuckets, ReferenceView view, double ratio, int maxDistance) {
        FeatureSet ref = view.features();
        int[] start = view.bucketStart();
        int[] bestQuery = new int[ref.count];
        int[] bestDistance = new int[ref.count];
        Arrays.fill(bestQuery, -1);
        long[] q = query.descriptors;
        long[] r = ref.descriptors;
        for (int i = 0; i < query.count; i++) {
            int b = queryBuckets[i];
            int d1 = Integer.MAX_VALUE;
            int d2 = Integer.MAX_VALUE;
            int j1 = -1;
            // The still descriptor's four words in locals: this loop is a tenth of a still's matching time.
            long q0 = q[i << 2];
            long q1 = q[(i << 2) + 1];
            long q2 = q[(i << 2) + 2];
            long q3 = q[(i << 2) + 3];
            for (int j = start[b]; j < start[b + 1]; j++) {
                int o = j << 2;
                int d = Long.bitCount(q0 ^ r[o]) + Long.bitCount(q1 ^ r[o + 1]) + Long.bitCount(q2 ^ r[o + 2])
                        + Long.bitCount(q3 ^ r[o + 3]);
                if (d < d1) {
                    d2 = d1;
                    d1 = d;
                    j1 = j;
                } else if (d < d2) {
                    d2 = d;
                }
            }
            if (j1 >= 0 && d1 <= maxDistance && d1 < ratio * d2
                && (bestQuery[j1] < 0 || d1 < bestDistance[j1])) {
                bestQuery[j1] = i;
                bestDistance[j1] = d1;
            }
        }
        int[] queryIdx = new int[ref.count];
        int[] refIdx = new int[ref.count];
        int count = 0;
        for (int j = 0; j < ref.count; j++) {
            if (bestQuery[j] >= 0) {
                queryIdx[count] = bestQuery[j];
                refIdx[count] = j;
                count++;
            }
        }
        return new Matches(queryIdx, refIdx, count);
    }
}
