package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.image.ImageFormat;
import dev.reelcars.platform.image.OpenCvNatives;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Checks an uploaded image before anything is stored or published, cheapest check first, so hostile input is
 * refused before it costs memory: byte cap, magic-byte type, pixel cap from the header (never decoding a bomb),
 * structure (truncation, bad CRC, bytes after the end marker), and finally a real decode.
 */
final class ImageValidator {
    /**
     * The smallest width and height accepted: the matcher finds too few features in a vehicle under about 64 pixels
     * across, and a frame smaller than that holds nothing larger.
     */
    static final int MIN_SIDE = 64;

    private final long maxBytes;
    private final long maxPixels;
    private final boolean stripTrailing;
    private final Semaphore decodes;
    private final int retryAfterSeconds;

    /** Refuses bytes after the image's end marker (the default policy). */
    ImageValidator(long maxBytes, long maxPixels) {
        this(maxBytes, maxPixels, false);
    }

    ImageValidator(long maxBytes, long maxPixels, boolean stripTrailing) {
        this(maxBytes, maxPixels, stripTrailing, Integer.MAX_VALUE, 1);
    }

    /**
     * @param stripTrailing when true, bytes after the image's end marker are cut off (the stored blob is the image
     *     alone); when false they are refused with 422 {@code trailing-data}. Zero padding is always cut off.
     * @param maxConcurrentDecodes decodes allowed at once: each may take up to {@code maxPixels} bytes and a core,
     *     so many large uploads at once queue here instead of exhausting memory (503 {@code busy} after 30 s)
     * @param retryAfterSeconds the Retry-After of that 503
     */
    ImageValidator(long maxBytes, long maxPixels, boolean stripTrailing, int maxConcurrentDecodes,
            int retryAfterSeconds) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.stripTrailing = stripTrailing;
        this.decodes = new Semaphore(maxConcurrentDecodes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The image as it will be stored: exactly the bytes from its start to its end marker. */
    ValidatedImage validate(byte[] upload) {
        Inspected inspected = inspect(upload);
        byte[] bytes = inspected.end() == upload.length ? upload : Arrays.copyOf(upload, inspected.end());
        try {
            if (!decodes.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new ApiException(503, "busy", "too many images are being decoded; try again shortly",
                        retryAfterSeconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", "interrupted while waiting to decode", retryAfterSeconds);
        }
        try {
            return decodeAndSign(bytes, inspected.header());
        } finally {
            decodes.release();
        }
    }

    /** The header and where the image ends in the upload. */
    record Inspected(ImageHeader header, int end) {
    }

    /** Every check except the decode: what can be learnt from the bytes without allocating pixels. */
    Inspected inspect(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ApiException(400, ImageRejected.EMPTY_FILE, "the uploaded file is empty");
        }
        if (bytes.length > maxBytes) {
            throw new ApiException(413, ImageRejected.FILE_TOO_LARGE,
                    "the image has " + bytes.length + " bytes; the limit is " + maxBytes);
        }
        ImageFormat type = ImageFormat.sniff(bytes);
        if (type == null) {
            throw new ApiException(415, ImageRejected.UNSUPPORTED_TYPE,
                    "not a JPEG, PNG, WebP or BMP image (judged by its first bytes, not its name)");
        }
        ImageHeader header;
        try {
            header = switch (type) {
                case PNG -> PngFormat.header(bytes);
                case JPEG -> JpegFormat.header(bytes);
                case WEBP -> WebpFormat.header(bytes);
                case BMP -> BmpFormat.header(bytes);
            };
        } catch (IndexOutOfBoundsException e) {
            throw ImageRejected.truncated(type.name() + " ends inside its header");
        }
        if (header.width() < MIN_SIDE || header.height() < MIN_SIDE) {
            throw new ApiException(422, ImageRejected.TOO_SMALL, "the image is " + header.width() + "x"
                    + header.height() + " pixels; a still must be at least " + MIN_SIDE + " pixels on each side to"
                    + " hold a recognisable vehicle");
        }
        if (!type.decodesReduced() && header.pixels() > ImageFormat.MAX_FULL_DECODE_PIXELS) {
            throw new ApiException(413, ImageRejected.TOO_MANY_PIXELS, "the " + type.name() + " image is "
                    + header.width() + "x" + header.height() + " (" + header.pixels() + " pixels); a " + type.name()
                    + " may have at most " + ImageFormat.MAX_FULL_DECODE_PIXELS + " pixels (1920x1080): send a larger"
                    + " picture as JPEG, or scale it down");
        }
        if (header.pixels() > maxPixels) {
            throw new ApiException(413, ImageRejected.TOO_MANY_PIXELS, "the image is " + header.width() + "x"
                    + header.height() + " (" + header.pixels() + " pixels); the limit is " + maxPixels + " pixels");
        }
        int end;
        try {
            end = switch (type) {
                case PNG -> PngFormat.checkComplete(bytes);
                case JPEG -> JpegFormat.checkComplete(bytes);
                case WEBP -> WebpFormat.checkComplete(bytes);
                case BMP -> BmpFormat.checkComplete(bytes);
            };
        } catch (IndexOutOfBoundsException e) {
            throw ImageRejected.truncated(type.name() + " is cut off");
        }
        if (!stripTrailing && !zeros(bytes, end)) {
            throw ImageRejected.trailing((bytes.length - end) + " bytes follow the " + type.name()
                    + " image's end (a polyglot or a damaged file); only the image itself is accepted");
        }
        return new Inspected(header, end);
    }

    private static boolean zeros(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static ValidatedImage decodeAndSign(byte[] bytes, ImageHeader header) {
        OpenCvNatives.load();
        MatOfByte buffer = new MatOfByte(bytes);
        Mat gray = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_GRAYSCALE);
        try {
            if (gray.empty()) {
                throw new ApiException(422, ImageRejected.UNDECODABLE_IMAGE,
                        "the " + header.type().name() + " image cannot be decoded");
            }
            // OpenCV applies the EXIF orientation, so the decoded size is the displayed one.
            if (gray.cols() != header.displayWidth() || gray.rows() != header.displayHeight()) {
                throw ImageRejected.corrupt("the header says " + header.displayWidth() + "x"
                        + header.displayHeight() + " but the image decodes to " + gray.cols() + "x" + gray.rows());
            }
            var content = ImageSignature.content(gray);
            ContentBox box = content.width == gray.cols() && content.height == gray.rows() ? null
                    : new ContentBox(content.x, content.y, content.width, content.height);
            return new ValidatedImage(bytes, header, ImageSignature.of(gray), box);
        } finally {
            gray.release();
            buffer.release();
        }
    }
}
