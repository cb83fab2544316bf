package dev.reelcars.identify.matcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds rows of characters (number plates, badges, lettering) in a grey image and keeps each character as a small
 * grey glyph, without reading it: two photos of one car share its plate even when they share nothing else (a front
 * against a rear), and comparing glyph shapes works for any script and plate font, where an OCR model knows only
 * the alphabets it was trained on.
 *
 * <p>Characters are the connected components of a locally thresholded image (both polarities) with a character's
 * proportions; a row is a chain of at least {@link #MIN_GLYPHS} of them of similar height, side by side on one line.
 * Each row is straightened and scaled to a fixed character height ({@link #ROW_HEIGHT}) before its glyphs are cut.
 * Every native {@code Mat} is released before {@link #read} returns.
 */
final class PlateReader {
    /** Fewer characters than this in a row are not worth comparing: too many chance coincidences. */
    static final int MIN_GLYPHS = 5;
    static final int MAX_GLYPHS = 12;
    /** Glyphs are cut at the size {@link Glyphs} compares. */
    static final int GLYPH_W = Glyphs.GLYPH_W;
    static final int GLYPH_H = Glyphs.GLYPH_H;
    static final int GLYPH_PX = Glyphs.GLYPH_PX;
    /** Rows are straightened into a strip with characters this many pixels high. */
    static final int ROW_HEIGHT = 40;
    static final int STRIP_H = (int) Math.round(ROW_HEIGHT * 1.8);
    private static final int MIN_CHAR_PX = 9;
    /** At least this share of a row's glyph pairs must be unlike ({@link #varied}). */
    private static final double MIN_UNLIKE_SHARE = 0.6;
    private static final int MAX_CHAR_PX = 140;
    /**
     * The local threshold's window and offset. A window of about 1.5 character heights (characters are 15-25 px at
     * detection size) and a small offset keep the strokes of soft, flat film copies: on film-aged copies of the 100
     * dev photos whose plates the benchmark does not test, plates read went from 62 to 86 and own plates accepted
     * from 45 to 66, with none of the 9,900 different-plate pairs accepted, sharp or aged (41 px and 6 before).
     */
    private static final int THRESHOLD_BLOCK = 25;
    /** A whole number: the two polarities are then exact complements ({@link #read}). */
    private static final double THRESHOLD_OFFSET = 4;
    /** Still strips reach this many character heights beyond the row on each side (see the still's {@code read}). */
    static final double STILL_MARGIN = 3;
    /** Above this many pixels on the longer side the image is searched for characters at a reduced size. */
    private static final int DETECT_SIDE = 1000;

    private PlateReader() {}

    /**
     * The characters of one row, in reading order. Positions {@code sx} and box sizes are in strip pixels (characters
     * {@link #ROW_HEIGHT} high); {@code xs, ys} are the characters' centres in the original image. {@code strip}
     * (the straightened row, {@code stripW × STRIP_H} grey pixels) is kept for stills only, where the reference's
     * glyphs are re-cut from it; references keep null. {@code toImage} maps strip pixels to the original image
     * (2×3, row-major).
     */
    record Row(byte[] cells, float[] sx, float[] boxW, float[] boxH, float[] xs, float[] ys, float[] toImage,
               float charHeight, byte[] strip, int stripW) {
        int size() {
            return sx.length;
        }

        /** The centre of the row's characters, in the original image's pixels. */
        dev.reelcars.events.Point centre() {
            double x = 0;
            double y = 0;
            for (int i = 0; i < xs.length; i++) {
                x += xs[i];
                y += ys[i];
            }
            return new dev.reelcars.events.Point(x / xs.length, y / ys.length);
        }

        /** Glyph {@code i}'s box width over its height. */
        float aspect(int i) {
            return boxW[i] / boxH[i];
        }

        Row withoutStrip() {
            return new Row(cells, sx, boxW, boxH, xs, ys, toImage, charHeight, null, 0);
        }

        long heapBytes() {
            return 48 + 16 + cells.length + 5 * (16 + sx.length * 4L) + 16 + 24 + (strip == null ? 0 : 16
                    + strip.length);
        }
    }

    /**
     * @param grey an 8-bit single-channel image
     * @param toOriginal factor from {@code grey}'s pixels to the original image's (coordinates are reported there:
     *     {@code original = grey · toOriginal + offset})
     * @param maxRows rows kept, those with the most characters first
     */
    static List<Row> read(Mat grey, double toOriginal, double offsetX, double offsetY, int maxRows) {
        return read(grey, toOriginal, offsetX, offsetY, maxRows, 1.0);
    }

    /** @param margin strip beyond the row's first and last characters on each side, in character heights */
    static List<Row> read(Mat grey, double toOriginal, double offsetX, double offsetY, int maxRows, double margin) {
        int longSide = Math.max(grey.cols(), grey.rows());
        double scale = longSide > DETECT_SIDE ? DETECT_SIDE / (double) longSide
                : Math.min(2.5, Math.max(1.0, 900.0 / longSide));
        Mat work = new Mat();
        Mat smooth = new Mat();
        Mat binary = new Mat();
        List<Row> rows = new ArrayList<>();
        try {
            if (scale != 1.0) {
                // Linear both ways: the 3×3 blur below does what area averaging would, at a sixth of the cost (0.5
                // against 3 ms for a 1280×720 still).
                Imgproc.resize(grey, work, new Size(Math.round(grey.cols() * scale),
                        Math.round(grey.rows() * scale)), 0, 0, Imgproc.INTER_LINEAR);
            } else {
                grey.copyTo(work);
            }
            Imgproc.GaussianBlur(work, smooth, new Size(3, 3), 0);
            // Dark ink is what lies at least the (whole) offset below the local mean; light ink is its complement,
            // exactly what THRESH_BINARY would give, without a second pass of the box filter.
            Imgproc.adaptiveThreshold(smooth, binary, 255, Imgproc.ADAPTIVE_THRESH_MEAN_C, Imgproc.THRESH_BINARY_INV,
                    THRESHOLD_BLOCK, THRESHOLD_OFFSET);
            byte[] pixels = new byte[binary.cols() * binary.rows()];
            binary.get(0, 0, pixels);
            Components.Both components = Components.of(pixels, binary.cols(), binary.rows());
            for (boolean darkOnLight : new boolean[] {true, false}) {
                Components.Stats found = darkOnLight ? components.ink() : components.paper();
                int[] s = found.stats();
                for (int[] chain : chains(s, found.count())) {
                    // Straightened from the full-resolution image: detection may run smaller, the glyphs should not.
                    Row row = cutRow(grey, s, chain, 1 / scale, darkOnLight, new double[] {toOriginal, offsetX,
                            offsetY}, 1.0, margin);
                    if (row != null && varied(row)) {
                        rows.add(row);
                    }
                }
            }
        } finally {
            work.release();
            smooth.release();
            binary.release();
        }
        rows.sort(Comparator.comparingInt(Row::size).reversed().thenComparing(Row::charHeight,
                Comparator.reverseOrder()));
        return rows.size() > maxRows ? List.copyOf(rows.subList(0, maxRows)) : rows;
    }

    /**
     * Whether the row's glyphs differ among themselves as characters do. A row of windows, railings or tiles is a
     * chain of one repeated shape and would match any other such row; a plate repeats a character now and then.
     */
    static boolean varied(Row row) {
        int pairs = 0;
        int unlike = 0;
        Glyphs.Sums sums = Glyphs.Sums.of(row.cells());
        for (int i = 0; i < row.size(); i++) {
            for (int j = i + 1; j < row.size(); j++) {
                pairs++;
                double similarity = Glyphs.similarity(row.cells(), i, row.aspect(i), sums, row.cells(), j,
                        row.aspect(j), sums);
                unlike += similarity < 0.7 ? 1 : 0;
            }
        }
        return unlike >= MIN_UNLIKE_SHARE * pairs;
    }

    /**
     * Rows read from a still's prepared pixels, with their strips. A still's strip reaches {@value #STILL_MARGIN}
     * character heights beyond its row: a soft still often loses a row's first or last characters (run into the
     * plate's border or its country band), and the reference's characters are then still cut from the strip where the
     * line puts them (on film-aged copies of the dev photos, 71 instead of 66 of 100 own plates accepted).
     */
    static List<Row> read(FeatureSet.Prepared image, int maxRows) {
        Mat grey = new Mat(image.height(), image.width(), CvType.CV_8U);
        try {
            grey.put(0, 0, image.pixels());
            return read(grey, image.toOriginal(), image.offsetX(), image.offsetY(), maxRows, STILL_MARGIN);
        } finally {
            grey.release();
        }
    }

    /** Chains of character-like components, left to right, each component in at most one chain. */
    private static List<int[]> chains(int[] s, int n) {
        List<Integer> chars = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int w = s[i * 5 + 2];
            int h = s[i * 5 + 3];
            int area = s[i * 5 + 4];
            if (h >= MIN_CHAR_PX && h <= MAX_CHAR_PX && w >= 0.08 * h && w <= 1.1 * h) {
                double fill = area / (double) (w * h);
                if (fill >= 0.12 && fill <= 0.92) {
                    chars.add(i);
                }
            }
        }
        // Stable: components with the same left edge stay in Components' raster order, which the chaining below reads.
        chars.sort(Comparator.comparingInt(i -> s[i * 5]));
        int m = chars.size();
        int[] next = new int[m];
        Arrays.fill(next, -1);
        boolean[] hasPrev = new boolean[m];
        for (int a = 0; a < m; a++) {
            int i = chars.get(a);
            int xi = s[i * 5];
            int wi = s[i * 5 + 2];
            int hi = s[i * 5 + 3];
            double cyi = s[i * 5 + 1] + hi / 2.0;
            double bestGap = Double.MAX_VALUE;
            for (int b = a + 1; b < m; b++) {
                int j = chars.get(b);
                int xj = s[j * 5];
                if (xj > xi + wi + 1.6 * hi) {
                    break;
                }
                int hj = s[j * 5 + 3];
                double cyj = s[j * 5 + 1] + hj / 2.0;
                double gap = xj - (xi + wi);
                if (gap < -0.15 * hi || Math.max(hi, hj) > 1.3 * Math.min(hi, hj)
                    || Math.abs(cyi - cyj) > 0.3 * Math.max(hi, hj)) {
                    continue;
                }
                if (gap < bestGap) {
                    bestGap = gap;
                    next[a] = b;
                }
            }
        }
        for (int a = 0; a < m; a++) {
            if (next[a] >= 0) {
                if (hasPrev[next[a]]) {
                    next[a] = -1; // two components claim the same successor: keep the first claim
                } else {
                    hasPrev[next[a]] = true;
                }
            }
        }
        List<int[]> result = new ArrayList<>();
        for (int a = 0; a < m; a++) {
            if (hasPrev[a]) {
                continue;
            }
            List<Integer> chain = new ArrayList<>();
            for (int c = a; c >= 0; c = next[c]) {
                chain.add(chars.get(c));
            }
            if (chain.size() >= MIN_GLYPHS && chain.size() <= MAX_GLYPHS) {
                result.add(chain.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return result;
    }

    /**
     * Straightens the row (the line through its characters' centres) into a strip, thresholds the strip with Otsu's
     * level from the characters' band only, keeps the ink inside the characters' boxes (the plate's frame touches the
     * characters at that level), and cuts one glyph per component of character height.
     *
     * @param statsToGrey factor from the component statistics' pixels to {@code grey}'s
     */
    private static Row cutRow(Mat grey, int[] s, int[] chain, double statsToGrey, boolean darkOnLight,
                              double[] toOriginal, double heightCorrection, double margin) {
        int k = chain.length;
        double[] cx = new double[k];
        double[] cy = new double[k];
        double meanH = 0;
        for (int c = 0; c < k; c++) {
            int i = chain[c];
            cx[c] = (s[i * 5] + s[i * 5 + 2] / 2.0) * statsToGrey;
            cy[c] = (s[i * 5 + 1] + s[i * 5 + 3] / 2.0) * statsToGrey;
            meanH += s[i * 5 + 3] * statsToGrey;
        }
        meanH = meanH / k * heightCorrection;
        double mx = Arrays.stream(cx).average().orElse(0);
        double my = Arrays.stream(cy).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int c = 0; c < k; c++) {
            sxy += (cx[c] - mx) * (cy[c] - my);
            sxx += (cx[c] - mx) * (cx[c] - mx);
        }
        double angle = sxx > 0 ? Math.atan2(sxy, sxx) : 0;
        if (Math.abs(angle) > Math.toRadians(30)) {
            return null;
        }
        double f = ROW_HEIGHT / meanH;
        double length = Math.hypot(cx[k - 1] - cx[0], cy[k - 1] - cy[0]) + 2 * margin * meanH;
        int outW = (int) Math.round(length * f);
        // grey → strip: rotate by -angle about the row's centre, scale by f, centre in the strip.
        double cos = Math.cos(-angle) * f;
        double sin = Math.sin(-angle) * f;
        double tx = outW / 2.0 - (cos * mx - sin * my);
        double ty = STRIP_H / 2.0 - (sin * mx + cos * my);
        Mat m = new Mat(2, 3, CvType.CV_64F);
        m.put(0, 0, cos, -sin, tx, sin, cos, ty);
        Mat strip = new Mat();
        Mat bin = new Mat();
        Mat keep = Mat.zeros(STRIP_H, outW, CvType.CV_8U);
        try {
            Imgproc.warpAffine(grey, strip, m, new Size(outW, STRIP_H), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            int bandTop = (int) Math.round(STRIP_H / 2.0 - ROW_HEIGHT * 0.55);
            int bandLeft = Math.min(outW / 3, (int) Math.round(ROW_HEIGHT * (margin - 0.4)));
            Mat band = strip.submat(new Rect(bandLeft, bandTop, Math.max(1, outW - 2 * bandLeft),
                    (int) Math.round(ROW_HEIGHT * 1.1)));
            double level = Imgproc.threshold(band, bin, 0, 255, Imgproc.THRESH_BINARY | Imgproc.THRESH_OTSU);
            band.release();
            Imgproc.threshold(strip, bin, level, 255, darkOnLight ? Imgproc.THRESH_BINARY_INV : Imgproc.THRESH_BINARY);
            for (int c = 0; c < k; c++) {
                int i = chain[c];
                double w = s[i * 5 + 2] * statsToGrey * f;
                double h = s[i * 5 + 3] * statsToGrey * f;
                double px = cos * cx[c] - sin * cy[c] + tx;
                double py = sin * cx[c] + cos * cy[c] + ty;
                Imgproc.rectangle(keep, new Point(px - w * 0.6 - 1, py - h * 0.56), new Point(px + w * 0.6 + 1, py
                        + h * 0.56), new Scalar(255), -1);
            }
            Core.bitwise_and(bin, keep, bin);
            byte[] ink = new byte[outW * STRIP_H];
            bin.get(0, 0, ink);
            Components.Stats found = Components.of(ink, outW, STRIP_H).ink();
            int n = found.count();
            int[] st = found.stats();
            List<Integer> glyphs = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                int w = st[i * 5 + 2];
                int h = st[i * 5 + 3];
                double cyi = st[i * 5 + 1] + h / 2.0;
                if (h >= 0.45 * ROW_HEIGHT && h <= 1.35 * ROW_HEIGHT && w >= 0.08 * h && w <= 1.1 * h
                    && Math.abs(cyi - STRIP_H / 2.0) < 0.3 * ROW_HEIGHT) {
                    glyphs.add(i);
                }
            }
            // The first pass's heights come from a local threshold and can take in part of the plate's frame: measured
            // again in the strip, the characters set the strip's scale, so that every strip has them ROW_HEIGHT high.
            if (heightCorrection == 1.0 && glyphs.size() >= MIN_GLYPHS) {
                double median = glyphs.stream().mapToInt(i -> st[i * 5 + 3]).sorted().toArray()[glyphs.size() / 2];
                if (Math.abs(median / ROW_HEIGHT - 1) > 0.1) {
                    return cutRow(grey, s, chain, statsToGrey, darkOnLight, toOriginal, median / ROW_HEIGHT, margin);
                }
            }
            glyphs.removeIf(i -> st[i * 5 + 3] < 0.7 * ROW_HEIGHT);
            glyphs.sort(Comparator.comparingInt(i -> st[i * 5]));
            // Characters touching each other at the strip's level merge into one component: then the first pass's
            // boxes, found at a local threshold, are the better cut.
            boolean firstPass = glyphs.size() < k - 1;
            int g = firstPass ? k : glyphs.size();
            if (g < MIN_GLYPHS || g > MAX_GLYPHS) {
                return null;
            }
            byte[] pixels = new byte[outW * STRIP_H];
            strip.get(0, 0, pixels);
            if (!darkOnLight) {
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = (byte) (255 - (pixels[p] & 0xff)); // ink is dark in every strip
                }
            }
            // strip → original image: the inverse of the rotation and scale, then the caller's scale and offset
            double det = cos * cos + sin * sin;
            float[] toImage = {
                    (float) (cos / det * toOriginal[0]), (float) (sin / det * toOriginal[0]),
                    (float) ((-cos * tx - sin * ty) / det * toOriginal[0] + toOriginal[1]),
                    (float) (-sin / det * toOriginal[0]), (float) (cos / det * toOriginal[0]),
                    (float) ((sin * tx - cos * ty) / det * toOriginal[0] + toOriginal[2])};
            byte[] cells = new byte[g * GLYPH_PX];
            float[] sx = new float[g];
            float[] boxW = new float[g];
            float[] boxH = new float[g];
            float[] xs = new float[g];
            float[] ys = new float[g];
            for (int c = 0; c < g; c++) {
                float sy;
                if (firstPass) {
                    int i = chain[c];
                    boxW[c] = (float) (s[i * 5 + 2] * statsToGrey * f);
                    boxH[c] = (float) (s[i * 5 + 3] * statsToGrey * f);
                    sx[c] = (float) (cos * cx[c] - sin * cy[c] + tx);
                    sy = (float) (sin * cx[c] + cos * cy[c] + ty);
                } else {
                    int i = glyphs.get(c);
                    boxW[c] = st[i * 5 + 2];
                    boxH[c] = st[i * 5 + 3];
                    sx[c] = st[i * 5] + boxW[c] / 2f;
                    sy = st[i * 5 + 1] + boxH[c] / 2f;
                }
                sample(pixels, outW, sx[c], sy, boxW[c], boxH[c], 0, cells, c * GLYPH_PX);
                xs[c] = (float) (toImage[0] * sx[c] + toImage[1] * sy + toImage[2]);
                ys[c] = (float) (toImage[3] * sx[c] + toImage[4] * sy + toImage[5]);
            }
            return new Row(cells, sx, boxW, boxH, xs, ys, toImage, (float) (meanH * toOriginal[0]), pixels, outW);
        } finally {
            m.release();
            strip.release();
            bin.release();
            keep.release();
        }
    }

    /**
     * Samples the box centred at ({@code cx}, {@code cy}) of the strip into a {@code GLYPH_W × GLYPH_H} glyph grown by
     * {@code margin} glyph pixels on every side (area average per glyph pixel), normalised: zero mean, unit spread,
     * ink positive, quantised to a signed byte in steps of 1/32 standard deviation.
     */
    static void sample(byte[] strip, int stripW, float cx, float cy, float w, float h, int margin, byte[] out,
                                                          int offset) {
        int gw = GLYPH_W + 2 * margin;
        int gh = GLYPH_H + 2 * margin;
        double stepX = (w + 2) / GLYPH_W; // the box plus one pixel each side
        double stepY = (h + 2) / GLYPH_H;
        double x0 = cx - (w + 2) / 2 - margin * stepX;
        double y0 = cy - (h + 2) / 2 - margin * stepY;
        double[] v = new double[gw * gh];
        int stripH = strip.length / stripW;
        for (int gy = 0; gy < gh; gy++) {
            int ya = clamp((int) Math.floor(y0 + gy * stepY), stripH - 1);
            int yb = clamp((int) Math.ceil(y0 + (gy + 1) * stepY) - 1, stripH - 1);
            for (int gx = 0; gx < gw; gx++) {
                int xa = clamp((int) Math.floor(x0 + gx * stepX), stripW - 1);
                int xb = clamp((int) Math.ceil(x0 + (gx + 1) * stepX) - 1, stripW - 1);
                int sum = 0;
                int count = 0;
                for (int y = ya; y <= yb; y++) {
                    for (int x = xa; x <= xb; x++) {
                        sum += strip[y * stripW + x] & 0xff;
                        count++;
                    }
                }
                v[gy * gw + gx] = 255f - sum / (float) Math.max(1, count);
            }
        }
        quantise(v, out, offset);
    }

    /**
     * Writes {@code v} normalised (zero mean, unit spread) and quantised to signed bytes in steps of 1/32 standard
     * deviation into {@code out} from {@code offset}: the one form glyphs are compared in.
     */
    static void quantise(double[] v, byte[] out, int offset) {
        double mean = 0;
        for (double p : v) {
            mean += p;
        }
        mean /= v.length;
        double var = 0;
        for (double p : v) {
            var += (p - mean) * (p - mean);
        }
        double sd = Math.sqrt(var / v.length) + 1e-6;
        for (int i = 0; i < v.length; i++) {
            out[offset + i] = (byte) Math.max(-127, Math.min(127, Math.round((v[i] - mean) / sd * 32)));
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

}
