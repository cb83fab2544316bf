package dev.reelcars.notify;

import dev.reelcars.events.ReferenceAdded;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the gallery knows of one vehicle (one label): make, model, variant, the years its reference views carry and
 * the model's production years, and every reference view, for the workbench's vehicle panel. Built from the
 * reference views alone: the gallery is the one source of these facts, entered with each view.
 *
 * @param years the distinct years of the views' own vehicles ({@code ReferenceAdded.year}), oldest first
 * @param yearFrom the model's first production year: the earliest any view gives, or null when none does
 * @param yearTo the model's last production year: the latest any view gives, or null
 * @param views every view of the vehicle in the gallery, oldest first
 */
record VehicleRecord(String label, String make, String model, String variant, List<Integer> years,
        Integer yearFrom, Integer yearTo, List<View> views) {

    /** One reference view: its image and where it came from (upload, demo, import, review, proposal). */
    record View(String referenceId, String blobKey, int width, int height, String source) {
    }

    /** The record of {@code label} from its views ({@code references} all carry that label, normalised). */
    static VehicleRecord of(String label, Collection<ReferenceAdded> references) {
        List<ReferenceAdded> refs = references.stream()
                .sorted(Comparator.comparing(ReferenceAdded::addedAt).thenComparing(ReferenceAdded::referenceId))
                .toList();
        TreeSet<Integer> years = new TreeSet<>();
        Integer first = null;
        Integer last = null;
        List<View> views = new ArrayList<>();
        for (ReferenceAdded r : refs) {
            if (r.year() != null) {
                years.add(r.year());
            }
            if (r.yearFrom() != null && (first == null || r.yearFrom() < first)) {
                first = r.yearFrom();
            }
            if (r.yearTo() != null && (last == null || r.yearTo() > last)) {
                last = r.yearTo();
            }
            views.add(new View(r.referenceId(), r.blobKey(), r.width(), r.height(), r.source()));
        }
        return new VehicleRecord(label, mostUsed(refs, ReferenceAdded::make), mostUsed(refs, ReferenceAdded::model),
                mostUsed(refs, ReferenceAdded::variant), List.copyOf(years), first, last, List.copyOf(views));
    }

    /** The value most views give (the earliest of equals): one stray upload does not rename the make. */
    private static String mostUsed(List<ReferenceAdded> refs, java.util.function.Function<ReferenceAdded, String> field) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ReferenceAdded r : refs) {
            String v = field.apply(r);
            if (v != null && !v.isBlank()) {
                counts.merge(v.strip(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .filter(Objects::nonNull).orElse(null);
    }
}
