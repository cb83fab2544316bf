package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    @Test
    void writesALineEveryTenPercentWhenStderrIsNoTerminal() {
        // Given progress over 431 queries written to a file
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunStats progress = new RunStats("matching", 431, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        // When every query is done
        for (int i = 0; i < 431; i++) {
            progress.step();
        }

        // Then the file has a line at the start, at every tenth and at the end, and no carriage return
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "no carriage-return frames in a file");
        List<String> lines = log.lines().toList();
        assertEquals(11, lines.size(), log);
        assertEquals("matching 1/431 (0%)", lines.get(0));
        assertEquals("matching 44/431 (10%)", lines.get(1));
        assertEquals("matching 431/431 (100%)", lines.get(10));
    }

    @Test
    void redrawsABarInPlaceOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunStats progress = new RunStats("indexing", 4, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        for (int i = 0; i < 4; i++) {
            progress.step();
        }

        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(4, shown.chars().filter(c -> c == '\r').count(), shown);
        assertTrue(shown.endsWith("\rindexing [#########################] 4/4" + System.lineSeparator()), shown);
    }
}
