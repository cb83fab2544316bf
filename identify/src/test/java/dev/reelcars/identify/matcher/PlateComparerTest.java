package dev.reelcars.identify.matcher;

import static dev.reelcars.identify.matcher.PlateReader.GLYPH_H;
import static dev.reelcars.identify.matcher.PlateReader.GLYPH_PX;
import static dev.reelcars.identify.matcher.PlateReader.GLYPH_W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlateComparerTest {
    @Test
    void glyphSimilarityFromSummedAreaTablesIsTheCorrelationComputedPixelByPixel() {
        Random random = new Random(11);
        int alike = 0;
        for (int trial = 0; trial < 300; trial++) {
            // Given two rows of random glyphs, some pairs made alike (a glyph plus noise, shifted by a pixel)
            PlateReader.Row a = row(random, 3);
            PlateReader.Row b = row(random, 3);
            for (int i = 0; i < 3; i++) {
                if (random.nextBoolean()) {
                    int dx = random.nextInt(3) - 1;
                    int dy = random.nextInt(3) - 1;
                    for (int y = 0; y < GLYPH_H; y++) {
                        for (int x = 0; x < GLYPH_W; x++) {
                            int sx = Math.max(0, Math.min(GLYPH_W - 1, x + dx));
                            int sy = Math.max(0, Math.min(GLYPH_H - 1, y + dy));
                            int noisy = a.cells()[i * GLYPH_PX + sy * GLYPH_W + sx] + random.nextInt(41) - 20;
                            b.cells()[i * GLYPH_PX + y * GLYPH_W + x] = (byte) Math.max(-127, Math.min(127, noisy));
                        }
                    }
                }
            }
            // Then every pair's similarity is the best plain correlation over the same shifts, to the last bit
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double expected = naive(a, i, b, j);
                    assertEquals(expected, PlateComparer.similarity(a, i, b, j), 0.0, "trial " + trial);
                    alike += expected >= 0.45 ? 1 : 0;
                }
            }
        }
        // And the shifted comparisons were exercised too
        assertTrue(alike > 100, "alike pairs " + alike);
    }

    private static PlateReader.Row row(Random random, int glyphs) {
        // Smooth shapes (a few soft strokes), so that a copy shifted by a pixel still correlates
        byte[] cells = new byte[glyphs * GLYPH_PX];
        for (int g = 0; g < glyphs; g++) {
            double[][] blobs = new double[4][];
            for (int k = 0; k < blobs.length; k++) {
                blobs[k] = new double[] {random.nextDouble() * GLYPH_W, random.nextDouble() * GLYPH_H,
                        random.nextBoolean() ? 1 : -1};
            }
            for (int y = 0; y < GLYPH_H; y++) {
                for (int x = 0; x < GLYPH_W; x++) {
                    double v = 0;
                    for (double[] blob : blobs) {
                        v += blob[2] * Math.exp(-((x - blob[0]) * (x - blob[0])
                                + (y - blob[1]) * (y - blob[1])) / 18.0);
                    }
                    cells[g * GLYPH_PX + y * GLYPH_W + x] = (byte) Math.max(-127, Math.min(127, Math.round(v * 90)));
                }
            }
        }
        float[] sx = new float[glyphs];
        float[] box = new float[glyphs];
        for (int g = 0; g < glyphs; g++) {
            sx[g] = 30 * g;
            box[g] = 24;
        }
        return new PlateReader.Row(cells, sx, box.clone(), new float[] {40, 40, 40}, new float[glyphs],
                new float[glyphs], new float[6], 40, null, 0);
    }

    /** The unshifted correlation, and the one-pixel shifts when it reaches 0.45, summed pixel by pixel. */
    private static double naive(PlateReader.Row a, int i, PlateReader.Row b, int j) {
        double best = correlation(a.cells(), i, b.cells(), j, 0, 0);
        if (best < 0.45) {
            return best;
        }
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                best = Math.max(best, correlation(a.cells(), i, b.cells(), j, dx, dy));
            }
        }
        return best;
    }

    private static double correlation(byte[] a, int i, byte[] b, int j, int dx, int dy) {
        long su = 0;
        long sv = 0;
        long suu = 0;
        long svv = 0;
        long suv = 0;
        int count = 0;
        for (int y = Math.max(0, -dy); y < Math.min(GLYPH_H, GLYPH_H - dy); y++) {
            for (int x = Math.max(0, -dx); x < Math.min(GLYPH_W, GLYPH_W - dx); x++) {
                int u = a[i * GLYPH_PX + y * GLYPH_W + x];
                int v = b[j * GLYPH_PX + (y + dy) * GLYPH_W + x + dx];
                su += u;
                sv += v;
                suu += u * u;
                svv += v * v;
                suv += u * v;
                count++;
            }
        }
        double cov = suv - su * (double) sv / count;
        double varU = suu - su * (double) su / count;
        double varV = svv - sv * (double) sv / count;
        return varU <= 0 || varV <= 0 ? 0 : cov / Math.sqrt(varU * varV);
    }
}
