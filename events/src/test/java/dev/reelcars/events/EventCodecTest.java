package dev.reelcars.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    static final String KEY = "a".repeat(64);
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    static StillSubmitted still() {
        return new StillSubmitted(1, "still-1", KEY, "image/jpeg", 1280, 720, "Pulgasari <b>", 1985, "00:12:03",
                null, "anonymous", null, null, T);
    }

    @Test
    void roundTripsEveryEvent() {
        Candidate candidate = new Candidate("ref-1", "Paektusan", KEY, 0.93, 41,
                List.of(new Point(1, 2), new Point(3, 2), new Point(3, 4), new Point(1, 4)),
                List.of(new Candidate.PointPair(new Point(1, 1), new Point(5, 5))));
        List<Event> events = List.of(
                still(),
                new ReferenceAdded(1, "ref-1", "Paektusan", "Sungri", "Paektusan", 1980, KEY, "image/png", 400, 300,
                        "demo", null, T),
                new Identification(1, "still-1", still(), List.of(candidate), List.of(candidate), 12, 4200, "identify-1", T),
                new Identification(1, "still-2", still(), List.of(new Candidate("ref-2", "Volga", KEY, 0.81, 7,
                        candidate.outline(), candidate.inlierPairs(), Candidate.PLATE)), List.of(), 12, 900,
                        "identify-1", T),
                new Identification(1, "still-3", still(), List.of(new Candidate("ref-2", "Volga", KEY, 0.81, 7,
                        candidate.outline(), candidate.inlierPairs(), Candidate.FEATURES, Candidate.MODEL)),
                        List.of(candidate), 12, 900, "identify-1", T),
                new ReviewDecision(1, "dec-1", "still-1", ReviewDecision.Verdict.CONFIRM, "Paektusan", "ref-1",
                        "alice", T));
        for (Event event : events) {
            Event back = EventCodec.decode(EventCodec.encode(event), event.getClass());
            assertEquals(event, back, event.getClass().getSimpleName() + " survives encode/decode");
        }
    }

    @Test
    void ignoresFieldsAddedByANewerProducerOfTheSameVersion() {
        String json = new String(EventCodec.encode(still()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");
        assertEquals(still(), EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), StillSubmitted.class));
    }

    @Test
    void readsAVersionOneStillWrittenWithoutTheOptionalFields() {
        // The smallest still a version-1 producer could write: optional metadata absent, not null.
        String v1 = "{\"schemaVersion\":1,\"stillId\":\"s-9\",\"blobKey\":\"" + KEY + "\",\"contentType\":\"image/png\","
                + "\"width\":10,\"height\":20,\"submittedAt\":\"2026-01-01T00:00:00Z\"}";
        StillSubmitted s = EventCodec.decode(v1.getBytes(StandardCharsets.UTF_8), StillSubmitted.class);
        assertEquals("s-9", s.stillId());
        assertEquals(null, s.film(), "absent optional fields read as null");
    }

    @Test
    void aFilmScansStillCarriesItsFilmAndInAndOutTimesAsVersionTwo() {
        StillSubmitted scanned = new StillSubmitted(StillSubmitted.CURRENT_VERSION, "still-film-1", KEY, "image/jpeg",
                1280, 720, "Night Road", 1982, "00:41:07.500", "film scan", "ana", "film-abc", null, T,
                new StillSubmitted.FilmRange("film-abc", 2465.0, 2471.25));
        String json = new String(EventCodec.encode(scanned), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"schemaVersion\":2"), json);
        assertTrue(json.contains("\"filmRange\":{\"filmId\":\"film-abc\",\"inSeconds\":2465.0,\"outSeconds\":2471.25}"),
                json);
        assertEquals(scanned, EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), StillSubmitted.class));
        // Inside an identification too (the catalogue reads the still from there)
        Identification id = new Identification(1, "still-film-1", scanned, List.of(), List.of(), 12, 900, "i", T);
        assertEquals(scanned.filmRange(), EventCodec.decode(EventCodec.encode(id), Identification.class).still()
                .filmRange());
    }

    @Test
    void aVersionOneStillWrittenBeforeFilmRangesExistedReadsWithoutOne() {
        // Exactly what a version-1 producer wrote: no filmRange field at all.
        String v1 = "{\"schemaVersion\":1,\"stillId\":\"still-1\",\"blobKey\":\"" + KEY + "\","
                + "\"contentType\":\"image/jpeg\",\"width\":1280,\"height\":720,\"film\":\"Pulgasari <b>\","
                + "\"year\":1985,\"timecode\":\"00:12:03\",\"note\":null,\"contributor\":\"anonymous\","
                + "\"clipId\":null,\"duplicateOf\":null,\"submittedAt\":\"2026-11-28T10:00:00Z\"}";
        StillSubmitted s = EventCodec.decode(v1.getBytes(StandardCharsets.UTF_8), StillSubmitted.class);
        assertEquals(still(), s);
        assertEquals(null, s.filmRange());
        assertEquals(1, s.schemaVersion());
        // A range that makes no sense is refused as poison
        String backwards = new String(EventCodec.encode(new StillSubmitted(2, "s-2", KEY, "image/jpeg", 10, 10, null,
                null, null, null, null, null, null, T, new StillSubmitted.FilmRange("film-a", 1, 2))),
                StandardCharsets.UTF_8).replace("\"inSeconds\":1.0", "\"inSeconds\":5.0");
        assertEquals("invalid-event", assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode(backwards.getBytes(StandardCharsets.UTF_8), StillSubmitted.class)).reason());
    }

    @Test
    void readsACandidateWrittenBeforeEvidenceExistedAsFoundByFeatures() {
        // A candidate as identify wrote it before the optional evidence field was added.
        Candidate now = new Candidate("ref-1", "Paektusan", KEY, 0.93, 41, List.of(), List.of());
        String json = new String(EventCodec.encode(new Identification(1, "still-1", still(), List.of(now), List.of(),
                12, 4200, "identify-1", T)), StandardCharsets.UTF_8).replace(",\"evidence\":\"features\"", "");
        assertTrue(!json.contains("evidence"), "the old form has no such field: " + json);
        Identification old = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), Identification.class);
        assertEquals(Candidate.FEATURES, old.candidates().get(0).evidence(), "absent evidence reads as features");
    }

    @Test
    void aCandidateWithoutAnAnswerKindIsWrittenWithoutTheFieldAndReadsAsAbsent() {
        // A near miss makes no claim, and a candidate written before the field existed has none either.
        Candidate nearMiss = new Candidate("ref-1", "Paektusan", KEY, 0.43, 12, List.of(), List.of());
        String json = new String(EventCodec.encode(new Identification(1, "still-1", still(), List.of(), List.of(nearMiss),
                12, 4200, "identify-1", T)), StandardCharsets.UTF_8);
        assertTrue(!json.contains("answer"), "no answer field is written for a candidate without one: " + json);
        Identification back = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), Identification.class);
        assertEquals(null, back.nearMisses().get(0).answer(), "absent answer reads as null");
        Candidate vehicle = new Candidate("ref-1", "Paektusan", KEY, 0.93, 41, List.of(), List.of(), Candidate.FEATURES,
                Candidate.VEHICLE);
        assertTrue(new String(EventCodec.encode(new Identification(1, "still-1", still(), List.of(vehicle), List.of(),
                12, 4200, "identify-1", T)), StandardCharsets.UTF_8).contains("\"answer\":\"vehicle\""));
    }

    @Test
    void refusesAnAnswerKindItDoesNotKnow() {
        assertThrows(IllegalArgumentException.class, () -> new Candidate("ref-1", "Paektusan", KEY, 0.93, 41, List.of(),
                List.of(), Candidate.FEATURES, "colour"));
    }

    @Test
    void refusesAnEvidenceKindItDoesNotKnow() {
        assertThrows(IllegalArgumentException.class,
                () -> new Candidate("ref-1", "Paektusan", KEY, 0.93, 41, List.of(), List.of(), "ouija"));
    }

    @Test
    void readsAnIdentificationWrittenBeforeNearMissesExistedAsHavingNone() {
        // An identification as identify wrote it before the optional nearMisses field was added.
        String json = new String(EventCodec.encode(new Identification(1, "still-1", still(), List.of(), List.of(), 12,
                4200, "identify-1", T)), StandardCharsets.UTF_8).replace(",\"nearMisses\":[]", "");
        assertTrue(!json.contains("nearMisses"), "the old form has no such field: " + json);
        Identification old = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), Identification.class);
        assertEquals(List.of(), old.nearMisses(), "absent near misses read as none");
        assertEquals(List.of(), old.candidates());
    }

    @Test
    void refusesASchemaVersionNewerThanItUnderstandsAsPoison() {
        String json = new String(EventCodec.encode(still()), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":99");
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), StillSubmitted.class));
        assertEquals("unsupported-schema-version", e.reason());
    }

    @Test
    void refusesInvalidJsonAndInvalidFieldsAsPoisonWithDistinctReasons() {
        assertEquals("invalid-json", assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode("{not json".getBytes(StandardCharsets.UTF_8), StillSubmitted.class)).reason());
        assertEquals("missing-schema-version", assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode("{}".getBytes(StandardCharsets.UTF_8), StillSubmitted.class)).reason());
        String badKey = new String(EventCodec.encode(still()), StandardCharsets.UTF_8).replace(KEY, "../../etc/passwd");
        assertEquals("invalid-event", assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode(badKey.getBytes(StandardCharsets.UTF_8), StillSubmitted.class)).reason());
        assertEquals("empty-value", assertThrows(PoisonRecordException.class,
                () -> EventCodec.decode(null, StillSubmitted.class)).reason());
    }
}
