package dev.reelcars.identify.matcher;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.DMatch;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDMatch;
import org.opencv.features2d.BFMatcher;

/**
 * The textbook matcher: OpenCV brute-force Hamming 2-NN of every still feature against a reference, Lowe's ratio test.
 * Holds the still's descriptors as a native Mat for the duration of one {@code match} call; close releases it.
 */
final class BruteForceMatcher implements AutoCloseable {
    private final Mat queryDescriptors;
    private final BFMatcher matcher = BFMatcher.create(Core.NORM_HAMMING, false);
    private final double ratio;

    BruteForceMatcher(FeatureSet query, double ratio) {
        this.ratio = ratio;
        this.queryDescriptors = toMat(query);
    }

    Matches match(ReferenceView view) {
        FeatureSet ref = view.features();
        if (ref.count < 2 || queryDescriptors.empty()) {
            return new Matches(new int[0], new int[0], 0);
        }
        Mat refDescriptors = toMat(ref);
        List<MatOfDMatch> knn = new ArrayList<>();
        try {
            matcher.knnMatch(queryDescriptors, refDescriptors, knn, 2);
            int[] queryIdx = new int[knn.size()];
            int[] refIdx = new int[knn.size()];
            int count = 0;
            for (MatOfDMatch pair : knn) {
                DMatch[] m = pair.toArray();
                if (m.length == 2 && m[0].distance < ratio * m[1].distance) {
                    queryIdx[count] = m[0].queryIdx;
                    refIdx[count] = m[0].trainIdx;
                    count++;
                }
            }
            return new Matches(queryIdx, refIdx, count);
        } finally {
            refDescriptors.release();
            for (MatOfDMatch pair : knn) {
                pair.release();
            }
        }
    }

    private static Mat toMat(FeatureSet features) {
        Mat mat = new Mat(Math.max(features.count, 0), 32, CvType.CV_8U);
        if (features.count > 0) {
            mat.put(0, 0, FeatureExtractor.toBytes(features.descriptors, features.count));
        }
        return mat;
    }

    @Override
    public void close() {
        queryDescriptors.release();
    }
}
