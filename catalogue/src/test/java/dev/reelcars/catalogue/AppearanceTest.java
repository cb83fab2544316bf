package dev.reelcars.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.events.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppearanceTest {

    @Test
    void readsTimecodesWithHoursMinutesAndFractionsAndSortsUnreadableOnesLast() {
        assertEquals(5263, Appearance.secondsOf("01:27:43"));
        assertEquals(1663, Appearance.secondsOf("27:43"));
        assertEquals(3723, Appearance.secondsOf("01:02:03.5"));
        assertEquals(Long.MAX_VALUE, Appearance.secondsOf(null));
        assertEquals(Long.MAX_VALUE, Appearance.secondsOf("near the end"));
    }

    @Test
    void prominenceFollowsTheOutlinesShareOfTheFrame() {
        List<Point> quarter = List.of(new Point(0, 0), new Point(50, 0), new Point(50, 50), new Point(0, 50));
        assertEquals(Appearance.Prominence.FEATURED, Appearance.Prominence.of(quarter, 100, 100));
        assertEquals(Appearance.Prominence.MINOR, Appearance.Prominence.of(quarter, 200, 100));
        assertEquals(Appearance.Prominence.BACKGROUND, Appearance.Prominence.of(quarter, 400, 400));
        assertEquals(Appearance.Prominence.BACKGROUND, Appearance.Prominence.of(List.of(), 100, 100),
                "a vehicle a reviewer named has no outline");
    }
}
