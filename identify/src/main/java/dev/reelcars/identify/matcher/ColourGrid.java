package dev.reelcars.identify.matcher;

import dev.reelcars.platform.image.ImageFormat;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A reference view's colour in {@value #CELLS} bytes: the mean CIELAB chroma (a*, b*) of each cell of an
 * {@value #GRID}×{@value #GRID} grid over the stored image (issue 19: the local features are grey, and a same-model
 * look-alike is often another colour). {@link StillColour} compares a still's chroma near a verified reference's
 * inliers with this grid at the inliers' reference positions.
 *
 * <p>A near-monochrome reference (a grey or sepia scan, a black-and-white film's frame: see {@link #MONOCHROME}) is
 * kept as {@code chromatic == false}: its cells say nothing about the car's colour, so it is never compared.
 */
final class ColourGrid {
    /** Cells along each side: a car's body, glass and lamps fall in different cells at 8. */
    static final int GRID = 8;
    /** Bytes held: a* and b* per cell. */
    static final int CELLS = GRID * GRID * 2;
    /**
     * At or below this {@link StillColour#chromaBeyondLightness} (CIELAB units) an image is taken as monochrome: grey
     * is 0; the bench's sepia and blue-toned composites reach 2.9 at full size with their grain, less decoded reduced
     * as here. A colour photo of a grey car on a grey road may fall under it too: then its colour is not compared.
     */
    static final double MONOCHROME = 2.5;
    /** An image decoded reduced keeps at least this many pixels on its shorter side: the grid needs few. */
    private static final int MIN_DECODED_SIDE = 64;

    /** (a*, b*) of cell (x, y) at {@code 2 (y GRID + x)}, as signed offsets from neutral grey. */
    private final byte[] chroma;
    private final boolean chromatic;

    private ColourGrid(byte[] chroma, boolean chromatic) {
        this.chroma = chroma;
        this.chromatic = chromatic;
    }

    /** Whether the reference has colour worth comparing (see the class comment). */
    boolean chromatic() {
        return chromatic;
    }

    /**
     * The grid of an encoded image; null when it cannot be decoded in colour (the feature extractor, which runs
     * first, has already refused what cannot be decoded at all).
     */
    static ColourGrid of(byte[] encoded) {
        Mat colour = decodeColour(encoded, MIN_DECODED_SIDE);
        Mat lab = new Mat();
        Mat grid = new Mat();
        try {
            if (colour.empty() || colour.channels() != 3) {
                return null;
            }
            Imgproc.cvtColor(colour, lab, Imgproc.COLOR_BGR2Lab);
            double chroma = StillColour.chromaBeyondLightness(lab);
            Imgproc.resize(lab, grid, new Size(GRID, GRID), 0, 0, Imgproc.INTER_AREA);
            byte[] pixels = new byte[GRID * GRID * 3];
            grid.get(0, 0, pixels);
            byte[] cells = new byte[CELLS];
            for (int i = 0; i < GRID * GRID; i++) {
                cells[2 * i] = (byte) ((pixels[3 * i + 1] & 0xff) - 128);
                cells[2 * i + 1] = (byte) ((pixels[3 * i + 2] & 0xff) - 128);
            }
            return new ColourGrid(cells, chroma > MONOCHROME);
        } finally {
            colour.release();
            lab.release();
            grid.release();
        }
    }

    /**
     * The chroma at a position given as a fraction of the image's width and height, interpolated between the cell
     * centres (so that a point near a cell's edge reads its neighbour too, as a window around it in the still does).
     *
     * @param out receives a* and b*
     */
    void at(double fx, double fy, double[] out) {
        double gx = Math.max(0, Math.min(GRID - 1, fx * GRID - 0.5));
        double gy = Math.max(0, Math.min(GRID - 1, fy * GRID - 0.5));
        int x0 = Math.min(GRID - 2, (int) gx);
        int y0 = Math.min(GRID - 2, (int) gy);
        double tx = gx - x0;
        double ty = gy - y0;
        for (int c = 0; c < 2; c++) {
            double top = (1 - tx) * chroma[2 * (y0 * GRID + x0) + c] + tx * chroma[2 * (y0 * GRID + x0 + 1) + c];
            double bottom = (1 - tx) * chroma[2 * ((y0 + 1) * GRID + x0) + c]
                    + tx * chroma[2 * ((y0 + 1) * GRID + x0 + 1) + c];
            out[c] = (1 - ty) * top + ty * bottom;
        }
    }

    /** Heap bytes held, for the memory-per-reference figure: this object (24) and the array (16 + 128). */
    long heapBytes() {
        return 24 + 16 + CELLS;
    }

    /**
     * An image decoded in colour (BGR), as small as libjpeg's DCT scaling allows while the shorter side keeps
     * {@code minSide} pixels (a JPEG's colour planes are half resolution anyway); other formats decoded whole. EXIF
     * orientation is ignored, as the feature extractor ignores it, so that pixels stay in the frame keypoints are in.
     */
    static Mat decodeColour(byte[] encoded, int minSide) {
        int flags = Imgcodecs.IMREAD_COLOR;
        ImageSize size = ImageSize.read(encoded);
        if (size != null && size.format() == ImageFormat.JPEG) {
            int shortSide = Math.min(size.width(), size.height());
            if (shortSide / 8 >= minSide) {
                flags = Imgcodecs.IMREAD_REDUCED_COLOR_8;
            } else if (shortSide / 4 >= minSide) {
                flags = Imgcodecs.IMREAD_REDUCED_COLOR_4;
            } else if (shortSide / 2 >= minSide) {
                flags = Imgcodecs.IMREAD_REDUCED_COLOR_2;
            }
        }
        MatOfByte buffer = new MatOfByte(encoded);
        try {
            return Imgcodecs.imdecode(buffer, flags | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
        } finally {
            buffer.release();
        }
    }
}
