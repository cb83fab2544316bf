package dev.reelcars.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an accepted upload. {@code duplicate} is true when the same bytes were already submitted (then
 * {@code id} is the existing id and nothing new was published); {@code duplicateOf} names the first submission of
 * a near-duplicate that was accepted as new; {@code contentBox} is the picture inside black bars, when it has any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubmitResult(String id, Boolean duplicate, String duplicateOf, Integer width, Integer height,
        ContentBox contentBox) {

    static SubmitResult created(String id, String duplicateOf, ImageHeader header, ContentBox contentBox) {
        return new SubmitResult(id, null, duplicateOf, header.displayWidth(), header.displayHeight(), contentBox);
    }

    static SubmitResult existing(String id) {
        return new SubmitResult(id, true, null, null, null, null);
    }

    boolean isDuplicate() {
        return Boolean.TRUE.equals(duplicate);
    }
}
