package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, point 4: a region of a film-sized frame is enlarged as the same view would be as a crop (fixture: the
 * real cross-camera SUV, 92×72 px, pasted at 1.5× into a 1280×720 scene).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallVehicleTest {
    private static final double X = 700;
    private static final double Y = 380;
    private static final double SCALE = 1.5;

    private static Fixtures.Frame frame() {
        return Fixtures.composite("building.jpg", false,
                new Fixtures.Paste(Fixtures.bytes("reid_suv_cam2.jpg"), SCALE, 0, X, Y));
    }

    @Test
    void aRegionIsEnlargedAsACropOfItsSizeWouldBeAndItsFeaturesMapBackIntoIt() {
        FeatureExtractor stills = FeatureExtractor.forStills(EngineConfig.defaults());
        FeatureSet still = stills.extract(frame().jpeg(), "still");
        double x1 = X + 92 * SCALE;
        double y1 = Y + 72 * SCALE;

        FeatureSet region = stills.extractRegion(still, X, Y, x1, y1, 1.5);

        assertNotNull(region, "a 138×108 region of a 1280×720 frame is enlarged");
        int inStill = 0;
        for (int i = 0; i < still.count; i++) {
            inStill += still.x(i) >= X && still.x(i) <= x1 && still.y(i) >= Y && still.y(i) <= y1 ? 1 : 0;
        }
        for (int i = 0; i < region.count; i++) {
            assertTrue(region.x(i) >= X - 1 && region.x(i) <= x1 + 1 && region.y(i) >= Y - 1 && region.y(i) <= y1 + 1,
                    "feature " + i + " at " + region.x(i) + "," + region.y(i) + " lies in the region");
        }
        assertTrue(region.count > 2 * inStill, "the enlarged region holds more features (" + region.count
                + ") than the frame's own extraction found there (" + inStill + ")");
        assertEquals(still.width, region.width, "coordinates of the same still");
    }

    @Test
    void aLargeRegionIsLeftToTheStillsOwnFeatures() {
        FeatureExtractor stills = FeatureExtractor.forStills(EngineConfig.defaults());
        FeatureSet still = stills.extract(frame().jpeg(), "still");

        // 900×600 would be enlarged by 1.2 only: less than the 1.5 asked for
        assertNull(stills.extractRegion(still, 100, 50, 1000, 650, 1.5), "no region features");
    }
}
