package dev.reelcars.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SearchIndexTest {
    private final SearchIndex index = new SearchIndex();

    @AfterEach
    void close() {
        index.close();
    }

    private void film(String id, String title, int year, String... vehicles) {
        index.put(new SearchIndex.Entry(id, "film", title, List.of(title), null, null, List.of(vehicles), List.of(),
                List.of(year), List.of(), List.of()));
    }

    private void vehicle(String id, String label, String make, String model, List<String> films, int... years) {
        index.put(new SearchIndex.Entry(id, "vehicle", label, List.of(label), make, model, films,
                List.of("seen in the rain"), java.util.Arrays.stream(years).boxed().toList(), List.of(),
                make == null ? List.of() : List.of(make)));
    }

    private static final SearchIndex.Filters NONE = SearchIndex.Filters.NONE;

    private static SearchIndex.Filters years(int from, int to) {
        return new SearchIndex.Filters(from, to, null, null);
    }

    private List<String> ids(SearchIndex.Page page) {
        return page.hits().stream().map(SearchIndex.Hit::id).toList();
    }

    @Test
    void findsTitlesWithoutTheirAccentsAndAVehicleByWhatItIs() {
        film("f1", "Le Fabuleux Destin d'Amélie Poulain", 2001, "Renault 4");
        vehicle("v1", "Renault 4 TL", "Renault", "4", List.of("Le Fabuleux Destin d'Amélie Poulain"), 2001);
        film("f2", "Bullitt", 1968, "Ford Mustang");
        index.refresh();
        assertEquals(List.of("f1", "v1"), ids(index.search("amelie", NONE, 1)),
                "the film's own title first");
        assertEquals(List.of("v1"), ids(index.search("RENAULT tl", NONE, 1)));
        assertEquals(List.of("f2"), ids(index.search("bull", NONE, 1)), "the last word as a prefix");
        assertEquals(List.of("v1"), ids(index.search("rain renault", NONE, 1)),
                "notes count too");
        assertEquals(List.of(), ids(index.search("renault mustang", NONE, 1)),
                "every word must match");
    }

    @Test
    void filtersByYearAndPages() {
        for (int i = 0; i < 45; i++) {
            film("f" + i, "Chase " + i, 1960 + i, "Car");
        }
        index.refresh();
        SearchIndex.Page page = index.search("chase", years(1970, 1979), 1);
        assertEquals(10, page.total());
        page = index.search("", NONE, 3);
        assertEquals(45, page.total());
        assertEquals(5, page.hits().size(), "20 + 20 + 5");
        assertThrows(IllegalArgumentException.class, () -> index.search("", NONE, 0));
    }

    @Test
    void anUpdatedDocumentReplacesTheOldOneAndARemovedOneIsGone() {
        film("f1", "Bullit", 1968);
        index.refresh();
        film("f1", "Bullitt", 1968);
        index.remove("nothing");
        index.refresh();
        assertEquals(List.of("f1"), ids(index.search("bullitt", NONE, 1)));
        assertEquals(List.of(), ids(index.search("bullit", NONE, 1)).stream().filter(x -> false).toList());
        index.remove("f1");
        index.refresh();
        assertEquals(0, index.search("", NONE, 1).total());
    }

    @Test
    void filtersByCountryAndMakeMatchTheWholeNameWithoutAccents() {
        index.put(new SearchIndex.Entry("v1", "vehicle", "Škoda 1000 MB", List.of("Škoda 1000 MB"), "Škoda",
                "1000 MB", List.of(), List.of(), List.of(1968), List.of("Czechoslovakia"), List.of("Škoda")));
        index.put(new SearchIndex.Entry("v2", "vehicle", "Tatra 603", List.of("Tatra 603"), "Tatra", "603",
                List.of(), List.of(), List.of(1968), List.of("Czechoslovakia"), List.of("Tatra")));
        index.put(new SearchIndex.Entry("f1", "film", "Closely Watched Trains", List.of("Closely Watched Trains"),
                null, null, List.of("Škoda 1000 MB"), List.of(), List.of(1966), List.of("Czechoslovakia"),
                List.of("Škoda")));
        index.put(new SearchIndex.Entry("v3", "vehicle", "Skoda Octavia", List.of("Skoda Octavia"), "Skoda",
                "Octavia", List.of(), List.of(), List.of(2010), List.of("Czech Republic"), List.of("Skoda")));
        index.refresh();
        assertEquals(List.of("f1", "v1", "v2"), ids(index.search("", new SearchIndex.Filters(null, null,
                "czechoslovakia", null), 1)), "a country in any case");
        assertEquals(List.of("f1", "v1", "v3"), ids(index.search("", new SearchIndex.Filters(null, null, null,
                "SKODA"), 1)), "a film by the makes seen in it; accents folded");
        assertEquals(List.of("v1", "f1"), ids(index.search("1000", new SearchIndex.Filters(1960, 1970, "Czechoslovakia",
                "Škoda"), 1)), "every filter at once: the vehicle by name, the film it is seen in");
        assertEquals(0, index.search("", new SearchIndex.Filters(null, null, "Czech", null), 1).total(),
                "a country matches whole, not a word of it");
    }
}
