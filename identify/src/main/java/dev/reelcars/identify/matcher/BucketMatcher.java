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
            long nearest = FeatureSet.nearestTwo(q, i, r, start[b], start[b + 1]);
            int j1 = FeatureSet.nearestIndex(nearest);
            int d1 = FeatureSet.nearestDistance(nearest);
            if (j1 >= 0 && d1 <= maxDistance && d1 < ratio * FeatureSet.secondDistance(nearest)
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
