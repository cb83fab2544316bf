package dev.reelcars.catalogue;

import static dev.reelcars.catalogue.Events.candidate;
import static dev.reelcars.catalogue.Events.decision;
import static dev.reelcars.catalogue.Events.edit;
import static dev.reelcars.catalogue.Events.frame;
import static dev.reelcars.catalogue.Events.identification;
import static dev.reelcars.catalogue.Events.reference;
import static dev.reelcars.catalogue.Events.still;
import static dev.reelcars.events.CatalogueEdit.Kind.FILM;
import static dev.reelcars.events.CatalogueEdit.Kind.FILM_MERGE;
import static dev.reelcars.events.CatalogueEdit.Kind.PROMINENCE;
import static dev.reelcars.events.CatalogueEdit.Kind.VEHICLE;
import static dev.reelcars.events.CatalogueEdit.Kind.VEHICLE_MERGE;
import static dev.reelcars.events.CatalogueEdit.Kind.VEHICLE_UNMERGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Reviewers' edits folded into the catalogue: overrides, merges and renames, undo, shots, anachronisms. */
class CatalogueEditsTest {
    private final Catalogue catalogue = new Catalogue(2);

    @Test
    void aReviewersProminenceWinsAndClearingItBringsBackTheSuggestion() {
        confirm(still("s1", "Bullitt", 1968, "01:27:43"), "Ford Mustang", .3);
        assertEquals(Appearance.Prominence.FEATURED, only().prominence(), "suggested from the outline");

        catalogue.apply(edit("e1", PROMINENCE, "a-s1", null, "prominence", "background"));
        assertEquals(Appearance.Prominence.BACKGROUND, only().prominence());

        catalogue.apply(edit("e2", PROMINENCE, "a-s1", null, "prominence", null));
        assertEquals(Appearance.Prominence.FEATURED, only().prominence());
    }

    @Test
    void aVehiclesRecordTakesTheReviewersFieldsOverItsReferencesAndFlagsAFilmOlderThanTheModel() {
        catalogue.applyReference("r1", reference("r1", "Paektusan", "Sungri", null, 1975));
        confirm(still("s1", "Uliga Saneun Geoli", 1980, "00:10:00"), "Paektusan", .2);
        assertFalse(details().anachronism(1980), "1980 is after the reference's 1975");

        catalogue.apply(edit("e1", VEHICLE, "v-paektusan", null, "make", "Paektusan", "model", "2-2-3706",
                "variant", "saloon", "yearFrom", "1982", "country", "North Korea", "scope", "vehicle", "notes",
                "registration 2-2-3706"));
        Catalogue.Details d = details();
        assertEquals(List.of("Paektusan", "2-2-3706", "saloon", "North Korea", "vehicle", "registration 2-2-3706"),
                List.of(d.make(), d.model(), d.variant(), d.country(), d.scope(), d.notes()));
        assertEquals(1982, d.yearFrom(), "the reviewer's production year wins over the reference's");
        assertTrue(d.anachronism(1980), "a 1980 film shows a vehicle made from 1982");

        catalogue.apply(edit("e2", VEHICLE, "v-paektusan", null, "yearFrom", null, "make", null));
        assertEquals(1975, details().yearFrom(), "cleared: the reference's year again");
        assertEquals("Sungri", details().make());
    }

    @Test
    void aMergedVehicleResolvesToTheOneItJoinedAndItsUndoSplitsThemAgain() {
        confirm(still("s1", "Bullitt", 1968, "01:00:00"), "Mustang GT", .2);
        confirm(still("s2", "Vanishing Point", 1971, "00:20:00"), "Ford Mustang GT", .2);
        catalogue.drainChanged();

        catalogue.apply(edit("e1", VEHICLE_MERGE, "v-mustang-gt", "v-ford-mustang-gt"));

        assertEquals("v-ford-mustang-gt", catalogue.canonicalVehicle("v-mustang-gt"));
        assertTrue(catalogue.vehicle("v-mustang-gt").isEmpty(), "the old id is an alias, not a vehicle");
        Catalogue.Vehicle v = catalogue.vehicle("v-ford-mustang-gt").orElseThrow();
        assertEquals(List.of("Bullitt", "Vanishing Point"), v.appearances().stream().map(Appearance::filmTitle)
                .toList());
        assertEquals(List.of("v-mustang-gt"), v.aliases());
        assertEquals(List.of("v-ford-mustang-gt", "v-ford-mustang-gt"), catalogue.appearances("v-mustang-gt", null)
                .stream().map(Appearance::vehicleId).toList(), "the export under the old id reads the merged one");
        assertTrue(catalogue.drainChanged().vehicles().containsAll(List.of("v-mustang-gt", "v-ford-mustang-gt")),
                "both are re-indexed: the alias leaves the index");

        // Undo is a new edit, built from what the merge replaced
        Edits.Applied merge = catalogue.edit("e1");
        catalogue.apply(new CatalogueEdit(1, "e2", merge.inverseKind(), merge.inverseTarget(),
                merge.inverseFields(), merge.inverseInto(), "e1", "sam", Events.T0, "not the same car"));
        assertEquals(VEHICLE_UNMERGE, merge.inverseKind());
        assertEquals("v-mustang-gt", catalogue.canonicalVehicle("v-mustang-gt"));
        assertEquals(1, catalogue.vehicle("v-mustang-gt").orElseThrow().appearances().size());
        assertEquals(2, catalogue.editsOf("v-mustang-gt").size(), "the merge and its undo, with who and when");
    }

    @Test
    void aRenameKeepsTheOldIdResolvableAndRenamingBackMakesNoCycle() {
        catalogue.applyReference("r1", reference("r1", "Pobeda", "GAZ", "M20", 1946));
        confirm(still("s1", "The Cranes Are Flying", 1957, "00:30:00"), "Pobeda", .2);

        catalogue.apply(edit("e1", VEHICLE_MERGE, "v-pobeda", "v-gaz-m20-pobeda", "label", "GAZ-M20 Pobeda"));
        Catalogue.Vehicle v = catalogue.vehicle("v-gaz-m20-pobeda").orElseThrow();
        assertEquals("GAZ-M20 Pobeda", v.label());
        assertEquals("GAZ", v.details().make(), "the record comes along");
        assertEquals(1, v.references().size());
        assertEquals("v-gaz-m20-pobeda", catalogue.canonicalVehicle("v-pobeda"));

        // A new reference view under the old label still lands on the renamed vehicle
        catalogue.applyReference("r2", reference("r2", "Pobeda", "GAZ", "M20", 1946, "c".repeat(64)));
        assertEquals(2, catalogue.vehicle("v-gaz-m20-pobeda").orElseThrow().references().size());

        // Renaming back: the old name stands alone again and the new one resolves to it
        catalogue.apply(edit("e2", VEHICLE_MERGE, "v-gaz-m20-pobeda", "v-pobeda", "label", "Pobeda"));
        assertEquals("v-pobeda", catalogue.canonicalVehicle("v-gaz-m20-pobeda"));
        assertEquals("v-pobeda", catalogue.canonicalVehicle("v-pobeda"));
        assertEquals("Pobeda", catalogue.vehicle("v-pobeda").orElseThrow().label());
    }

    @Test
    void undoingARenameBackAndThenTheRenameRestoresEachStateBeforeThem() {
        // Given two vehicles, each with an appearance and a reference view
        catalogue.applyReference("r1", reference("r1", "Pobeda", "GAZ", "M20", 1946));
        catalogue.applyReference("r2", reference("r2", "GAZ-M20 Pobeda", "GAZ", "M20", 1950, "c".repeat(64)));
        confirm(still("s1", "The Cranes Are Flying", 1957, "00:30:00"), "Pobeda", .2);
        confirm(still("s2", "Carnival Night", 1956, "00:12:00"), "GAZ-M20 Pobeda", .2);
        List<String> start = resolution();

        // When A is renamed B, then B renamed back to A (the merge breaks the A -> B link to make no cycle)
        catalogue.apply(edit("e1", VEHICLE_MERGE, "v-pobeda", "v-gaz-m20-pobeda", "label", "GAZ-M20 Pobeda"));
        List<String> renamed = resolution();
        catalogue.apply(edit("e2", VEHICLE_MERGE, "v-gaz-m20-pobeda", "v-pobeda", "label", "Pobeda"));
        List<String> renamedBack = resolution();
        assertEquals(List.of("v-pobeda -> v-gaz-m20-pobeda", "v-gaz-m20-pobeda -> v-gaz-m20-pobeda"),
                renamed.subList(0, 2));
        assertEquals(List.of("v-pobeda -> v-pobeda", "v-gaz-m20-pobeda -> v-pobeda"), renamedBack.subList(0, 2));

        // Then undoing the rename back gives the state after the first rename, the A -> B link included
        undo("e2", "u2");
        assertEquals(renamed, resolution(), "as after the rename");
        assertEquals(List.of("v-pobeda"), catalogue.vehicle("v-gaz-m20-pobeda").orElseThrow().aliases());

        // And undoing the rename gives the start again
        undo("e1", "u1");
        assertEquals(start, resolution(), "as before both");

        // And the undos' undos redo them, in the same states
        undo("u1", "r-u1");
        assertEquals(renamed, resolution());
        undo("u2", "r-u2");
        assertEquals(renamedBack, resolution());
        assertEquals(List.of("e2", "u2", "r-u2"), catalogue.editsOf("v-pobeda").stream()
                .map(a -> a.edit().editId()).filter(id -> !id.contains("1")).toList(),
                "the undo that put v-pobeda's link back is in its history");
    }

    /** Where each id resolves, and each vehicle's label, aliases and appearances' films. */
    private List<String> resolution() {
        List<String> out = new java.util.ArrayList<>();
        for (String id : List.of("v-pobeda", "v-gaz-m20-pobeda")) {
            out.add(id + " -> " + catalogue.canonicalVehicle(id));
        }
        for (String id : List.of("v-pobeda", "v-gaz-m20-pobeda")) {
            out.add(catalogue.vehicle(id).map(v -> v.id() + " " + v.label() + " " + v.aliases() + " "
                    + v.appearances().stream().map(Appearance::filmTitle).toList()).orElse(id + " is an alias"));
        }
        return out;
    }

    private void undo(String editId, String undoId) {
        Edits.Applied a = catalogue.edit(editId);
        catalogue.apply(new CatalogueEdit(1, undoId, a.inverseKind(), a.inverseTarget(), a.inverseFields(),
                a.inverseInto(), editId, "sam", Events.T0.plusSeconds(7200), null));
    }

    @Test
    void mergingTwoFilmsGivesOneFilmWithEverySpellingAndTheReviewersTitles() {
        confirm(still("s1", "Uliga Saneun Geoli", 1980, "00:10:00"), "Paektusan", .2);
        confirm(still("s2", "Uriga Sanun Kori", 1980, "00:50:00"), "Pobeda", .2);

        catalogue.apply(edit("e1", FILM_MERGE, "f-uriga-sanun-kori-1980", "f-uliga-saneun-geoli-1980"));
        catalogue.apply(edit("e2", FILM, "f-uliga-saneun-geoli-1980", null, "originalTitle", "우리가 사는 거리",
                "alternativeTitles", "The Street We Live In\nOur Street", "country", "North Korea"));

        assertEquals("f-uliga-saneun-geoli-1980", catalogue.canonicalFilm("f-uriga-sanun-kori-1980"));
        Catalogue.Film f = catalogue.film("f-uliga-saneun-geoli-1980").orElseThrow();
        assertEquals(List.of("Uliga Saneun Geoli", "우리가 사는 거리", "Uriga Sanun Kori", "The Street We Live In",
                "Our Street"), f.titles());
        assertEquals("North Korea", f.country());
        assertEquals(List.of("Paektusan", "Pobeda"), f.appearances().stream().map(Appearance::label).toList());
        assertEquals(List.of("f-uliga-saneun-geoli-1980"), catalogue.appearances("v-pobeda", null).stream()
                .map(Appearance::filmId).toList(), "a vehicle's appearance names the film it resolves to");

        catalogue.apply(edit("e3", FILM, "f-uliga-saneun-geoli-1980", null, "title", "Our Street"));
        assertEquals("Our Street", catalogue.film("f-uliga-saneun-geoli-1980").orElseThrow().title());
        assertEquals("Our Street", catalogue.appearances("v-pobeda", null).get(0).filmTitle());
    }

    @Test
    void consecutiveFramesOfAShotAreOneAppearanceWithAllTheirStills() {
        // Three frames of one clip showing the car, and a still of it twenty minutes later
        confirm(frame("k1", "clip-1", "Bullitt", 1968, "01:10:00.000"), "Ford Mustang", .02);
        confirm(frame("k2", "clip-1", "Bullitt", 1968, "01:10:07.500"), "Ford Mustang", .3);
        confirm(frame("k3", "clip-1", "Bullitt", 1968, "01:10:21.000"), "Ford Mustang", .1);
        confirm(still("s4", "Bullitt", 1968, "01:30:00"), "Ford Mustang", .1);
        // Two stills uploaded apart, two seconds from each other
        confirm(still("s5", "Bullitt", 1968, "01:40:00"), "Ford Mustang", .1);
        confirm(still("s6", "Bullitt", 1968, "01:40:02"), "Ford Mustang", .1);

        List<Appearance> all = catalogue.appearances(null, "f-bullitt-1968");
        assertEquals(3, all.size(), all.toString());
        Appearance shot = all.get(0);
        assertEquals("a-k1", shot.id());
        assertEquals(List.of("k1", "k2", "k3"), shot.stills());
        assertEquals("01:10:00.000", shot.timecode());
        assertEquals("01:10:21.000", shot.timecodeEnd());
        assertEquals(Appearance.Prominence.FEATURED, shot.prominence(), "the largest of its frames");
        assertEquals(List.of("s5", "s6"), all.get(2).stills());
        assertEquals(List.of("s4"), all.get(1).stills());

        // A reviewer's prominence on any frame speaks for the shot
        catalogue.apply(edit("e1", PROMINENCE, "a-k3", null, "prominence", "minor"));
        assertEquals(Appearance.Prominence.MINOR, catalogue.appearances(null, "f-bullitt-1968").get(0).prominence());
    }

    @Test
    void editsAppliedBeforeOrAfterTheOtherTopicsGiveTheSameCatalogue() {
        List<Consumer<Catalogue>> story = List.of(
                c -> c.applyReference("r1", reference("r1", "Pobeda", "GAZ", "M20", 1946)),
                c -> confirm(c, still("s1", "Cranes", 1957, "00:30:00"), "Pobeda", .2),
                c -> confirm(c, still("s2", "The Cranes Are Flying", 1957, "00:40:00"), "GAZ Pobeda", .2));
        List<CatalogueEdit> edits = List.of(
                edit("e1", VEHICLE_MERGE, "v-gaz-pobeda", "v-pobeda"),
                edit("e2", FILM_MERGE, "f-cranes-1957", "f-the-cranes-are-flying-1957"),
                edit("e3", VEHICLE, "v-pobeda", null, "country", "USSR"),
                edit("e4", PROMINENCE, "a-s2", null, "prominence", "featured"));
        Catalogue first = new Catalogue(2);
        story.forEach(s -> s.accept(first));
        edits.forEach(first::apply);
        Catalogue second = new Catalogue(2);
        edits.forEach(second::apply);
        story.forEach(s -> s.accept(second));

        assertEquals(first.appearances(null, null), second.appearances(null, null));
        assertEquals(first.vehicle("v-pobeda").orElseThrow(), second.vehicle("v-pobeda").orElseThrow());
        assertEquals(first.film("f-the-cranes-are-flying-1957").orElseThrow(),
                second.film("f-the-cranes-are-flying-1957").orElseThrow());
        assertEquals(2, second.film("f-the-cranes-are-flying-1957").orElseThrow().appearances().size());
        assertEquals("USSR", second.details("v-gaz-pobeda", null).country());
        assertNull(second.edit("e9"));
    }

    private Appearance only() {
        List<Appearance> all = catalogue.appearances(null, null);
        assertEquals(1, all.size());
        return all.get(0);
    }

    private Catalogue.Details details() {
        return catalogue.vehicle("v-paektusan").orElseThrow().details();
    }

    private void confirm(StillSubmitted still, String label, double share) {
        confirm(catalogue, still, label, share);
    }

    private static void confirm(Catalogue c, StillSubmitted still, String label, double share) {
        c.apply(identification(still, candidate("r-" + still.stillId(), label, share)));
        for (String reviewer : List.of("alice", "bob")) {
            c.apply(decision(still.stillId(), ReviewDecision.Verdict.CONFIRM, label, null, reviewer, 1));
        }
    }
}
