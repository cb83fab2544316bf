package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.image.ImageFormat;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.imgcodecs.Imgcodecs;

/** Sniffing, header parsing and structure checks, without HTTP or Kafka. */
class ImageValidatorTest {
    private final ImageValidator validator = new ImageValidator(20L << 20, 50_000_000L);

    @ParameterizedTest(name = "{0}")
    @CsvSource({".jpg, JPEG", ".png, PNG", ".webp, WEBP", ".bmp, BMP"})
    void readsSizeFromTheHeaderOfEverySupportedType(String ext, ImageFormat type) {
        // Given the same 512x384 picture encoded in each supported format
        byte[] bytes = Fixtures.reencode(Fixtures.image("home.jpg"), ext, m -> m);

        // When it is validated
        ValidatedImage image = validator.validate(bytes);

        // Then the type comes from the magic bytes and the size from the header
        assertEquals(type, image.header().type());
        assertEquals(512, image.header().width(), "width");
        assertEquals(384, image.header().height(), "height");
    }

    @Test
    void readsSizeOfProgressiveJpeg() {
        byte[] progressive = Fixtures.reencode(Fixtures.image("home.jpg"), ".jpg", m -> m,
                Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        assertEquals(512, validator.validate(progressive).header().width());
    }

    @Test
    void refusesPngBombFromItsHeaderWithoutDecoding() {
        // Given a 30000x30000 PNG (900 megapixels) of about 110 KB
        byte[] bomb = Fixtures.pngBomb(30000, 30000);

        // When it is inspected, Then it is refused for its pixel count, in well under a second
        ApiException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(ApiException.class, () -> validator.validate(bomb)));
        assertEquals("too-many-pixels", e.code());
        assertEquals(413, e.status());
    }

    @Test
    void refusesJpegCutInsideItsScanAsTruncated() {
        byte[] jpeg = Fixtures.image("home.jpg");
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(Arrays.copyOf(jpeg, jpeg.length - 100)));
        assertEquals("truncated-image", e.code(), e.getMessage());
    }

    @Test
    void refusesJpegMissingOnlyItsEndMarker() {
        byte[] jpeg = Fixtures.image("home.jpg");
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(Arrays.copyOf(jpeg, jpeg.length - 2)));
        assertEquals("truncated-image", e.code(), e.getMessage());
    }

    @Test
    void toleratesZeroPaddingAfterJpegEndMarker() {
        byte[] jpeg = Fixtures.image("home.jpg");
        assertEquals(512, validator.validate(Arrays.copyOf(jpeg, jpeg.length + 64)).header().width());
    }

    @Test
    void refusesPngWithoutIend() {
        byte[] png = Fixtures.image("fruits.png");
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(Arrays.copyOf(png, png.length - 12)));
        assertEquals("truncated-image", e.code(), e.getMessage());
    }

    @Test
    void refusesBytesAfterPngEnd() {
        byte[] png = Fixtures.image("fruits.png");
        byte[] withScript = Arrays.copyOf(png, png.length + 20);
        System.arraycopy("<script>x()</script>".getBytes(), 0, withScript, png.length, 20);
        ApiException e = assertThrows(ApiException.class, () -> validator.validate(withScript));
        assertEquals("trailing-data", e.code());
    }

    @Test
    void refusesTruncatedWebpAndBmp() {
        for (String ext : new String[] {".webp", ".bmp"}) {
            byte[] bytes = Fixtures.reencode(Fixtures.image("home.jpg"), ext, m -> m);
            ApiException e = assertThrows(ApiException.class,
                    () -> validator.validate(Arrays.copyOf(bytes, bytes.length / 2)), ext);
            assertEquals("truncated-image", e.code(), ext + ": " + e.getMessage());
        }
    }

    @Test
    void refusesGifAndTiffAsUnsupported() {
        assertEquals("unsupported-type", assertThrows(ApiException.class,
                () -> validator.validate("GIF89a\u0001\u0000\u0001\u0000".getBytes())).code());
        assertEquals("unsupported-type", assertThrows(ApiException.class,
                () -> validator.validate(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0})).code());
    }

    @Test
    void refusesImageOverTheByteCapBeforeLookingAtIt() {
        ImageValidator small = new ImageValidator(1000, 50_000_000L);
        ApiException e = assertThrows(ApiException.class, () -> small.validate(Fixtures.image("home.jpg")));
        assertEquals(413, e.status());
        assertEquals("file-too-large", e.code());
    }

    @Test
    void refusesJpegWhoseScanIsGarbageAsUndecodableOrCorrupt() {
        // Given a JPEG whose headers are intact but whose scan data is overwritten with marker-free noise
        byte[] jpeg = Fixtures.image("home.jpg").clone();
        for (int i = 1000; i < jpeg.length - 2; i++) {
            jpeg[i] = (byte) 0x00;
        }
        // When validated, Then it is either refused or decodes to the header's size (OpenCV is lenient)
        try {
            assertEquals(512, validator.validate(jpeg).header().width());
        } catch (ApiException e) {
            assertEquals(422, e.status(), e.getMessage());
        }
    }

    @Test
    void stripsBytesAfterTheEndMarkerWhenConfiguredTo() {
        // Given a validator that strips trailing data, and a JPEG followed by a script
        ImageValidator stripping = new ImageValidator(20L << 20, 50_000_000L, true);
        byte[] polyglot = Fixtures.badInput("polyglot.jpg");
        byte[] jpeg = Fixtures.image("home.jpg");

        // When it is validated, Then the image kept is exactly the JPEG without the script
        assertEquals(jpeg.length, stripping.validate(polyglot).bytes().length);
    }

    @Test
    void reportsDisplayedSizeAndHashesTheUprightPictureOfAnExifRotatedJpeg() {
        // Given home.jpg stored turned a quarter counter-clockwise, with EXIF orientation 6 (turn clockwise to show)
        byte[] stored = Fixtures.reencode(Fixtures.image("home.jpg"), ".jpg", m -> {
            org.opencv.core.Mat r = new org.opencv.core.Mat();
            org.opencv.core.Core.rotate(m, r, org.opencv.core.Core.ROTATE_90_COUNTERCLOCKWISE);
            return r;
        }, Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        byte[] rotated = Fixtures.withExifOrientation(stored, 6);

        // When it is validated
        ValidatedImage image = validator.validate(rotated);

        // Then the size is the displayed one and the picture matches the upright original
        assertEquals(6, image.header().orientation());
        assertEquals(512, image.header().displayWidth(), "displayed width");
        assertEquals(384, image.header().displayHeight(), "displayed height");
        int d = image.signature().distance(validator.validate(Fixtures.image("home.jpg")).signature());
        org.junit.jupiter.api.Assertions.assertTrue(d <= 8, "upright copy at distance " + d);
    }

    @Test
    void refusesJpegWithThousandsOfScansBeforeDecoding() {
        // Given a 80x80 grey JPEG header followed by 1000 one-byte scans (a progressive-decoding bomb)
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC2, 0, 11, 8, 0, 80, 0, 80, 1, 1, 0x11, 0});
        for (int i = 0; i < 1000; i++) {
            b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 0, 0, 0x00});
        }
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});

        // When it is validated, Then it is refused for its scan count
        ApiException e = assertThrows(ApiException.class, () -> validator.validate(b.toByteArray()));
        assertEquals("corrupt-image", e.code());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("scans"), e.getMessage());
    }
}
