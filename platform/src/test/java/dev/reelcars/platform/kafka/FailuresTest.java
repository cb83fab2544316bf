package dev.reelcars.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.platform.blob.BlobStore.BlobStoreException.Kind;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void pausesOnABlobStoreOutageInsteadOfDeadLetteringAGoodRecord() {
        assertEquals(Failures.RETRIABLE, Failures.classify(new BlobStoreException(Kind.UNAVAILABLE, "S3 down", null)));
        assertEquals(Failures.RETRIABLE, Failures.classify(new BlobStoreException(Kind.FULL, "disk full", null)));
        assertEquals(Failures.RETRIABLE, Failures.classify(
                new ExecutionException(new BlobStoreException(Kind.UNAVAILABLE, "S3 down", null))));
    }

    @Test
    void pausesWhenAHandlerSaysAGoodRecordMustWait() {
        assertEquals(Failures.RETRIABLE, Failures.classify(new RetryLaterException("disk full", null)));
    }

    @Test
    void leavesAMissingBlobToTheHandlerOrTheUnexpectedPath() {
        // identify turns NOT_FOUND into a poison record itself; elsewhere it is retried a few times, then dead-lettered.
        assertEquals(Failures.UNEXPECTED, Failures.classify(new BlobStoreException(Kind.NOT_FOUND, "gone", null)));
    }
}
