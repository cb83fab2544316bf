package dev.reelcars.notify;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;

/** Events and images made in the test, so no test reads anything from outside the repository. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final String KEY = "a".repeat(64);

    private Fixtures() {
    }

    static StillSubmitted still(String stillId, String film, String contributor, String duplicateOf, String blobKey) {
        return new StillSubmitted(1, stillId, blobKey, "image/png", 320, 200, film, 1968, "01:02:03", "a note",
                contributor, null, duplicateOf, T0);
    }

    static StillSubmitted still(String stillId, String film) {
        return still(stillId, film, "someone", null, KEY);
    }

    static Candidate candidate(String referenceId, String label, double confidence) {
        return candidate(referenceId, label, confidence, KEY);
    }

    static Candidate candidate(String referenceId, String label, double confidence, String refBlobKey) {
        return new Candidate(referenceId, label, refBlobKey, confidence, 42,
                List.of(new Point(40, 30), new Point(200, 30), new Point(200, 150), new Point(40, 150)),
                List.of(new Candidate.PointPair(new Point(60, 50), new Point(20, 20)),
                        new Candidate.PointPair(new Point(180, 140), new Point(150, 110))));
    }

    /** A candidate found on the number plate's characters alone (identify's plate channel). */
    static Candidate plateCandidate(String referenceId, String label, double confidence, String refBlobKey) {
        Candidate c = candidate(referenceId, label, confidence, refBlobKey);
        return new Candidate(referenceId, label, refBlobKey, confidence, 7, c.outline(), c.inlierPairs(),
                Candidate.PLATE);
    }

    static Identification identification(StillSubmitted still, Instant at, Candidate... candidates) {
        return new Identification(1, still.stillId(), still, List.of(candidates), List.of(), 10, 1234, "identify-test", at);
    }

    /** An identification with no match but near misses: verified references below identify's threshold. */
    static Identification nearMissesOnly(StillSubmitted still, Instant at, Candidate... nearMisses) {
        return new Identification(1, still.stillId(), still, List.of(), List.of(nearMisses), 10, 1234, "identify-test",
                at);
    }

    static ReviewDecision decision(String stillId, ReviewDecision.Verdict verdict, String label, String referenceId,
            String reviewer, int minute) {
        return new ReviewDecision(1, "d-" + UUID.randomUUID(), stillId, verdict, label, referenceId, reviewer,
                T0.plusSeconds(60L * minute));
    }

    static ReferenceAdded reference(String referenceId, String label) {
        return new ReferenceAdded(1, referenceId, label, null, null, null, KEY, "image/png", 10, 10, "upload", null, T0);
    }

    /** A small PNG: a coloured rectangle ("the car") on a grey background. */
    static byte[] png(int width, int height, Color car) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(car);
        g.fillRect(width / 8, height / 6, width * 5 / 8, height * 3 / 5);
        g.setColor(Color.BLACK);
        g.fillOval(width / 6, height * 2 / 3, width / 8, width / 8);
        g.fillOval(width * 7 / 12, height * 2 / 3, width / 8, width / 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
