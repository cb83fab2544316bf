import java.util.List;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Builds the picture area of a still: a scene background with a car warped into it. */
final class Compositor {

    /** Output frame; the picture occupies rows {@code top .. top+contentHeight}, the rest is black bars. */
    record Frame(String type, int width, int height, int top, int contentHeight) {
        static Frame random(Random r) {
            double p = r.nextDouble();
            if (p < 0.6) return new Frame("1280x720", 1280, 720, 0, 720);
            if (p < 0.8) return new Frame("720x576", 720, 576, 0, 576);
            double aspect = r.nextBoolean() ? 2.39 : 1.85;
            int ch = (int) Math.round(1280 / aspect) & ~1;
            return new Frame("letterbox" + aspect, 1280, 720, (720 - ch) / 2, ch);
        }
    }

    /** Where the car landed, in content coordinates, and how it got there. */
    record Placement(Rect box, String base, double scale, double angleDeg, double occluded) {}

    private Compositor() {}

    /** A random crop of {@code scene}, scaled to cover {@code w x h}, maybe mirrored. 8UC3 result. */
    static Mat background(Mat scene, int w, int h, Random r) {
        double cover = Math.max((double) w / scene.cols(), (double) h / scene.rows());
        double s = cover * (1 + 0.3 * r.nextDouble());
        Mat big = new Mat();
        Imgproc.resize(scene, big, new Size(Math.ceil(scene.cols() * s), Math.ceil(scene.rows() * s)),
                0, 0, s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        int x = r.nextInt(Math.max(1, big.cols() - w + 1));
        int y = r.nextInt(Math.max(1, big.rows() - h + 1));
        Mat view = big.submat(new Rect(x, y, w, h));
        Mat out = view.clone();
        view.release(); // keep the view reachable until clone() returns (see CarImages)
        big.release();
        if (r.nextBoolean()) Core.flip(out, out, 1);
        return out;
    }

    /**
     * Warps {@code car} (8UC3) with optional {@code alpha} (8UC1, null = opaque) by a mild random
     * homography and blends it into {@code content} (8UC3, modified in place).
     */
    static Placement pasteCar(Mat content, Mat car, Mat alpha, Random r) {
        int W = content.cols(), H = content.rows();
        double base = r.nextBoolean() ? W / 4.0 : W / 2.0;
        double scale = 0.4 + 0.8 * r.nextDouble();
        double tw = scale * base;
        double th = tw * car.rows() / car.cols();
        // fit the frame, and never enlarge a small source more than 3x (a 120 px cut-out would be mush)
        double k = Math.min(1, Math.min(0.9 * W / tw, Math.min(0.85 * H / th, 3.0 * car.cols() / tw)));
        tw *= k;
        th *= k;

        double angle = (r.nextDouble() * 2 - 1) * 15;
        double keystone = (r.nextDouble() * 2 - 1) * 0.12; // one side nearer the camera
        Point[] q = {
            new Point(-tw / 2, -th / 2 * (1 - keystone)), new Point(tw / 2, -th / 2 * (1 + keystone)),
            new Point(tw / 2, th / 2 * (1 + keystone)), new Point(-tw / 2, th / 2 * (1 - keystone))};
        double a = Math.toRadians(angle), cos = Math.cos(a), sin = Math.sin(a);
        for (Point p : q) {
            double x = p.x + (r.nextDouble() * 2 - 1) * 0.04 * tw;
            double y = p.y + (r.nextDouble() * 2 - 1) * 0.04 * th;
            p.x = x * cos - y * sin;
            p.y = x * sin + y * cos;
        }
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Point p : q) {
            minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
            minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
        }
        double fit = Math.min(1, Math.min((W - 2) / (maxX - minX), (H - 2) / (maxY - minY)));
        double cx = -minX * fit + r.nextDouble() * Math.max(0, W - 1 - (maxX - minX) * fit);
        double cy = -minY * fit + r.nextDouble() * Math.max(0, H - 1 - (maxY - minY) * fit);
        for (Point p : q) {
            p.x = p.x * fit + cx;
            p.y = p.y * fit + cy;
        }

        // Downscale with INTER_AREA first: warpPerspective's bilinear sampling aliases on big reductions.
        Mat src = car, srcAlpha = alpha;
        double reduce = tw * fit / car.cols();
        if (reduce < 0.8) {
            Size sz = new Size(Math.max(8, Math.round(car.cols() * reduce * 1.25)),
                    Math.max(8, Math.round(car.rows() * reduce * 1.25)));
            src = new Mat();
            Imgproc.resize(car, src, sz, 0, 0, Imgproc.INTER_AREA);
            if (alpha != null) {
                srcAlpha = new Mat();
                Imgproc.resize(alpha, srcAlpha, sz, 0, 0, Imgproc.INTER_AREA);
            }
        }
        MatOfPoint2f from = new MatOfPoint2f(new Point(0, 0), new Point(src.cols(), 0),
                new Point(src.cols(), src.rows()), new Point(0, src.rows()));
        MatOfPoint2f to = new MatOfPoint2f(q);
        Mat h = Imgproc.getPerspectiveTransform(from, to);

        Mat mask8 = srcAlpha != null ? srcAlpha : new Mat(src.size(), CvType.CV_8UC1, new Scalar(255));
        Mat warped = new Mat(), mask = new Mat();
        Imgproc.warpPerspective(src, warped, h, content.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT);
        Imgproc.warpPerspective(mask8, mask, h, content.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT);
        Imgproc.GaussianBlur(mask, mask, new Size(0, 0), 0.8); // soften the paste seam

        Rect box = Imgproc.boundingRect(to);
        box = clip(box, W, H);
        blend(content, warped, mask);

        double occluded = 0;
        if (r.nextDouble() < 0.3) occluded = occlude(content, mask, box, r);

        for (Mat m : new Mat[] {warped, mask, from, to, h}) m.release();
        if (src != car) src.release();
        if (srcAlpha != alpha && srcAlpha != null) srcAlpha.release();
        if (mask8 != srcAlpha) mask8.release();
        return new Placement(box, base == W / 4.0 ? "quarter" : "half", scale * k * fit, angle, occluded);
    }

    /** content = content * (1 - m) + warped * m, with m = mask / 255. */
    private static void blend(Mat content, Mat warped, Mat mask8) {
        Mat m = new Mat();
        mask8.convertTo(m, CvType.CV_32F, 1 / 255.0);
        Mat m3 = new Mat();
        Core.merge(List.of(m, m, m), m3);
        Mat c = new Mat(), w = new Mat();
        content.convertTo(c, CvType.CV_32FC3);
        warped.convertTo(w, CvType.CV_32FC3);
        Core.subtract(w, c, w);
        Core.multiply(w, m3, w);
        Core.add(c, w, c);
        c.convertTo(content, CvType.CV_8UC3);
        for (Mat x : new Mat[] {m, m3, c, w}) x.release();
    }

    /**
     * Covers part of the car with a flat, darkened patch of the background (a post, a passer-by,
     * a foreground wall). Keeps the hidden share of the car's own pixels at or under 25%.
     */
    private static double occlude(Mat content, Mat mask, Rect box, Random r) {
        double total = Core.sumElems(mask).val[0];
        if (total <= 0) return 0;
        int side = r.nextInt(3); // 0 left, 1 right, 2 bottom
        double frac = 0.10 + 0.20 * r.nextDouble();
        for (int attempt = 0; attempt < 6; attempt++, frac *= 0.75) {
            Rect o;
            if (side == 2) {
                int oh = (int) Math.max(2, box.height * frac);
                o = new Rect(box.x, box.y + box.height - oh, box.width, oh);
            } else {
                int ow = (int) Math.max(2, box.width * frac);
                int oh = (int) (box.height * (0.8 + 0.2 * r.nextDouble()));
                int ox = side == 0 ? box.x : box.x + box.width - ow;
                o = new Rect(ox, box.y + box.height - oh, ow, oh);
            }
            o = clip(o, content.cols(), content.rows());
            Mat hiddenPart = mask.submat(o);
            double hidden = Core.sumElems(hiddenPart).val[0] / total;
            hiddenPart.release();
            if (hidden > 0.25) continue;
            Mat patch = content.submat(o);
            // a blurred, darker copy of the background strip: reads as an out-of-focus foreground object
            Mat shifted = new Mat();
            Core.flip(patch, shifted, -1);
            Imgproc.GaussianBlur(shifted, shifted, new Size(0, 0), 4);
            shifted.convertTo(patch, -1, 0.55, 10);
            shifted.release();
            patch.release();
            return hidden;
        }
        return 0;
    }

    static Rect clip(Rect r, int w, int h) {
        int x0 = Math.max(0, r.x), y0 = Math.max(0, r.y);
        int x1 = Math.min(w, r.x + r.width), y1 = Math.min(h, r.y + r.height);
        return new Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }
}
