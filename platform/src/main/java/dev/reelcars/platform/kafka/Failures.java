package dev.reelcars.platform.kafka;

import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.platform.blob.BlobStore;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** How consumer loops sort what went wrong while handling a record. */
enum Failures {
    /** The record itself is bad: dead-letter it and go on. */
    POISON,
    /** The cluster or the blob store is briefly unavailable: retry the same record later, without limit. */
    RETRIABLE,
    /** Configuration or security is wrong: retrying cannot help, stop the loop loudly. */
    FATAL,
    /** A bug or an unexpected state: retry a few times, then dead-letter so one record cannot stall a partition. */
    UNEXPECTED;

    static Failures classify(Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof PoisonRecordException) {
            return POISON;
        }
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                || cause instanceof UnsupportedVersionException || cause instanceof FencedInstanceIdException
                || cause instanceof InvalidGroupIdException) {
            return FATAL;
        }
        if (cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof RetryLaterException) {
            return RETRIABLE;
        }
        // A blob store that is down or full will be back: pause on the record instead of dead-lettering a good one.
        if (cause instanceof BlobStore.BlobStoreException b
                && b.kind() != BlobStore.BlobStoreException.Kind.NOT_FOUND) {
            return RETRIABLE;
        }
        return UNEXPECTED;
    }

    static String reason(Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof PoisonRecordException p ? p.reason() : "processing-failed";
    }
}
