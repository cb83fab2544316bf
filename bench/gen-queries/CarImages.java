import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Reading car photos, making their gallery reference and the differently cropped query source.
 *
 * <p>Why temporaries are never passed straight to OpenCV here and in the other classes: the Java
 * binding hands only {@code nativeObj} to C++, so a temporary such as {@code img.submat(r)} can be
 * garbage-collected and its finalizer can free the native header while the C++ call still reads it.
 * With several worker threads and a busy GC this produced one corrupted image in a few hundred. Every
 * view is therefore held in a local and released after the call, which keeps it reachable.
 */
final class CarImages {

    private CarImages() {}

    /** BGR or BGRA (cut-outs), 8-bit. */
    static Mat read(Dataset.Car car) {
        Mat m = Imgcodecs.imread(car.image().toString(), car.cutout() ? Imgcodecs.IMREAD_UNCHANGED : Imgcodecs.IMREAD_COLOR);
        if (m.empty()) throw new IllegalStateException("cannot read " + car.image());
        return m;
    }

    /** The reference: the whole photo; a cut-out is flattened onto neutral grey (128). */
    static Mat reference(Mat img) {
        if (img.channels() != 4) return img.clone();
        Mat[] split = bgrAlpha(img);
        Mat grey = new Mat(img.size(), CvType.CV_8UC3, new Scalar(128, 128, 128));
        Mat a = new Mat();
        split[1].convertTo(a, CvType.CV_32F, 1 / 255.0);
        Mat a3 = new Mat();
        Core.merge(List.of(a, a, a), a3);
        Mat fg = new Mat(), bg = new Mat();
        split[0].convertTo(fg, CvType.CV_32FC3);
        grey.convertTo(bg, CvType.CV_32FC3);
        Core.subtract(fg, bg, fg);
        Core.multiply(fg, a3, fg);
        Core.add(bg, fg, bg);
        Mat out = new Mat();
        bg.convertTo(out, CvType.CV_8UC3);
        for (Mat m : new Mat[] {split[0], split[1], grey, a, a3, fg, bg}) m.release();
        return out;
    }

    /**
     * A different region of the same photo for the query: 65-92% of each side, always containing the
     * plate when its box is known; cut-outs keep 85-100% and their alpha. Returns {bgr, alpha-or-null}.
     */
    static Mat[] queryCrop(Dataset.Car car, Mat img, Random r) {
        int w = img.cols(), h = img.rows();
        boolean cutout = img.channels() == 4;
        double lo = cutout ? 0.85 : 0.65, span = cutout ? 0.15 : 0.27;
        int cw = (int) Math.round(w * (lo + span * r.nextDouble()));
        int ch = (int) Math.round(h * (lo + span * r.nextDouble()));
        int x, y;
        int[] p = car.plate();
        if (p != null) {
            cw = Math.min(w, Math.max(cw, p[2] + 8));
            ch = Math.min(h, Math.max(ch, p[3] + 8));
            x = pick(Math.max(0, p[0] + p[2] - cw), Math.min(p[0], w - cw), r);
            y = pick(Math.max(0, p[1] + p[3] - ch), Math.min(p[1], h - ch), r);
        } else {
            x = r.nextInt(w - cw + 1);
            y = r.nextInt(h - ch + 1);
        }
        Mat region = img.submat(new Rect(x, y, cw, ch));
        Mat[] out = cutout ? bgrAlpha(region) : new Mat[] {region.clone(), null};
        region.release(); // keeps the view reachable until the copy is done (see class comment)
        return out;
    }

    private static int pick(int lo, int hi, Random r) {
        if (hi < lo) return Math.max(0, hi);
        return lo + r.nextInt(hi - lo + 1);
    }

    private static Mat[] bgrAlpha(Mat bgra) {
        List<Mat> ch = new ArrayList<>();
        Core.split(bgra, ch);
        Mat bgr = new Mat();
        Core.merge(ch.subList(0, 3), bgr);
        for (int i = 0; i < 3; i++) ch.get(i).release();
        return new Mat[] {bgr, ch.get(3)};
    }
}
