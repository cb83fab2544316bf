package dev.reelcars.notify;

import dev.reelcars.contracts.Point;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Cuts the matched vehicle out of a still: the bounding box of the outline, clipped to the image, as PNG. */
final class StillCropper {
    /** A crop smaller than this (in either direction) is useless as a reference: the whole still is kept instead. */
    static final int MIN_SIDE = 16;

    private StillCropper() {
    }

    /** The cropped image; an empty outline (a vehicle a reviewer named) keeps the whole still. */
    record Crop(byte[] png, int width, int height) {
    }

    static Crop crop(byte[] image, List<Point> outline) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(image));
        if (src == null) {
            throw new IOException("not an image ImageIO can read");
        }
        int x0 = 0;
        int y0 = 0;
        int x1 = src.getWidth();
        int y1 = src.getHeight();
        if (outline != null && !outline.isEmpty()) {
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
            int cx0 = clamp((int) Math.floor(minX), src.getWidth());
            int cy0 = clamp((int) Math.floor(minY), src.getHeight());
            int cx1 = clamp((int) Math.ceil(maxX), src.getWidth());
            int cy1 = clamp((int) Math.ceil(maxY), src.getHeight());
            if (cx1 - cx0 >= MIN_SIDE && cy1 - cy0 >= MIN_SIDE) {
                x0 = cx0;
                y0 = cy0;
                x1 = cx1;
                y1 = cy1;
            }
        }
        BufferedImage out = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, x1 - x0, y1 - y0, x0, y0, x1, y1, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return new Crop(bytes.toByteArray(), out.getWidth(), out.getHeight());
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
