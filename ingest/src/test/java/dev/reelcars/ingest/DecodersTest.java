package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecodersTest {
    private static final ProcessBuilder HANGING = new ProcessBuilder("sleep", "60");

    @Test
    void closingEndsARunningDecoder() throws Exception {
        Decoders decoders = new Decoders();
        Process process = decoders.start(HANGING);

        decoders.close();

        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "the decoder was ended");
    }

    @Test
    void startsNoDecoderOnceClosedSoAStopCannotMissOne() {
        // Given a stop that came between a job being marked running and its decoder starting
        Decoders decoders = new Decoders();
        decoders.close();

        // Then the decoder is refused as a cancellation instead of starting unseen and outliving the stop
        assertThrows(InterruptedException.class, () -> decoders.start(HANGING));
    }
}
