package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HoughFilterTest {
    @Test
    void thePeakFoundNearTheVotedBinsIsThePeakOfTheWholeHistogram() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            // Given a few weighted votes, some on the rotation wrap-around and the scale edges
            int votes = 1 + random.nextInt(40);
            int[] voted = new int[votes];
            float[] histogram = new float[HoughFilter.BINS];
            for (int i = 0; i < votes; i++) {
                voted[i] = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(HoughFilter.BINS / 12); // first rotation row
                    case 1 -> HoughFilter.BINS - 1 - random.nextInt(HoughFilter.BINS / 12); // last rotation row
                    default -> random.nextInt(HoughFilter.BINS);
                };
                histogram[voted[i]] += 0.1f + random.nextFloat();
            }

            // Then looking only next to the voted bins gives the same peak as scanning every bin
            assertEquals(HoughFilter.peak(histogram), HoughFilter.peak(histogram, voted, 0, votes), 0f,
                    "trial " + trial + ", " + votes + " votes");
        }
    }
}
