package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeometricVerifierTest {
    private static final double W = 400;
    private static final double H = 300;

    private static List<Point> quad(double... xy) {
        return List.of(new Point(xy[0], xy[1]), new Point(xy[2], xy[3]), new Point(xy[4], xy[5]),
                new Point(xy[6], xy[7]));
    }

    @Test
    void acceptsModeratePerspectiveView() {
        assertTrue(GeometricVerifier.plausible(quad(100, 100, 500, 130, 480, 380, 110, 400), W, H),
                "a keystoned, clockwise quadrilateral is a plausible view");
    }

    @Test
    void rejectsSelfCrossingOutline() {
        assertFalse(GeometricVerifier.plausible(quad(100, 100, 500, 400, 500, 100, 100, 400), W, H),
                "a bow-tie outline is a degenerate homography");
    }

    @Test
    void rejectsMirroredOutline() {
        assertFalse(GeometricVerifier.plausible(quad(500, 100, 100, 100, 100, 400, 500, 400), W, H),
                "a mirrored (counter-clockwise) outline cannot be the same car seen again");
    }

    @Test
    void rejectsCollapsedOutline() {
        assertFalse(GeometricVerifier.plausible(quad(100, 100, 110, 100, 110, 104, 100, 104), W, H),
                "an outline of a few pixels is collapsed");
        assertFalse(GeometricVerifier.plausible(quad(100, 100, 600, 100, 600, 103, 100, 103), W, H),
                "a sliver is collapsed");
    }

    @Test
    void rejectsExtremeShear() {
        assertFalse(GeometricVerifier.plausible(quad(100, 100, 500, 100, 1400, 160, 1000, 160), W, H),
                "corner angles far from square are extreme shear");
    }
}
