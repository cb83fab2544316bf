package dev.reelcars.identify.matcher;

import dev.reelcars.events.Point;
import dev.reelcars.platform.image.OpenCvNatives;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Committed test images (see fixtures/LICENSES.md) and stills composed from them with a known homography. */
public final class Fixtures {
    private Fixtures() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture re-encoded as a JPEG {@code width} pixels wide (aspect kept). */
    public static byte[] resized(String name, int width) {
        OpenCvNatives.load();
        Mat image = Imgcodecs.imdecode(new MatOfByte(bytes(name)), Imgcodecs.IMREAD_COLOR);
        Mat small = new Mat();
        MatOfByte out = new MatOfByte();
        try {
            Imgproc.resize(image, small, new Size(width, Math.round(image.rows() * width / (double) image.cols())),
                    0, 0, Imgproc.INTER_AREA);
            Imgcodecs.imencode(".jpg", small, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return out.toArray();
        } finally {
            image.release();
            small.release();
            out.release();
        }
    }

    /** The part of the fixture inside the rectangle, re-encoded as PNG. */
    public static byte[] crop(String name, int x, int y, int width, int height) {
        OpenCvNatives.load();
        Mat image = Imgcodecs.imdecode(new MatOfByte(bytes(name)), Imgcodecs.IMREAD_COLOR);
        Mat part = image.submat(new Rect(x, y, width, height));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".png", part, out);
            return out.toArray();
        } finally {
            part.release();
            image.release();
            out.release();
        }
    }

    /** A 1280×720 "film still": {@code scene} stretched to the frame, {@code vehicle} pasted in by {@code h}. */
    public record Still(byte[] jpeg, List<Point> expectedOutline) {}

    /**
     * Pastes {@code vehicle} into {@code scene} at {@code scale}, rotated by {@code degrees}, top-left corner near
     * ({@code x}, {@code y}); optionally grey, low-contrast and grainy like an old film; JPEG quality 80.
     */
    public static Still composite(String vehicle, String scene, double scale, double degrees, double x, double y,
                                                  boolean filmLook) {
        return composite(bytes(vehicle), scene, scale, degrees, x, y, filmLook);
    }

    /** As above, for an encoded image (a {@link #crop}, say). */
    public static Still composite(byte[] vehicle, String scene, double scale, double degrees, double x, double y,
                                                  boolean filmLook) {
        Frame frame = composite(scene, filmLook, new Paste(vehicle, scale, degrees, x, y));
        return new Still(frame.jpeg(), frame.outlines().get(0));
    }

    /** A vehicle to paste: its image, scale, rotation and where its top-left corner lands. */
    public record Paste(byte[] vehicle, double scale, double degrees, double x, double y) {}

    /** A frame with several vehicles pasted in, and each one's outline in frame pixels (in the order given). */
    public record Frame(byte[] jpeg, List<List<Point>> outlines) {}

    /** {@code scene} stretched to 1280×720 with every vehicle pasted in turn (a later one covers an earlier one). */
    public static Frame composite(String scene, boolean filmLook, Paste... pastes) {
        return composite(bytes(scene), 1280, 720, filmLook, pastes);
    }

    /** As above, for an encoded scene stretched to {@code width}×{@code height}. */
    public static Frame composite(byte[] scene, int width, int height, boolean filmLook, Paste... pastes) {
        OpenCvNatives.load();
        Mat background = Imgcodecs.imdecode(new MatOfByte(scene), Imgcodecs.IMREAD_COLOR);
        Mat frame = new Mat();
        Imgproc.resize(background, frame, new Size(width, height));
        List<List<Point>> outlines = new ArrayList<>();
        for (Paste paste : pastes) {
            Mat car = Imgcodecs.imdecode(new MatOfByte(paste.vehicle()), Imgcodecs.IMREAD_COLOR);
            double cos = Math.cos(Math.toRadians(paste.degrees())) * paste.scale();
            double sin = Math.sin(Math.toRadians(paste.degrees())) * paste.scale();
            double[] h = {cos, -sin, paste.x(), sin, cos, paste.y(), 0, 0, 1};
            Mat hMat = new Mat(3, 3, CvType.CV_64F);
            hMat.put(0, 0, h);
            Mat warped = new Mat();
            Mat mask = new Mat();
            Mat ones = new Mat(car.size(), CvType.CV_8U, new Scalar(255));
            Imgproc.warpPerspective(car, warped, hMat, frame.size());
            Imgproc.warpPerspective(ones, mask, hMat, frame.size());
            warped.copyTo(frame, mask);
            List<Point> outline = new ArrayList<>();
            double w = car.cols();
            double hh = car.rows();
            for (double[] c : new double[][] {{0, 0}, {w, 0}, {w, hh}, {0, hh}}) {
                outline.add(new Point(h[0] * c[0] + h[1] * c[1] + h[2], h[3] * c[0] + h[4] * c[1] + h[5]));
            }
            outlines.add(outline);
            for (Mat m : new Mat[] {car, hMat, warped, mask, ones}) {
                m.release();
            }
        }
        if (filmLook) {
            Imgproc.cvtColor(frame, frame, Imgproc.COLOR_BGR2GRAY);
            frame.convertTo(frame, -1, 0.45, 60); // low contrast, lifted blacks
            Mat noise = new Mat(frame.size(), CvType.CV_8S);
            Core.randn(noise, 0, 8);
            Core.add(frame, noise, frame, new Mat(), CvType.CV_8U);
            Imgproc.GaussianBlur(frame, frame, new Size(3, 3), 0.8);
            noise.release();
        }
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".jpg", frame, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80));
        byte[] jpeg = out.toArray();
        for (Mat m : new Mat[] {background, frame, out}) {
            m.release();
        }
        return new Frame(jpeg, outlines);
    }

    public static double maxCornerError(List<Point> actual, List<Point> expected) {
        double worst = 0;
        for (int i = 0; i < 4; i++) {
            worst = Math.max(worst, Math.hypot(actual.get(i).x() - expected.get(i).x(),
                    actual.get(i).y() - expected.get(i).y()));
        }
        return worst;
    }

    public static org.opencv.core.Point centre(List<Point> outline) {
        double x = 0;
        double y = 0;
        for (Point p : outline) {
            x += p.x() / 4;
            y += p.y() / 4;
        }
        return new org.opencv.core.Point(x, y);
    }
}
