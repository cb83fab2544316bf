package dev.reelcars.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void spellingsThatDifferInAccentsCaseAndPunctuationNormaliseEqual() {
        assertEquals("le fabuleux destin d amelie poulain", Names.normalise("Le Fabuleux Destin d'Amélie Poulain"));
        assertEquals(Names.normalise("AMÉLIE"), Names.normalise("  amelie "));
        assertEquals(Names.normalise("Straße"), Names.normalise("STRASSE"));
        assertEquals("", Names.normalise(null));
    }

    @Test
    void filmIdsAreReadableForPlainTitlesAndTheSameForEverySpelling() {
        assertEquals("f-bullitt-1968", Names.filmId("Bullitt", 1968));
        assertEquals(Names.filmId("Amélie", 2001), Names.filmId("AMELIE", 2001));
        assertNotEquals(Names.filmId("Amélie", 2001), Names.filmId("Amélie", 2002), "the year is part of a film");
        assertEquals("v-ford-mustang-gt-390", Names.vehicleId("Ford  Mustang GT-390"));
    }

    @Test
    void titlesInOtherScriptsGetAStableUrlSafeIdThatDiffersBetweenTitles() {
        String id = Names.filmId("우리가 사는 거리", 1982);
        assertEquals(id, Names.filmId("우리가  사는 거리", 1982));
        assertTrue(id.matches("f-[a-z0-9-]+-1982"), id);
        assertNotEquals(id, Names.filmId("우리가 사는 집", 1982));
    }
}
