package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.image.OpenCvNatives;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class FeatureExtractorTest {
    private static FeatureExtractor referenceExtractor(int detailFeatures) {
        return new FeatureExtractor(600, 640, true, 300, 240, 16, detailFeatures, 600,
                FeatureExtractor.REFERENCE_BASE_OCTAVE);
    }

    @Test
    void smallReferenceGetsAnEnlargedDetailViewOnFinerOctavesInItsOwnPixels() {
        // Given a 400 × 302 snapshot
        FeatureSet features = referenceExtractor(150).extract(Fixtures.resized("bus.jpg", 400), "bus");

        // Then up to 150 extra features sit on octaves finer than the full-size view's, at positions inside the image
        int detail = 0;
        for (int i = 0; i < features.count; i++) {
            assertTrue(features.octaves[i] >= 0 && features.octaves[i] <= HoughFilter.MAX_REF_OCTAVE,
                    "octave in range: " + features.octaves[i]);
            if (features.octaves[i] < FeatureExtractor.REFERENCE_BASE_OCTAVE) {
                detail++;
            }
            assertTrue(features.x(i) >= 0 && features.x(i) < 400 && features.y(i) >= 0 && features.y(i) < 302,
                    "keypoint mapped back into the snapshot: " + features.x(i) + ", " + features.y(i));
        }
        assertTrue(detail > 50 && detail <= 150, "detail features: " + detail);
        assertEquals(400, features.width, "size reported in the image's own pixels");
    }

    @Test
    void referenceAlreadyLargeEnoughGetsNoDetailView() {
        // Given a photo whose processed shorter side (640 × 484) is within 1.25× of the detail size
        FeatureSet features = referenceExtractor(150).extract(Fixtures.resized("bus.jpg", 1000), "bus");

        // Then no feature is on a detail octave
        for (int i = 0; i < features.count; i++) {
            assertTrue(features.octaves[i] >= FeatureExtractor.REFERENCE_BASE_OCTAVE, "no detail octave expected");
        }
    }

    @Test
    void everyReferenceOctaveFallsInsideTheHoughScaleBins() {
        // A still feature on its finest level against a reference feature on the coarsest of the half-size view, and
        // the other way round: both bins exist (an overflow would merge them with another rotation's bins)
        FeatureSet query = new FeatureSet(2, new long[8], new float[2], new float[2], new byte[] {0, 0},
                new byte[] {0, 7}, 100, 100);
        int fine = HoughFilter.bin(query, 0, 0, HoughFilter.MAX_REF_OCTAVE);
        int coarse = HoughFilter.bin(query, 1, 0, 0);
        assertTrue(fine >= 0 && fine < HoughFilter.BINS, "bin " + fine);
        assertTrue(coarse >= 0 && coarse < HoughFilter.BINS, "bin " + coarse);
        assertTrue(coarse - fine < HoughFilter.BINS / 12, "same rotation row: " + fine + ", " + coarse);
    }

    @Test
    void letterboxAndPillarboxBarsAreCutOffAndABarlessFrameIsKeptWhole() {
        OpenCvNatives.load();
        // Given a 640 × 360 frame: black bars 40 px high above and below, 24 px wide left and right, with JPEG-like
        // noise in the bars (up to 20) and a picture in the middle whose darkest corner touches the bars
        Mat frame = new Mat(360, 640, CvType.CV_8U, new Scalar(15));
        Mat picture = frame.submat(new Rect(24, 40, 592, 280));
        Core.randu(picture, 29, 255);
        frame.put(5, 5, 20);
        Mat bright = new Mat(360, 640, CvType.CV_8U, new Scalar(120));
        Mat dark = new Mat(360, 640, CvType.CV_8U, new Scalar(10));
        try {
            // Then the content area is the picture alone
            assertEquals(new Rect(24, 40, 592, 280), FeatureExtractor.contentArea(frame));
            // And a frame without bars, or one that is dark throughout (a night scene), is kept whole
            assertEquals(new Rect(0, 0, 640, 360), FeatureExtractor.contentArea(bright));
            assertEquals(new Rect(0, 0, 640, 360), FeatureExtractor.contentArea(dark));
        } finally {
            picture.release();
            frame.release();
            bright.release();
            dark.release();
        }
    }

    @Test
    void aJpegIsDecodedStraightToTheSameGreyAndOtherFormatsKeepTheirChannels() {
        OpenCvNatives.load();
        // Given a colour JPEG and a PNG with an alpha channel
        byte[] jpeg = Fixtures.resized("bus.jpg", 640);
        byte[] png = Fixtures.bytes("box.png");
        Mat colour = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        Mat converted = new Mat();
        Imgproc.cvtColor(colour, converted, Imgproc.COLOR_BGR2GRAY);
        Mat grey = Imgcodecs.imdecode(new MatOfByte(jpeg), FeatureExtractor.decodeFlags(jpeg));
        Mat difference = new Mat();
        try {
            // Then the JPEG comes out as one grey channel with the grey levels of decoding in colour and converting
            // (they differ only where a saturated colour was clipped in the colour decode)
            assertEquals(1, grey.channels());
            Core.absdiff(grey, converted, difference);
            double mean = Core.mean(difference).val[0];
            assertTrue(mean < 0.1, "mean difference " + mean);
            // And anything else is decoded unchanged
            assertEquals(Imgcodecs.IMREAD_UNCHANGED, FeatureExtractor.decodeFlags(png));
            assertEquals(Imgcodecs.IMREAD_UNCHANGED, FeatureExtractor.decodeFlags(new byte[] {(byte) 0xff,
                    (byte) 0xd8}));
        } finally {
            colour.release();
            converted.release();
            grey.release();
            difference.release();
        }
    }
}
