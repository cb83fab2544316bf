package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A still's chroma, small, and the colour-consistency term of the confidence model (issue 19): how far the still's
 * colour near a verified reference's inliers is from the reference's {@link ColourGrid} at the same inliers.
 *
 * <p>Illumination: two cameras, or a film stock and a photo, differ by a colour cast, which moves every point's
 * chroma by about the same offset; a car of another colour differs on its body only, by far more. So the term
 * forgives the median offset between the two, up to {@value #MAX_CAST} CIELAB units, and measures what is left. A
 * still whose chroma hardly varies but with its lightness (grey, sepia, blue-toned: {@link #chromaBeyondLightness}
 * at most {@link ColourGrid#MONOCHROME}) makes the term 0, neutral, never a penalty; up to {@link #FULL_COLOUR} it is
 * scaled in, so that no cliff separates a faded or nearly grey still from a colour one.
 */
final class StillColour {
    /** A still is decoded in colour at about this shorter side (libjpeg's DCT scaling makes that cheap). */
    private static final int MIN_DECODED_SIDE = 160;
    /** ... and at most this longer side: a car 70 px wide in a 1280 px frame is then still 17 px wide. */
    private static final int MAX_SIDE = 480;
    /** The largest colour cast (CIELAB units, a*-b* distance) forgiven between a still and a reference. */
    static final double MAX_CAST = 6;
    /** A point's chroma difference counts at most this much (a red car against a blue one is 60-100 units apart). */
    static final double CAP = 25;
    /** From this {@link #chromaBeyondLightness} on, a still's colour counts in full. */
    static final double FULL_COLOUR = 5.0;
    /** Fewer inlier pairs than this say too little about colour: the term is neutral. */
    private static final int MIN_PAIRS = 4;

    private final int width;
    private final int height;
    /** Decoded pixels per stored pixel of the still. */
    private final double scale;
    /** Integral images of a* and b* (offsets from neutral), (width + 1) × (height + 1). */
    private final long[] sumA;
    private final long[] sumB;
    /** 0 for a monochrome still (the term is neutral), 1 for a colour one, between for a faded one. */
    private final double weight;

    private StillColour(int width, int height, double scale, long[] sumA, long[] sumB, double weight) {
        this.width = width;
        this.height = height;
        this.scale = scale;
        this.sumA = sumA;
        this.sumB = sumB;
        this.weight = weight;
    }

    /** A still that says nothing about colour: every term is 0. */
    static final StillColour NEUTRAL = new StillColour(0, 0, 1, new long[1], new long[1], 0);

    /**
     * The chroma of an encoded still whose stored size is {@code storedWidth} (keypoints are in stored pixels);
     * {@link #NEUTRAL} when it cannot be decoded in colour.
     */
    static StillColour of(byte[] encoded, int storedWidth) {
        Mat colour = ColourGrid.decodeColour(encoded, MIN_DECODED_SIDE);
        Mat lab = new Mat();
        try {
            if (colour.empty() || colour.channels() != 3) {
                return NEUTRAL;
            }
            int longer = Math.max(colour.cols(), colour.rows());
            if (longer > MAX_SIDE) {
                double f = MAX_SIDE / (double) longer;
                Mat small = new Mat();
                Imgproc.resize(colour, small, new Size(Math.max(1, Math.round(colour.cols() * f)),
                        Math.max(1, Math.round(colour.rows() * f))), 0, 0, Imgproc.INTER_AREA);
                colour.release();
                colour = small;
            }
            Imgproc.cvtColor(colour, lab, Imgproc.COLOR_BGR2Lab);
            int w = lab.cols();
            int h = lab.rows();
            byte[] pixels = new byte[w * h * 3];
            lab.get(0, 0, pixels);
            long[] sumA = new long[(w + 1) * (h + 1)];
            long[] sumB = new long[(w + 1) * (h + 1)];
            for (int y = 0; y < h; y++) {
                long rowA = 0;
                long rowB = 0;
                for (int x = 0; x < w; x++) {
                    int i = 3 * (y * w + x);
                    rowA += (pixels[i + 1] & 0xff) - 128;
                    rowB += (pixels[i + 2] & 0xff) - 128;
                    sumA[(y + 1) * (w + 1) + x + 1] = sumA[y * (w + 1) + x + 1] + rowA;
                    sumB[(y + 1) * (w + 1) + x + 1] = sumB[y * (w + 1) + x + 1] + rowB;
                }
            }
            double weight = Math.max(0, Math.min(1, (chromaBeyondLightness(pixels) - ColourGrid.MONOCHROME)
                    / (FULL_COLOUR - ColourGrid.MONOCHROME)));
            return new StillColour(w, h, w / (double) Math.max(1, storedWidth), sumA, sumB, weight);
        } finally {
            colour.release();
            lab.release();
        }
    }

    /** 0 for a monochrome still, up to 1 for a colour one: the factor the term is scaled by. */
    double weight() {
        return weight;
    }

    /**
     * The colour-consistency term of one verified reference: 0 when the colours agree (or the still or the reference
     * is monochrome, or too few pairs), up to {@code weight} when every inlier's chroma differs by {@value #CAP} units
     * or more beyond the forgiven cast.
     *
     * @param pairs inlier correspondences, still and reference positions in their stored pixels
     */
    double mismatch(ReferenceView view, List<PointPair> pairs) {
        ColourGrid grid = view.colour();
        if (weight == 0 || grid == null || !grid.chromatic() || pairs.size() < MIN_PAIRS) {
            return 0;
        }
        FeatureSet ref = view.features();
        // The still's window around an inlier covers what a grid cell covers of the reference, at the pair's scale.
        double stillDiagonal = diagonal(pairs, true);
        double refDiagonal = diagonal(pairs, false);
        double s = refDiagonal < 1 ? 1 : stillDiagonal / refDiagonal;
        double halfX = Math.max(0.5, 0.5 * s * ref.width / ColourGrid.GRID * scale);
        double halfY = Math.max(0.5, 0.5 * s * ref.height / ColourGrid.GRID * scale);
        int n = pairs.size();
        double[] da = new double[n];
        double[] db = new double[n];
        double[] cell = new double[2];
        double[] still = new double[2];
        for (int i = 0; i < n; i++) {
            PointPair p = pairs.get(i);
            grid.at(p.reference().x() / ref.width, p.reference().y() / ref.height, cell);
            mean(p.still().x() * scale, p.still().y() * scale, halfX, halfY, still);
            da[i] = still[0] - cell[0];
            db[i] = still[1] - cell[1];
        }
        double castA = median(da);
        double castB = median(db);
        double cast = Math.hypot(castA, castB);
        if (cast > MAX_CAST) {
            castA *= MAX_CAST / cast;
            castB *= MAX_CAST / cast;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.min(CAP, Math.hypot(da[i] - castA, db[i] - castB));
        }
        return weight * sum / (n * CAP);
    }

    /** Mean chroma of the decoded pixels in the box of half-sides {@code hx}, {@code hy} about (x, y). */
    private void mean(double x, double y, double hx, double hy, double[] out) {
        int x0 = (int) Math.max(0, Math.min(width - 1, Math.floor(x - hx)));
        int y0 = (int) Math.max(0, Math.min(height - 1, Math.floor(y - hy)));
        int x1 = (int) Math.max(x0 + 1, Math.min(width, Math.ceil(x + hx)));
        int y1 = (int) Math.max(y0 + 1, Math.min(height, Math.ceil(y + hy)));
        double area = (x1 - x0) * (double) (y1 - y0);
        out[0] = box(sumA, x0, y0, x1, y1) / area;
        out[1] = box(sumB, x0, y0, x1, y1) / area;
    }

    private long box(long[] sum, int x0, int y0, int x1, int y1) {
        int stride = width + 1;
        return sum[y1 * stride + x1] - sum[y0 * stride + x1] - sum[y1 * stride + x0] + sum[y0 * stride + x0];
    }

    private static double diagonal(List<PointPair> pairs, boolean still) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (PointPair p : pairs) {
            double x = still ? p.still().x() : p.reference().x();
            double y = still ? p.still().y() : p.reference().y();
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        return Math.hypot(maxX - minX, maxY - minY);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * How much an 8-bit CIELAB image's chroma varies beyond what its lightness explains: the root mean square distance
     * of each pixel's (a*, b*) from the mean (a*, b*) of the pixels of its lightness (16 bands). A grey image has 0; a
     * toned one (sepia, blue, a faded print's cast) has its chroma set by its lightness, so it stays near 0 too (at
     * most 2.9 on the bench's toned composites at full size, grain included), while objects of different colours at
     * the same lightness give a colour photo more (real road-camera crops: median 4.1).
     */
    static double chromaBeyondLightness(Mat lab) {
        byte[] pixels = new byte[lab.cols() * lab.rows() * 3];
        lab.get(0, 0, pixels);
        return chromaBeyondLightness(pixels);
    }

    private static double chromaBeyondLightness(byte[] lab) {
        int n = lab.length / 3;
        if (n == 0) {
            return 0;
        }
        double[] count = new double[16];
        double[] sa = new double[16];
        double[] sb = new double[16];
        double squares = 0;
        for (int i = 0; i < n; i++) {
            int band = (lab[3 * i] & 0xff) >> 4;
            int a = (lab[3 * i + 1] & 0xff) - 128;
            int b = (lab[3 * i + 2] & 0xff) - 128;
            count[band]++;
            sa[band] += a;
            sb[band] += b;
            squares += a * a + b * b;
        }
        double explained = 0;
        for (int band = 0; band < 16; band++) {
            if (count[band] > 0) {
                explained += (sa[band] * sa[band] + sb[band] * sb[band]) / count[band];
            }
        }
        return Math.sqrt(Math.max(0, (squares - explained) / n));
    }
}
