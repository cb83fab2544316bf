package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an uploader says about a reference view: a label (required), and optionally make, model, the vehicle's year,
 * the model's variant and its production years ({@code yearFrom}, {@code yearTo}: the workbench flags a film older
 * than the first).
 */
record ReferenceMetadata(String label, String make, String model, Integer year, String variant, Integer yearFrom,
        Integer yearTo) {

    static ReferenceMetadata read(Function<String, Optional<String>> fields, IngestConfig.UploadLimits limits) {
        Metadata.refuseContributorField(fields);
        String label = Metadata.capped(fields, "label", limits.maxFieldChars());
        if (label == null) {
            throw new ApiException(400, "missing-field", "label is required (e.g. 'Citroen DS 1967')");
        }
        Integer from = Metadata.year(fields, "yearFrom");
        Integer to = Metadata.year(fields, "yearTo");
        if (from != null && to != null && from > to) {
            throw new ApiException(400, "invalid-field", "yearFrom " + from + " is after yearTo " + to);
        }
        return new ReferenceMetadata(label,
                Metadata.capped(fields, "make", limits.maxFieldChars()),
                Metadata.capped(fields, "model", limits.maxFieldChars()),
                Metadata.year(fields),
                Metadata.capped(fields, "variant", limits.maxFieldChars()), from, to);
    }
}
