package dev.reelcars.notify;

import dev.reelcars.events.Point;
import dev.reelcars.platform.image.OpenCvNatives;
import java.io.IOException;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Cuts the matched vehicle out of a still: the bounding box of the outline, clipped to the image, as PNG. Decoded by
 * OpenCV like everywhere else, so every format ingest accepts (WebP included) can become a reference.
 */
final class StillCropper {
    /** A crop smaller than this (in either direction) is useless as a reference: the whole still is kept instead. */
    static final int MIN_SIDE = 16;
    /**
     * Colour, in stored pixel order: identify matches without applying EXIF orientation, so the outline is in these
     * coordinates.
     */
    private static final int DECODE_FLAGS = Imgcodecs.IMREAD_COLOR | Imgcodecs.IMREAD_IGNORE_ORIENTATION;

    private StillCropper() {
    }

    /** The cropped image; an empty outline (a vehicle a reviewer named) keeps the whole still. */
    record Crop(byte[] png, int width, int height) {
    }

    static Crop crop(byte[] image, List<Point> outline) throws IOException {
        if (image.length == 0) {
            throw new IOException("no image bytes");
        }
        OpenCvNatives.load();
        MatOfByte encoded = new MatOfByte(image);
        Mat src = Imgcodecs.imdecode(encoded, DECODE_FLAGS);
        MatOfByte png = new MatOfByte();
        try {
            if (src.empty()) {
                throw new IOException("not an image OpenCV can decode (" + image.length + " bytes)");
            }
            int[] box = box(outline, src.cols(), src.rows());
            Mat region = src.submat(box[1], box[3], box[0], box[2]);
            try {
                if (!Imgcodecs.imencode(".png", region, png)) {
                    throw new IOException("OpenCV could not encode the crop as PNG");
                }
            } finally {
                region.release();
            }
            return new Crop(png.toArray(), box[2] - box[0], box[3] - box[1]);
        } finally {
            png.release();
            src.release();
            encoded.release();
        }
    }

    /** {x0, y0, x1, y1}: the outline's bounding box clipped to the image, or the whole image when that is too small. */
    private static int[] box(List<Point> outline, int width, int height) {
        int[] whole = {0, 0, width, height};
        if (outline == null || outline.isEmpty()) {
            return whole;
        }
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Point p : outline) {
            minX = Math.min(minX, p.x());
            minY = Math.min(minY, p.y());
            maxX = Math.max(maxX, p.x());
            maxY = Math.max(maxY, p.y());
        }
        int x0 = clamp((int) Math.floor(minX), width);
        int y0 = clamp((int) Math.floor(minY), height);
        int x1 = clamp((int) Math.ceil(maxX), width);
        int y1 = clamp((int) Math.ceil(maxY), height);
        return x1 - x0 >= MIN_SIDE && y1 - y0 >= MIN_SIDE ? new int[] {x0, y0, x1, y1} : whole;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
