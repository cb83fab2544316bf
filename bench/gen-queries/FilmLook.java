import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Old-film degradation: tint, softness, flat tones, grain, vignette and JPEG. The noise comes from a
 * Java {@link Random} (not OpenCV's thread-local RNG) so that output is identical whatever thread
 * runs the job.
 */
record FilmLook(String colour, double blurSigma, double contrast, double brightness, double gamma,
                double grainSigma, int grainCell, double vignette, int jpegQuality) {

    static FilmLook random(Random r) {
        double c = r.nextDouble();
        String colour = c < 0.45 ? "grey" : c < 0.70 ? "sepia" : c < 0.85 ? "blue" : "faded";
        return new FilmLook(
                colour,
                0.3 + 1.2 * r.nextDouble(),             // blur sigma 0.3..1.5
                0.55 + 0.35 * r.nextDouble(),           // contrast 0.55..0.90 around the mean
                -15 + 30 * r.nextDouble(),              // brightness offset
                0.75 + 0.6 * r.nextDouble(),            // gamma 0.75..1.35
                3 + 9 * r.nextDouble(),                 // grain sigma 3..12 grey levels
                r.nextBoolean() ? 1 : 2,                // grain cell: 2 = clumpier grain
                r.nextDouble() < 0.4 ? 0.15 + 0.25 * r.nextDouble() : 0,
                30 + r.nextInt(41));                    // JPEG quality 30..70
    }

    /** Returns a new 8-bit BGR image; {@code src} is left untouched. */
    Mat apply(Mat src, Random r) {
        Mat f = new Mat();
        src.convertTo(f, CvType.CV_32FC3);
        Mat toned = tint(f);
        f.release();

        Imgproc.GaussianBlur(toned, toned, new Size(0, 0), blurSigma);

        Scalar mean = Core.mean(toned);
        double m = (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
        // x' = (x - m) * contrast + m + brightness
        toned.convertTo(toned, CvType.CV_32FC3, contrast, (1 - contrast) * m + brightness);
        Core.max(toned, new Scalar(0, 0, 0), toned);
        Core.multiply(toned, new Scalar(1 / 255.0, 1 / 255.0, 1 / 255.0), toned);
        Core.pow(toned, gamma, toned);
        Core.multiply(toned, new Scalar(255, 255, 255), toned);

        addGrain(toned, r);
        if (vignette > 0) applyVignette(toned);

        Mat out = new Mat();
        toned.convertTo(out, CvType.CV_8UC3); // saturating cast clips to 0..255
        toned.release();
        return out;
    }

    private Mat tint(Mat f) {
        Mat out = new Mat();
        if (colour.equals("faded")) {
            Mat grey3 = grey3(f);
            Core.addWeighted(f, 0.55, grey3, 0.45, 0, out);
            grey3.release();
            Core.add(out, new Scalar(-6, 2, 10), out); // warm cast of faded stock
            return out;
        }
        Mat grey3 = grey3(f);
        Mat k = new Mat(3, 3, CvType.CV_32F);
        // rows = output B,G,R; applied to an already grey image, so only row sums matter
        float[] gains = switch (colour) {
            case "sepia" -> new float[] {0.78f, 0.93f, 1.06f};
            case "blue" -> new float[] {1.08f, 0.90f, 0.72f};
            default -> new float[] {1, 1, 1};
        };
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) k.put(i, j, i == j ? gains[i] : 0);
        Core.transform(grey3, out, k);
        grey3.release();
        k.release();
        return out;
    }

    private static Mat grey3(Mat f) {
        Mat g = new Mat();
        Imgproc.cvtColor(f, g, Imgproc.COLOR_BGR2GRAY);
        Mat g3 = new Mat();
        Imgproc.cvtColor(g, g3, Imgproc.COLOR_GRAY2BGR);
        g.release();
        return g3;
    }

    private void addGrain(Mat img, Random r) {
        int w = (img.cols() + grainCell - 1) / grainCell;
        int h = (img.rows() + grainCell - 1) / grainCell;
        float[] noise = new float[w * h];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (r.nextGaussian() * grainSigma);
        Mat n = new Mat(h, w, CvType.CV_32F);
        n.put(0, 0, noise);
        Mat full = new Mat();
        Imgproc.resize(n, full, img.size(), 0, 0, Imgproc.INTER_LINEAR);
        addToChannels(img, full);
        n.release();
        full.release();
    }

    private void applyVignette(Mat img) {
        int w = img.cols(), h = img.rows();
        float[] v = new float[w * h];
        double cx = w / 2.0, cy = h / 2.0, norm = cx * cx + cy * cy;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / norm;
                v[y * w + x] = (float) (1 - vignette * d);
            }
        }
        Mat g = new Mat(h, w, CvType.CV_32F);
        g.put(0, 0, v);
        List<Mat> ch = new ArrayList<>();
        Core.split(img, ch);
        for (Mat c : ch) Core.multiply(c, g, c);
        Core.merge(ch, img);
        ch.forEach(Mat::release);
        g.release();
    }

    private static void addToChannels(Mat img, Mat single) {
        List<Mat> ch = new ArrayList<>();
        Core.split(img, ch);
        for (Mat c : ch) Core.add(c, single, c);
        Core.merge(ch, img);
        ch.forEach(Mat::release);
    }

    String describe() {
        return String.format("%s;blur=%.2f;contrast=%.2f;gamma=%.2f;grain=%.1f;q=%d",
                colour, blurSigma, contrast, gamma, grainSigma, jpegQuality);
    }
}
