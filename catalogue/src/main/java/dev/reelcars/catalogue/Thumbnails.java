package dev.reelcars.catalogue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Thumbnail;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.image.ImageFormat;
import dev.reelcars.platform.image.OpenCvNatives;
import dev.reelcars.platform.kafka.EventPublisher;
import dev.reelcars.platform.kafka.RecordHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thumbnails of the images the catalogue shows, made once: the first request for one decodes the image, scales it
 * to fit {@value #MAX_WIDTH}×{@value #MAX_HEIGHT}, stores the JPEG in the blob store (content-addressed) and
 * records source → thumbnail on the compacted thumbnails topic; every later request, on any instance and after any
 * restart, reads the stored one. Making is one at a time (a page of fifty new stills waits its turn rather than
 * taking every core), and only for images the catalogue shows.
 */
final class Thumbnails implements RecordHandler {
    private static final Logger log = LoggerFactory.getLogger(Thumbnails.class);
    static final int MAX_WIDTH = 480;
    static final int MAX_HEIGHT = 320;
    private static final int JPEG_QUALITY = 82;

    private final Map<String, Thumbnail> made = new ConcurrentHashMap<>();
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final String topic;
    private final Clock clock;
    private final Semaphore making = new Semaphore(1);

    Thumbnails(BlobStore blobs, EventPublisher publisher, String topic, Clock clock) {
        this.blobs = blobs;
        this.publisher = publisher;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null) {
            Thumbnail t = EventCodec.decode(record.value(), Thumbnail.class);
            made.put(t.sourceKey(), t);
        }
    }

    /** The thumbnail already made of this image, or null. */
    Thumbnail find(String sourceKey) {
        return made.get(sourceKey);
    }

    /**
     * The image's thumbnail, made now if it was not yet; null when the image cannot be decoded or the maker stayed
     * busy for {@code waitMillis} (the caller then serves the image itself).
     */
    Thumbnail thumbnailOf(String sourceKey, long waitMillis) throws InterruptedException {
        Thumbnail known = made.get(sourceKey);
        if (known != null) {
            return known;
        }
        if (!making.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        try {
            known = made.get(sourceKey);
            if (known != null) {
                return known;
            }
            Scaled scaled = scale(blobs.read(sourceKey));
            if (scaled == null) {
                return null;
            }
            Thumbnail t = new Thumbnail(Thumbnail.CURRENT_VERSION, sourceKey, blobs.put(scaled.jpeg()), "image/jpeg",
                    scaled.width(), scaled.height(), clock.instant());
            made.put(sourceKey, t);
            try {
                publisher.publish(topic, t);
            } catch (EventPublisher.Unavailable e) {
                // The thumbnail is stored and served; only this instance remembers it until a later request here or
                // elsewhere makes the same bytes (the same key) again and records it.
                log.warn("thumbnail of {} not recorded: {}", sourceKey, e.getMessage());
            }
            return t;
        } finally {
            making.release();
        }
    }

    record Scaled(byte[] jpeg, int width, int height) {
    }

    /** The image scaled to fit the thumbnail box (never enlarged) as a JPEG; null when it cannot be decoded. */
    static Scaled scale(byte[] image) {
        ImageFormat format = ImageFormat.sniff(image);
        if (format == null) {
            return null;
        }
        int[] size = headerSize(image);
        // A large JPEG is decoded at 1/2, 1/4 or 1/8 (libjpeg's DCT scaling): a 7000×7000 still costs little more
        // than a small one. The reduced image still covers the box, so the resize below only shrinks.
        int flags = Imgcodecs.IMREAD_COLOR;
        if (format == ImageFormat.JPEG && size != null) {
            int reduction = 1;
            while (reduction < 8 && size[0] / (reduction * 2) >= MAX_WIDTH
                    && size[1] / (reduction * 2) >= MAX_HEIGHT) {
                reduction *= 2;
            }
            flags = switch (reduction) {
                case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
                case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
                case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
                default -> Imgcodecs.IMREAD_COLOR;
            };
        } else if (format != ImageFormat.JPEG && size != null
                && (long) size[0] * size[1] > ImageFormat.MAX_FULL_DECODE_PIXELS) {
            // Decoded whole: ingest refuses such images, so only a hand-published one is this large.
            return null;
        }
        OpenCvNatives.load();
        MatOfByte encoded = new MatOfByte(image);
        Mat decoded = Imgcodecs.imdecode(encoded, flags);
        Mat small = new Mat();
        MatOfByte jpeg = new MatOfByte();
        try {
            if (decoded.empty()) {
                return null;
            }
            double scale = Math.min(1.0, Math.min(MAX_WIDTH / (double) decoded.cols(),
                    MAX_HEIGHT / (double) decoded.rows()));
            int w = Math.max(1, (int) Math.round(decoded.cols() * scale));
            int h = Math.max(1, (int) Math.round(decoded.rows() * scale));
            Imgproc.resize(decoded, small, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
            if (!Imgcodecs.imencode(".jpg", small, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY))) {
                return null;
            }
            return new Scaled(jpeg.toArray(), w, h);
        } finally {
            jpeg.release();
            small.release();
            decoded.release();
            encoded.release();
        }
    }

    /** {width, height} from the image's header alone, or null (WebP: ImageIO has no reader; OpenCV decodes it). */
    private static int[] headerSize(byte[] image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
