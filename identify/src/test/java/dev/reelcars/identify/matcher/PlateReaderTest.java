package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.image.OpenCvNatives;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencv.core.Mat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlateReaderTest {
    /** A 400 px snapshot: the plate 110 px wide, its characters about 17 px high (the dev data's size). */
    private static final double[] SNAPSHOT_PLATE = {150, 180, 260, 182, 259, 205, 149, 203};
    /** The still: 1280 px, the plate seen at an angle, tilted, characters about 30 px high. */
    private static final double[] STILL_PLATE = {600, 400, 780, 385, 784, 428, 603, 444};
    /** A still about as soft as the film copies of the benchmark (no grain: OpenCV's noise depends on test order). */
    private static final double SOFT_BLUR = 2.5;

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    private static List<PlateReader.Row> rows(byte[] image) {
        Mat grey = Plates.grey(image);
        try {
            return PlateReader.read(grey, 1, 0, 0, 6);
        } finally {
            grey.release();
        }
    }

    private static PlateComparer.Comparison best(List<PlateReader.Row> references, List<PlateReader.Row> stills) {
        return best(references, stills, PlateComparer::compare);
    }

    private static PlateComparer.Comparison best(List<PlateReader.Row> references, List<PlateReader.Row> stills,
            BiFunction<PlateReader.Row, PlateReader.Row, PlateComparer.Comparison> compare) {
        PlateComparer.Comparison best = PlateComparer.Comparison.NONE;
        for (PlateReader.Row r : references) {
            for (PlateReader.Row s : stills) {
                PlateComparer.Comparison c = compare.apply(r, s);
                if (c.mean() > best.mean()) {
                    best = c;
                }
            }
        }
        return best;
    }

    @Test
    void readsThePlateOfASnapshotAsOneRowOfItsCharacters() {
        // Given a 400 px photo with a plate "RK 878AC" whose characters are 17 px high
        byte[] snapshot = Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0);

        // When its rows of characters are read
        List<PlateReader.Row> rows = rows(snapshot);

        // Then one row holds the 7 characters, placed on the plate in the photo's pixels
        PlateReader.Row plate = rows.stream().filter(r -> r.size() == 7).findFirst().orElse(null);
        assertTrue(plate != null, "a row of 7 characters must be read, got sizes "
                + rows.stream().map(PlateReader.Row::size).toList());
        for (int g = 0; g < plate.size(); g++) {
            assertTrue(plate.xs()[g] > 150 && plate.xs()[g] < 260 && plate.ys()[g] > 178 && plate.ys()[g] < 207,
                    "character " + g + " lies on the plate, was at " + plate.xs()[g] + ", " + plate.ys()[g]);
        }
        assertTrue(plate.strip() != null, "a still's row keeps its strip; references drop it with withoutStrip()");
        assertEquals(null, plate.withoutStrip().strip(), "withoutStrip drops the pixels");
    }

    @Test
    void samePlateSeenAgainAtAnAngleAndBlurredComparesCharacterByCharacter() {
        // Given the snapshot's plate and a film-like still with the same plate at another size, tilted, soft and grainy
        List<PlateReader.Row> reference = rows(Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        List<PlateReader.Row> still = rows(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6));

        // When they are compared
        PlateComparer.Comparison same = best(reference, still);

        // Then every character correlates well at the place the alignment predicts
        assertTrue(same.mean() >= 0.85, "mean correlation of the same plate, was " + same.mean());
        assertTrue(same.min() >= 0.7, "every character of the same plate must agree, the lowest was " + same.min());
    }

    @Test
    void plateOfTheSameDesignDifferingInOneCharacterHasOneCharacterThatDisagrees() {
        // Given a gallery car's plate "RK 828AC" and a still of another car with "RK 878AC": same letters, same font
        List<PlateReader.Row> lookAlike = rows(Plates.onScene("RK 828AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        List<PlateReader.Row> reference = rows(Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        List<PlateReader.Row> still = rows(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6));

        // When both are compared with the still
        PlateComparer.Comparison other = best(lookAlike, still);
        PlateComparer.Comparison same = best(reference, still);

        // Then the look-alike's mean is high (six characters agree) but its lowest character gives it away
        assertTrue(other.mean() > 0.6, "six of seven characters agree, mean was " + other.mean());
        assertTrue(other.min() < same.min() - 0.15,
                "the differing character must stand out: look-alike lowest " + other.min() + ", same plate "
                + same.min());
        PlateModel model = PlateModel.defaults();
        assertFalse(model.accepts(model.confidence(other), other.min()),
                "the plate model must not accept the look-alike: p " + model.confidence(other) + ", lowest "
                + other.min());
        assertTrue(model.accepts(model.confidence(same), same.min()),
                "the plate model must accept the same plate: p " + model.confidence(same) + ", lowest " + same.min());
    }

    @Test
    void aFilmSoftStillIsComparedWithTheReferenceSoftenedAndASharpOneWithTheReferenceAsItIs() {
        // Given a sharp snapshot's plate, a sharp still of it, and a still of it as soft as an old film's
        List<PlateReader.Row> reference = rows(Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        List<PlateReader.Row> sharp = rows(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 0, 0));
        List<PlateReader.Row> soft = rows(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, SOFT_BLUR, 0));

        // When each is compared with the reference as it is, softened, and as the matcher does (the closer reading)
        PlateComparer.Comparison softAsIs = best(reference, soft, PlateComparer::compareOnce);
        PlateComparer.Comparison softSoftened = best(reference, soft,
                (r, s) -> PlateComparer.compareOnce(PlateComparer.softened(r), s));
        PlateComparer.Comparison sharpAsIs = best(reference, sharp, PlateComparer::compareOnce);
        PlateComparer.Comparison sharpSoftened = best(reference, sharp,
                (r, s) -> PlateComparer.compareOnce(PlateComparer.softened(r), s));

        // Then the soft still's characters agree better with the softened reference, and that reading is the one used
        // (measured: mean 0.835 -> 0.892, lowest 0.768 -> 0.804; the sharp still 0.947 as is, 0.931 softened)
        assertTrue(softSoftened.mean() > softAsIs.mean() + 0.03, "softening must lift the soft still's mean: "
                + softAsIs.mean() + " as is, " + softSoftened.mean() + " softened");
        assertTrue(softSoftened.min() > softAsIs.min() + 0.02, "softening must lift the soft still's lowest character: "
                + softAsIs.min() + " as is, " + softSoftened.min() + " softened");
        assertEquals(softSoftened.mean(), best(reference, soft).mean(), 1e-9,
                "the soft still takes the softened reading");
        // And the sharp still's agree better with the reference as it is, which is the reading used for it
        assertTrue(sharpAsIs.mean() > sharpSoftened.mean(), "the sharp still must not prefer a softened reference: "
                + sharpAsIs.mean() + " as is, " + sharpSoftened.mean() + " softened");
        assertEquals(sharpAsIs.mean(), best(reference, sharp).mean(), 1e-9, "the sharp still takes the reading as is");
    }

    @Test
    void sceneWithoutLetteringHasNoRowOfCharactersToCompare() {
        // Given a scene fixture with no plate
        List<PlateReader.Row> rows = rows(Fixtures.resized("home.jpg", 1280));

        // When compared with a plate, nothing alike is found
        List<PlateReader.Row> reference = rows(Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
        PlateComparer.Comparison c = best(reference, rows);
        assertTrue(c.mean() < PlateMatcher.MIN_MEAN, "a scene without the plate compares below "
                + PlateMatcher.MIN_MEAN + ", was " + c.mean() + " over " + rows.size() + " rows");
        assertFalse(c.min() >= 0.7, "no character can agree everywhere");
    }
}
