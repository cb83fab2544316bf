package dev.reelcars.catalogue;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.CatalogueEdit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Events and images made in the test: the catalogue's whole input is these three kinds of event. */
final class Events {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final String KEY = "a".repeat(64);
    static final String REF_KEY = "b".repeat(64);

    private Events() {
    }

    static StillSubmitted still(String stillId, String film, Integer year, String timecode, String duplicateOf,
            String blobKey) {
        return new StillSubmitted(1, stillId, blobKey, "image/png", 320, 200, film, year, timecode, "chase scene",
                "zoe", null, duplicateOf, T0);
    }

    static StillSubmitted still(String stillId, String film, Integer year, String timecode) {
        return still(stillId, film, year, timecode, null, KEY);
    }

    /** A frame ingest took from a clip. */
    static StillSubmitted frame(String stillId, String clipId, String film, Integer year, String timecode) {
        return new StillSubmitted(1, stillId, KEY, "image/png", 320, 200, film, year, timecode, null, "zoe", clipId,
                null, T0);
    }

    /** A reviewer's edit; {@code fields} alternate names and values (a null value clears the field). */
    static CatalogueEdit edit(String editId, CatalogueEdit.Kind kind, String target, String into, String... fields) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            f.put(fields[i], fields[i + 1]);
        }
        return new CatalogueEdit(1, editId, kind, target, f, into, null, "rita", T0.plusSeconds(3600), null);
    }

    /** A match whose outline covers {@code share} of the 320x200 still. */
    static Candidate candidate(String referenceId, String label, double share) {
        double side = Math.sqrt(share * 320 * 200);
        return new Candidate(referenceId, label, REF_KEY, 0.9, 42,
                List.of(new Point(0, 0), new Point(side, 0), new Point(side, side), new Point(0, side)), List.of());
    }

    static Identification identification(StillSubmitted still, Candidate... candidates) {
        return new Identification(1, still.stillId(), still, List.of(candidates), List.of(), 10, 1234, "identify",
                T0.plusSeconds(1));
    }

    static ReviewDecision decision(String stillId, ReviewDecision.Verdict verdict, String label, String referenceId,
            String reviewer, int minute) {
        return new ReviewDecision(1, "d-" + stillId + "-" + reviewer + "-" + minute + "-" + verdict, stillId,
                verdict, label, referenceId, reviewer, T0.plusSeconds(60L * minute));
    }

    static ReferenceAdded reference(String referenceId, String label, String make, String model, Integer year) {
        return reference(referenceId, label, make, model, year, REF_KEY);
    }

    static ReferenceAdded reference(String referenceId, String label, String make, String model, Integer year,
            String blobKey) {
        return new ReferenceAdded(1, referenceId, label, make, model, year, blobKey, "image/png", 240, 160, "upload",
                null, T0);
    }

    /** A small PNG: a coloured rectangle ("the car") on a grey background. */
    static byte[] png(int width, int height, Color car) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(car);
        g.fillRect(width / 8, height / 6, width * 5 / 8, height * 3 / 5);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
