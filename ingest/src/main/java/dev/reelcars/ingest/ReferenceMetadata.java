package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.util.Optional;
import java.util.function.Function;

/** What an uploader says about a reference view: a label (required), and optionally make, model and year. */
record ReferenceMetadata(String label, String make, String model, Integer year) {

    static ReferenceMetadata read(Function<String, Optional<String>> fields, IngestConfig.UploadLimits limits) {
        Metadata.refuseContributorField(fields);
        String label = Metadata.capped(fields, "label", limits.maxFieldChars());
        if (label == null) {
            throw new ApiException(400, "missing-field", "label is required (e.g. 'Citroen DS 1967')");
        }
        return new ReferenceMetadata(label,
                Metadata.capped(fields, "make", limits.maxFieldChars()),
                Metadata.capped(fields, "model", limits.maxFieldChars()),
                Metadata.year(fields));
    }
}
