package dev.reelcars.identify.matcher;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Synthetic number plates on the committed scene fixtures: black characters in OpenCV's Hershey font on a white
 * plate with a dark frame, pasted with a perspective warp, then optionally blurred and grained like a film still.
 */
final class Plates {
    private Plates() {}

    /** A plate image of the text, about 4.6:1 like a European plate. */
    static Mat plate(String text) {
        Mat plate = new Mat(110, 520, CvType.CV_8UC3, new Scalar(235, 235, 235));
        Imgproc.rectangle(plate, new Point(3, 3), new Point(516, 106), new Scalar(30, 30, 30), 6);
        Imgproc.putText(plate, text, new Point(28, 86), Imgproc.FONT_HERSHEY_DUPLEX, 2.9, new Scalar(20, 20, 20), 7);
        return plate;
    }

    /**
     * The scene fixture resized to {@code width}, with the plate pasted onto the quadrilateral {@code corners}
     * (x0, y0, ... clockwise from top-left, in the resized scene), blurred by {@code blur} σ and grained by
     * {@code grain} σ, as JPEG bytes.
     */
    static byte[] onScene(String text, String scene, int width, double[] corners, double blur, double grain) {
        return onScene(text, Fixtures.bytes(scene), width, corners, blur, grain);
    }

    /** As above, on an encoded scene (a {@link Fixtures#composite} frame, say). */
    static byte[] onScene(String text, byte[] scene, int width, double[] corners, double blur, double grain) {
        Mat image = Imgcodecs.imdecode(new MatOfByte(scene), Imgcodecs.IMREAD_COLOR);
        Mat resized = new Mat();
        Imgproc.resize(image, resized, new Size(width, Math.round(image.rows() * width / (double) image.cols())));
        Mat plate = plate(text);
        MatOfPoint2f from = new MatOfPoint2f(new Point(0, 0), new Point(plate.cols(), 0),
                new Point(plate.cols(), plate.rows()), new Point(0, plate.rows()));
        MatOfPoint2f to = new MatOfPoint2f(new Point(corners[0], corners[1]), new Point(corners[2], corners[3]),
                new Point(corners[4], corners[5]), new Point(corners[6], corners[7]));
        Mat h = Imgproc.getPerspectiveTransform(from, to);
        Mat warped = new Mat();
        Mat mask = new Mat();
        Imgproc.warpPerspective(plate, warped, h, resized.size(), Imgproc.INTER_AREA);
        Imgproc.warpPerspective(new Mat(plate.size(), CvType.CV_8U, new Scalar(255)), mask, h, resized.size());
        warped.copyTo(resized, mask);
        if (blur > 0) {
            Imgproc.GaussianBlur(resized, resized, new Size(0, 0), blur);
        }
        if (grain > 0) {
            Mat noise = new Mat(resized.size(), CvType.CV_16SC3);
            Core.setRNGSeed(7);
            Core.randn(noise, 0, grain);
            Mat wide = new Mat();
            resized.convertTo(wide, CvType.CV_16SC3);
            Core.add(wide, noise, wide);
            wide.convertTo(resized, CvType.CV_8UC3);
        }
        MatOfByte jpeg = new MatOfByte();
        Imgcodecs.imencode(".jpg", resized, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        return jpeg.toArray();
    }

    /** Where the plate lies in the 400 px reference snapshots of {@link #addCarsKnownByPlate}: 110 px wide. */
    static final double[] SNAPSHOT_PLATE = {150, 180, 260, 182, 259, 205, 149, 203};

    /**
     * Two cars of the same plate design, one character apart, each known by a snapshot of another scene with its
     * plate: {@code RK878AC} (on the building scene) and {@code RK828AC} (on the car scene).
     */
    static void addCarsKnownByPlate(MatchEngine engine) {
        engine.addReference("car-878", "RK878AC", onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        engine.addReference("car-828", "RK828AC", onScene("RK 828AC", "car_rear_motion.jpg", 400, SNAPSHOT_PLATE, 0,
                0));
    }

    /**
     * The bus pasted at (40, 220), three quarters of its photo's size, into the home scene at 1280×960 (the size
     * {@link #onScene} gives it at 1280 px wide).
     */
    static Fixtures.Frame busFrame() {
        return Fixtures.composite(Fixtures.bytes("home.jpg"), 1280, 960, false,
                new Fixtures.Paste(Fixtures.bytes("bus.jpg"), 0.75, 4, 40, 220));
    }

    /** {@link #busFrame} with the plate pasted on {@code corners}, blurred (σ 1.2) and grained (σ 6). */
    static byte[] besideTheBus(String text, double[] corners) {
        return onScene(text, busFrame().jpeg(), 1280, corners, 1.2, 6);
    }

    /** Grey pixels of encoded bytes, for the reader. */
    static Mat grey(byte[] encoded) {
        return Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_GRAYSCALE);
    }
}
