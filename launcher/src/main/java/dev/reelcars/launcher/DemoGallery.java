package dev.reelcars.launcher;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled demo gallery (a few freely licensed vehicle photos, see {@code demo-gallery/LICENSES.md}), published
 * to the references topic on first start so a new user can upload a still and get a match at once. Reference ids
 * are fixed ({@code demo-<file stem>}), so publishing twice only rewrites the same keys of the compacted topic.
 */
final class DemoGallery {
    private static final Logger log = LoggerFactory.getLogger(DemoGallery.class);
    private static final String ROOT = "/demo-gallery/";

    private DemoGallery() {
    }

    /**
     * Entries of {@code gallery.tsv}: the vehicle's make, model, year, variant and the model's production years where
     * the photo's vehicle is known (blank otherwise).
     */
    record Entry(String file, String label, String make, String model, Integer year, String variant,
            Integer yearFrom, Integer yearTo) {
    }

    static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        String tsv = new String(resource("gallery.tsv"), StandardCharsets.UTF_8);
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("file\t")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            entries.add(new Entry(f[0], f[1], blankToNull(f[2]), blankToNull(f[3]), year(f[4]), blankToNull(f[5]),
                    year(f[6]), year(f[7])));
        }
        return entries;
    }

    /** Publishes the gallery unless the marker says it was published from this data directory before. */
    static int seedOnce(Path dataDir, KafkaSettings kafka, String referencesTopic, BlobStore blobs, Clock clock) {
        Path marker = dataDir.resolve("demo-gallery.published");
        if (Files.exists(marker)) {
            return 0;
        }
        int published = 0;
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "demo-gallery")) {
            for (Entry e : entries()) {
                byte[] bytes = resource(e.file());
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
                String contentType = e.file().endsWith(".png") ? "image/png" : "image/jpeg";
                String id = "demo-" + e.file().substring(0, e.file().lastIndexOf('.'));
                ReferenceAdded ref = new ReferenceAdded(ReferenceAdded.CURRENT_VERSION, id, e.label(), e.make(),
                        e.model(), e.year(), blobs.put(bytes), contentType, image.getWidth(), image.getHeight(),
                        "demo", null, clock.instant(), e.variant(), e.yearFrom(), e.yearTo());
                producer.send(new ProducerRecord<>(referencesTopic, ref.key(), EventCodec.encode(ref)))
                        .get(30, TimeUnit.SECONDS);
                published++;
            }
            Files.createDirectories(dataDir);
            Files.writeString(marker, clock.instant() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the demo gallery", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the demo gallery", e);
        }
        log.info("published the demo gallery: {} reference views", published);
        return published;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoGallery.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("demo gallery resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer year(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
