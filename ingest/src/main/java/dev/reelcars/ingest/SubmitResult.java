package dev.reelcars.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an accepted upload. {@code duplicate} is true when the same bytes were already submitted (then
 * {@code id} is the existing id and nothing new was published); {@code duplicateOf} names the first submission of
 * a near-duplicate that was accepted as new.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubmitResult(String id, Boolean duplicate, String duplicateOf, Integer width, Integer height) {

    static SubmitResult created(String id, String duplicateOf, ImageHeader header) {
        return new SubmitResult(id, null, duplicateOf, header.displayWidth(), header.displayHeight());
    }

    static SubmitResult existing(String id) {
        return new SubmitResult(id, true, null, null, null);
    }

    boolean isDuplicate() {
        return Boolean.TRUE.equals(duplicate);
    }
}
