package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A kept frame's timecode: its offset in the clip, added to the clip's start in the film when one was given. */
class TimecodesTest {
    @ParameterizedTest(name = "start {0} + {1} s = {2}")
    @CsvSource(nullValues = "null", value = {
        "null, 1.25, 00:00:01.250",
        "01:02:03, 1.25, 01:02:04.250",
        "59:58.5, 2, 01:00:00.500",
        "'reel 2, near the end', 3, 00:00:03.000",
        "00:00:00, 3725.001, 01:02:05.001"})
    void addsFrameOffsetToTheClipStartWhenItIsATime(String start, double seconds, String expected) {
        assertEquals(expected, Timecodes.offset(start, seconds));
    }
}
