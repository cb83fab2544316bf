package dev.reelcars.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenedResourcesTest {
    private final List<String> closed = new ArrayList<>();
    private final OpenedResources opened = new OpenedResources();

    @Test
    void closesInReverseOrderOfOpeningEvenPastAFailure() {
        opened.push(() -> closed.add("producer"));
        opened.push(() -> {
            closed.add("replay");
            throw new IOException("already broken");
        });
        opened.push(() -> closed.add("http"));

        assertTrue(opened.closeAll());

        assertEquals(List.of("http", "replay", "producer"), closed);
        assertFalse(opened.closeAll(), "nothing is closed twice");
    }

    @Test
    void aStartThatFailsClosesWhatItOpenedAndRethrows() {
        IllegalStateException portTaken = new IllegalStateException("port taken");

        var e = assertThrows(IllegalStateException.class, () -> opened.startOrClose(() -> {
            opened.push(() -> closed.add("producer"));
            opened.push(() -> closed.add("replay"));
            throw portTaken;
        }));

        assertSame(portTaken, e);
        assertEquals(List.of("replay", "producer"), closed);
    }
}
