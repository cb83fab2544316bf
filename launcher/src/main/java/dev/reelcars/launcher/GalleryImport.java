package dev.reelcars.launcher;

import dev.reelcars.accounts.AuditEvent;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.identify.matcher.ImageFolders;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.image.ImageFormat;
import dev.reelcars.platform.image.OpenCvNatives;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.TopicAdmin;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * {@code java -jar reelcars.jar gallery import DIR [--as NAME]}: an operator imports a seed gallery in bulk, from a
 * folder laid out as for {@code match --gallery} ({@code DIR/<label>/<image>} or {@code DIR/<label>.<ext>}). Each
 * view is published straight to the references topic (the gallery's source of truth: whoever can write to Kafka is
 * already trusted) with source {@code import}, and one audit event records who imported what. A view's id is derived
 * from its label and bytes, so importing the same folder again rewrites the same keys.
 */
final class GalleryImport {
    private final Common common;
    private final BlobStore blobs;
    private final Clock clock;
    private final PrintStream out;

    GalleryImport(Common common, BlobStore blobs, Clock clock, PrintStream out) {
        this.common = common;
        this.blobs = blobs;
        this.clock = clock;
        this.out = out;
    }

    /** Returns the process exit code: 0 done, 1 some files unreadable, 2 usage. */
    int run(Path dir, String actor) throws Exception {
        if (!Files.isDirectory(dir)) {
            out.println("not a directory: " + dir);
            return 2;
        }
        OpenCvNatives.load();
        int published = 0;
        int skipped = 0;
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(common.kafka(), "gallery-import")) {
            for (ImageFolders.Reference r : ImageFolders.gallery(dir)) {
                byte[] bytes = Files.readAllBytes(r.path());
                ImageFormat format = ImageFormat.sniff(bytes);
                int[] size = format == null ? null : size(bytes);
                if (size == null) {
                    out.println("skipped (not a JPEG, PNG, WebP or BMP image we can decode): " + r.path());
                    skipped++;
                    continue;
                }
                String key = blobs.put(bytes);
                String id = "import-" + BlobStore.keyOf((r.label() + "\n" + key).getBytes(StandardCharsets.UTF_8))
                        .substring(0, 32);
                ReferenceAdded ref = new ReferenceAdded(ReferenceAdded.CURRENT_VERSION, id, r.label(), null, null,
                        null, key, format.mediaType(), size[0], size[1], "import", null, clock.instant());
                producer.send(new ProducerRecord<>(common.topics().references(), ref.key(), EventCodec.encode(ref)))
                        .get(30, TimeUnit.SECONDS);
                published++;
            }
            AuditEvent audit = new AuditEvent(AuditEvent.CURRENT_VERSION, "audit-" + UUID.randomUUID(),
                    "reference.import", actor, "cli", dir.toAbsolutePath().toString(),
                    Map.of("published", String.valueOf(published), "skipped", String.valueOf(skipped)),
                    clock.instant());
            producer.send(new ProducerRecord<>(common.topics().audit(), audit.key(), EventCodec.encode(audit)))
                    .get(30, TimeUnit.SECONDS);
        }
        out.println("imported " + published + " reference views from " + dir + (skipped > 0 ? "; skipped "
                + skipped : ""));
        return skipped > 0 ? 1 : 0;
    }

    /** Width and height, or null when OpenCV cannot decode the bytes. */
    private static int[] size(byte[] bytes) {
        MatOfByte buffer = new MatOfByte(bytes);
        Mat image = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_UNCHANGED);
        try {
            return image.empty() ? null : new int[] {image.cols(), image.rows()};
        } finally {
            image.release();
            buffer.release();
        }
    }

    static int main(Common common, BlobStore blobs, java.util.List<String> args, PrintStream out)
            throws Exception {
        if (args.size() < 2 || !args.get(0).equals("import")) {
            out.println("usage: java -jar reelcars.jar gallery import DIR [--as NAME]");
            return 2;
        }
        String actor = "cli:" + System.getProperty("user.name", "operator");
        if (args.size() >= 4 && args.get(2).equals("--as")) {
            actor = args.get(3);
        }
        TopicAdmin.ensureTopics(common.kafka(), common.topics(), 60_000);
        return new GalleryImport(common, blobs, Clock.systemUTC(), out).run(Path.of(args.get(1)), actor);
    }
}
