package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a contributor says about a still. Stored verbatim (HTML included: escaping is the page's job); only length
 * and the year's form are checked.
 */
record Metadata(String film, Integer year, String timecode, String note, String contributor) {

    /** The form's metadata; the contributor is the signed-in account, never a form field. */
    static Metadata read(Function<String, Optional<String>> fields, IngestConfig.UploadLimits limits,
            String contributor) {
        refuseContributorField(fields);
        return new Metadata(
                capped(fields, "film", limits.maxFieldChars()),
                year(fields),
                capped(fields, "timecode", limits.maxFieldChars()),
                capped(fields, "note", limits.maxNoteChars()),
                contributor);
    }

    /** The old {@code contributor} field named anyone; now the account is the contributor, so it is refused. */
    static void refuseContributorField(Function<String, Optional<String>> fields) {
        if (fields.apply("contributor").isPresent()) {
            throw new ApiException(400, "contributor-field-removed", "the contributor is the signed-in account;"
                    + " leave out the 'contributor' field");
        }
    }

    Metadata withTimecode(String newTimecode) {
        return new Metadata(film, year, newTimecode, note, contributor);
    }

    static String capped(Function<String, Optional<String>> fields, String name, int max) {
        String value = fields.apply(name).orElse(null);
        if (value != null && value.codePointCount(0, value.length()) > max) {
            throw new ApiException(400, "field-too-long", name + " has " + value.codePointCount(0, value.length())
                    + " characters; the limit is " + max);
        }
        return value == null || value.isBlank() ? null : value;
    }

    static Integer year(Function<String, Optional<String>> fields) {
        return year(fields, "year");
    }

    /** The form field {@code name} as a year in 1850..2200, null when absent; 400 {@code invalid-field} otherwise. */
    static Integer year(Function<String, Optional<String>> fields, String name) {
        String raw = fields.apply(name).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        if (raw == null) {
            return null;
        }
        try {
            int year = Integer.parseInt(raw);
            if (year < 1850 || year > 2200) {
                throw new ApiException(400, "invalid-field", name + " must be between 1850 and 2200, got " + year);
            }
            return year;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid-field", name + " must be a whole number");
        }
    }
}
