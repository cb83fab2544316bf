package dev.reelcars.catalogue;

import static dev.reelcars.catalogue.Events.candidate;
import static dev.reelcars.catalogue.Events.decision;
import static dev.reelcars.catalogue.Events.identification;
import static dev.reelcars.catalogue.Events.reference;
import static dev.reelcars.catalogue.Events.still;
import static dev.reelcars.events.ReviewDecision.Verdict.CONFIRM;
import static dev.reelcars.events.ReviewDecision.Verdict.REJECT;
import static dev.reelcars.events.ReviewDecision.Verdict.REOPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Identification;
import dev.reelcars.events.ReviewDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {
    private final Catalogue catalogue = new Catalogue(2);

    @Test
    void anIdentificationBecomesAnAppearanceOnlyWhenEnoughReviewersConfirmIt() {
        // Given a matched still
        catalogue.apply(identification(still("s1", "Bullitt", 1968, "01:27:43"),
                candidate("r1", "Ford Mustang GT", 0.3)));
        // When one reviewer confirms
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang GT", "r1", "alice", 1));
        // Then it is not yet an appearance
        assertEquals(0, catalogue.appearanceCount(), "one of two required confirmations");
        // When a second agrees
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang GT", "r1", "bob", 2));
        // Then it is
        Appearance a = catalogue.appearances(null, null).get(0);
        assertEquals("v-ford-mustang-gt", a.vehicleId());
        assertEquals("f-bullitt-1968", a.filmId());
        assertEquals(List.of("alice", "bob"), a.confirmedBy());
        assertEquals(Events.T0.plusSeconds(120), a.confirmedAt());
        assertEquals(Appearance.Prominence.FEATURED, a.prominence(), "the outline covers 30 % of the frame");
    }

    @Test
    void aRejectedOrDisputedMatchIsNoAppearance() {
        catalogue.apply(identification(still("s1", "Bullitt", 1968, null), candidate("r1", "Ford Mustang", 0.1)));
        catalogue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1));
        catalogue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2));
        catalogue.apply(identification(still("s2", "Bullitt", 1968, null), candidate("r1", "Ford Mustang", 0.1)));
        catalogue.apply(decision("s2", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        catalogue.apply(decision("s2", REJECT, "Ford Mustang", "r1", "bob", 2));
        assertEquals(0, catalogue.appearanceCount());
    }

    @Test
    void anAppearanceWhoseConfirmationIsReopenedLeavesAndStaysOutWhenReviewersThenRejectIt() {
        // Given a confirmed appearance
        catalogue.apply(identification(still("s1", "Bullitt", 1968, null), candidate("r1", "Ford Mustang", 0.1)));
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2));
        assertEquals(1, catalogue.appearanceCount());
        catalogue.drainChanged();
        // When a reviewer reopens it, it is no longer shown, and its vehicle and film are reindexed
        catalogue.apply(decision("s1", REOPEN, "Ford Mustang", "r1", "carol", 3));
        assertEquals(0, catalogue.appearanceCount(), "a reopened confirmation is not an appearance");
        Catalogue.Changes changes = catalogue.drainChanged();
        assertEquals(List.of("v-ford-mustang"), changes.vehicles());
        assertEquals(List.of("f-bullitt-1968"), changes.films());
        // And when two reviewers then reject it, it stays out
        catalogue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "alice", 4));
        catalogue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "carol", 5));
        assertEquals(0, catalogue.appearanceCount());
        assertTrue(catalogue.appearances(null, null).isEmpty());
    }

    @Test
    void decisionsBeforeTheirIdentificationCountTheSame() {
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2));
        assertEquals(0, catalogue.appearanceCount(), "nothing to show without the still");
        catalogue.apply(identification(still("s1", "Bullitt", 1968, null), candidate("r1", "Ford Mustang", 0.1)));
        assertEquals(1, catalogue.appearanceCount());
        assertEquals(Appearance.Prominence.MINOR, catalogue.appearances(null, null).get(0).prominence());
    }

    @Test
    void nearDuplicateStillsAreOneAppearanceWithAllTheirStills() {
        catalogue.apply(identification(still("s1", "Bullitt", 1968, "01:27:43"), candidate("r1", "Ford Mustang", .01)));
        catalogue.apply(identification(still("s2", "Bullitt", 1968, "01:27:44", "s1", Events.KEY),
                candidate("r1", "Ford Mustang", .01)));
        catalogue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        catalogue.apply(decision("s2", CONFIRM, "Ford Mustang", "r1", "bob", 2));
        List<Appearance> all = catalogue.appearances(null, null);
        assertEquals(1, all.size(), "a repeated shot is one appearance");
        assertEquals(List.of("s1", "s2"), all.get(0).stills());
        assertEquals("s1", all.get(0).stillId(), "the still of the first confirming vote is shown");
        assertEquals(Appearance.Prominence.BACKGROUND, all.get(0).prominence());
    }

    @Test
    void spellingsOfOneTitleAreOneFilmAndTheMostUsedSpellingNamesIt() {
        confirm("s1", "Amélie", 2001, "00:10:00", "Renault 4");
        confirm("s2", "AMELIE", 2001, "00:05:00", "Fiat 500");
        confirm("s3", "Amélie", 2001, "00:20:00", "Citroën 2CV");
        Catalogue.Film film = catalogue.film(Names.filmId("amelie", 2001)).orElseThrow();
        assertEquals("Amélie", film.title());
        assertEquals(List.of("Amélie", "AMELIE"), film.titles());
        assertEquals(List.of("Fiat 500", "Renault 4", "Citroën 2CV"),
                film.appearances().stream().map(Appearance::label).toList(), "timecode order");
    }

    @Test
    void betweenSpellingsUsedAsOftenTheOneWithAccentsAndNotInCapitalsNamesTheFilm() {
        confirm("s1", "AMELIE", 2001, "00:10:00", "Renault 4");
        confirm("s2", "Amelie", 2001, "00:05:00", "Fiat 500");
        confirm("s3", "Amélie", 2001, "00:20:00", "Citroën 2CV");
        assertEquals("Amélie", catalogue.film("f-amelie-2001").orElseThrow().title());
    }

    @Test
    void aVehicleTakesItsRecordFromItsReferencesAndListsItsFilmsByYear() {
        catalogue.applyReference("r1", reference("r1", "Ford Mustang GT", "Ford", "Mustang", 1968));
        confirm("s1", "Bullitt", 1968, "01:27:43", "Ford Mustang GT");
        confirm("s2", "Gone in 60 Seconds", 1974, "00:30:00", "ford mustang gt");
        Catalogue.Vehicle v = catalogue.vehicle("v-ford-mustang-gt").orElseThrow();
        assertEquals("Ford", v.details().make());
        assertEquals("Mustang", v.details().model());
        assertEquals(List.of("Bullitt", "Gone in 60 Seconds"), v.appearances().stream().map(Appearance::filmTitle)
                .toList());
        assertEquals(1968, v.firstSeen());
        assertEquals(1974, v.lastSeen());
        assertTrue(catalogue.shows(Events.REF_KEY) && catalogue.shows(Events.KEY));
    }

    @Test
    void aRetiredReferenceAndAnUnconfirmedStillAreNotShown() {
        catalogue.applyReference("r1", reference("r1", "Mini", "Austin", "Mini", 1965));
        catalogue.applyReference("r1", null);
        catalogue.apply(identification(still("s1", "The Italian Job", 1969, null), candidate("r1", "Mini", 0.2)));
        assertFalse(catalogue.shows(Events.REF_KEY));
        assertFalse(catalogue.shows(Events.KEY), "a still under review stays private");
        assertTrue(catalogue.vehicle("v-mini").isEmpty());
    }

    @Test
    void theChangesTellWhichVehiclesAndFilmsToReindex() {
        confirm("s1", "Bullitt", 1968, null, "Ford Mustang");
        Catalogue.Changes changes = catalogue.drainChanged();
        assertEquals(List.of("v-ford-mustang"), changes.vehicles());
        assertEquals(List.of("f-bullitt-1968"), changes.films());
        assertTrue(catalogue.drainChanged().isEmpty());
    }

    private void confirm(String stillId, String film, int year, String timecode, String label) {
        Identification id = identification(still(stillId, film, year, timecode), candidate("r-" + stillId, label, .1));
        catalogue.apply(id);
        for (String reviewer : List.of("alice", "bob")) {
            catalogue.apply(decision(stillId, ReviewDecision.Verdict.CONFIRM, label, "r-" + stillId, reviewer, 1));
        }
    }

    @Test
    void aFilmScansAppearancesKeepTheirInAndOutTimesAndAreNotJoinedByTheirFilm() {
        // Given two appearances of one car found by a film scan, ten minutes apart (their stills carry the scanned
        // film as clipId), and one of another car in between, each confirmed
        scanned("s-late", "Ford Mustang GT", 1800.0, 1812.5);
        scanned("s-early", "Ford Mustang GT", 1200.0, 1206.0);
        scanned("s-mid", "Dodge Charger", 1500.25, 1500.25);

        // Then the film lists three appearances in in-time order, each with its range
        List<Appearance> film = catalogue.film("f-night-road-1982").orElseThrow().appearances();
        assertEquals(List.of("a-s-early", "a-s-mid", "a-s-late"), film.stream().map(Appearance::id).toList());
        assertEquals(List.of("00:20:00", "00:25:00.250", "00:30:00"), film.stream().map(Appearance::timecode).toList());
        assertEquals(java.util.Arrays.asList("00:20:06", null, "00:30:12.500"),
                film.stream().map(Appearance::timecodeEnd).toList(), "an appearance of one instant has no end");
        assertEquals(2, catalogue.vehicle("v-ford-mustang-gt").orElseThrow().appearances().size(),
                "the same film is no clip: ten minutes apart is two appearances");

        // And a scan's appearance that ends within 5 s of the next one's start is one shot with both ranges
        scanned("s-later", "Ford Mustang GT", 1815.0, 1830.0);
        Appearance joined = catalogue.vehicle("v-ford-mustang-gt").orElseThrow().appearances().get(1);
        assertEquals(List.of("00:30:00", "00:30:30"), List.of(joined.timecode(), joined.timecodeEnd()));
        assertEquals(List.of("s-late", "s-later"), joined.stills());
    }

    /** A film scan's appearance of {@code label} from {@code in} to {@code out} s, confirmed by two reviewers. */
    private void scanned(String stillId, String label, double in, double out) {
        var still = new dev.reelcars.events.StillSubmitted(2, stillId, Events.KEY, "image/jpeg", 320, 200,
                "Night Road", 1982, Appearance.timecodeOf((in + out) / 2), "film scan", "ana", "film-night-road", null,
                Events.T0, new dev.reelcars.events.StillSubmitted.FilmRange("film-night-road", in, out));
        catalogue.apply(identification(still, candidate(Names.vehicleId(label), label, 0.1)));
        catalogue.apply(decision(stillId, CONFIRM, label, Names.vehicleId(label), "alice", 1));
        catalogue.apply(decision(stillId, CONFIRM, label, Names.vehicleId(label), "bob", 2));
    }
}
