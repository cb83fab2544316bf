package dev.reelcars.ingest;

import io.javalin.http.Context;
import java.nio.file.Path;

/**
 * {@code POST /api/stills} and {@code POST /api/references} (a proposal for review, not yet a gallery view): once
 * {@link UploadGate} admitted the request, parse the form, check the metadata, validate the image, then submit. Every refusal happens before a byte is stored or an event published.
 */
final class UploadEndpoints {
    private final IngestConfig.UploadLimits limits;
    private final ImageValidator validator;
    private final Submissions submissions;
    private final Path spoolDir;

    UploadEndpoints(IngestConfig.UploadLimits limits, ImageValidator validator, Submissions submissions, Path spoolDir) {
        this.limits = limits;
        this.validator = validator;
        this.submissions = submissions;
        this.spoolDir = spoolDir;
    }

    void postStill(Context ctx) {
        try (MultipartUpload form = MultipartUpload.read(ctx, "image", limits.maxImageBytes(), fieldBytes(),
                spoolDir)) {
            Metadata meta = Metadata.read(form::field, limits, UploadGate.contributor(ctx));
            ValidatedImage image = validator.validate(form.fileBytes());
            answer(ctx, submissions.submitStill(image, meta, null));
        }
    }

    void postReference(Context ctx) {
        try (MultipartUpload form = MultipartUpload.read(ctx, "image", limits.maxImageBytes(), fieldBytes(),
                spoolDir)) {
            ReferenceMetadata meta = ReferenceMetadata.read(form::field, limits);
            ValidatedImage image = validator.validate(form.fileBytes());
            answer(ctx, submissions.proposeReference(image, meta, UploadGate.contributor(ctx)));
        }
    }

    private int fieldBytes() {
        // UTF-8 takes at most 4 bytes a character; the character caps are checked after decoding.
        return Math.max(limits.maxFieldChars(), limits.maxNoteChars()) * 4;
    }

    private static void answer(Context ctx, SubmitResult result) {
        ctx.status(result.isDuplicate() ? 200 : 202).json(result);
    }
}
