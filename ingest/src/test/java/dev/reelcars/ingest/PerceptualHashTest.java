package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The 64-bit DCT pHash: small distances for copies of one picture, large ones between pictures. */
class PerceptualHashTest {
    private final ImageValidator validator = new ImageValidator(20L << 20, 50_000_000L);

    private long hash(byte[] bytes) {
        return validator.validate(bytes).signature().full();
    }

    @Test
    void keepsReencodedResizedAndCroppedCopiesWithinEightBits() {
        for (String name : new String[] {"home.jpg", "building.jpg", "butterfly.jpg"}) {
            byte[] original = Fixtures.image(name);
            long h = hash(original);
            byte[] lowQuality = Fixtures.reencode(original, ".jpg", m -> m, Imgcodecs.IMWRITE_JPEG_QUALITY, 30);
            byte[] half = Fixtures.reencode(original, ".png", m -> {
                Mat r = new Mat();
                Imgproc.resize(m, r, new Size(m.cols() / 2, m.rows() / 2), 0, 0, Imgproc.INTER_AREA);
                return r;
            });
            byte[] cropped = Fixtures.reencode(original, ".jpg", m -> new Mat(m,
                    new Rect(m.cols() / 40, m.rows() / 40, m.cols() - m.cols() / 20, m.rows() - m.rows() / 20))
                    .clone());
            for (byte[] copy : new byte[][] {lowQuality, half, cropped}) {
                int d = PerceptualHash.distance(h, hash(copy));
                assertTrue(d <= 8, name + ": copy at distance " + d);
            }
        }
    }

    @Test
    void separatesDifferentPictures() {
        String[] names = {"home.jpg", "building.jpg", "butterfly.jpg", "fruits.png"};
        for (int i = 0; i < names.length; i++) {
            for (int j = i + 1; j < names.length; j++) {
                int d = PerceptualHash.distance(hash(Fixtures.image(names[i])), hash(Fixtures.image(names[j])));
                assertTrue(d > 16, names[i] + " vs " + names[j] + " at distance " + d);
            }
        }
    }

    @Test
    void roundTripsThroughHex() {
        long h = hash(Fixtures.image("home.jpg"));
        assertTrue(PerceptualHash.fromHex(PerceptualHash.toHex(h)) == h, "hex round trip");
    }

    @Test
    void findsThePictureInsideLetterboxBars() {
        // Given a still with black bars added above and below
        byte[] original = Fixtures.image("building.jpg");
        byte[] letterboxed = Fixtures.reencode(original, ".jpg", m -> {
            Mat out = new Mat();
            org.opencv.core.Core.copyMakeBorder(m, out, 40, 40, 0, 0, org.opencv.core.Core.BORDER_CONSTANT);
            return out;
        });

        // When both are signed, Then they are the same picture
        ImageSignature a = validator.validate(original).signature();
        ImageSignature b = validator.validate(letterboxed).signature();
        assertTrue(a.distance(b) <= 4, "letterboxed copy at distance " + a.distance(b));
    }

    @Test
    void matchesACropOfTenPercentPerSideThroughTheCentreHashes() {
        byte[] original = Fixtures.image("home.jpg");
        byte[] cropped = Fixtures.reencode(original, ".jpg", m -> new Mat(m,
                new Rect(m.cols() / 10, m.rows() / 10, m.cols() - m.cols() / 5, m.rows() - m.rows() / 5)).clone());
        ImageSignature a = validator.validate(original).signature();
        ImageSignature b = validator.validate(cropped).signature();
        assertTrue(a.distance(b) <= 8, "either way round: " + a.distance(b) + " / " + b.distance(a));
        assertTrue(b.distance(a) <= 8, "symmetric: " + b.distance(a));
    }

    @Test
    void roundTripsSignatureThroughItsHeaderForm() {
        ImageSignature s = validator.validate(Fixtures.image("home.jpg")).signature();
        assertTrue(s.equals(ImageSignature.fromHeader(s.toHeader())), s.toHeader());
    }
}
