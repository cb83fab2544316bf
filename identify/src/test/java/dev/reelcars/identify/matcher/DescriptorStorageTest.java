package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, point 5: the reference descriptors in a memory-mapped file instead of the heap change where bytes live,
 * never an answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DescriptorStorageTest {
    private static final List<String> STILLS = List.of("reid_suv_cam2.jpg", "reid_minivan_b.jpg",
            "reid_xpander_red_cam2.jpg", "box_in_scene.png", "home.jpg");

    private static MatchEngine gallery(DescriptorStorage storage) {
        MatchEngine engine = new MatchEngine(EngineConfig.defaults(), storage);
        engine.addReference("suv-1", "black SUV 0005", Fixtures.bytes("reid_suv_cam1.jpg"));
        engine.addReference("minivan-1", "black minivan", Fixtures.bytes("reid_minivan_a.jpg"));
        engine.addReference("xpander-1", "red Xpander", Fixtures.bytes("reid_xpander_red_cam1.jpg"));
        engine.addReference("box-1", "box", Fixtures.bytes("box.png"));
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        return engine;
    }

    @Test
    void descriptorsInAFileGiveTheSameAnswersAsOnTheHeap(@TempDir Path dir) {
        try (MatchEngine onHeap = gallery(DescriptorStorage.HEAP);
             MatchEngine inFile = gallery(new DescriptorStorage(dir))) {
            for (String still : STILLS) {
                MatchEngine.Outcome expected = onHeap.evaluate(Fixtures.bytes(still));
                MatchEngine.Outcome actual = inFile.evaluate(Fixtures.bytes(still));

                assertEquals(summary(expected), summary(actual), still + ": every verified reference, its inliers "
                        + "and confidence");
                assertEquals(expected.accepted().stream().map(Detection::label).toList(),
                        actual.accepted().stream().map(Detection::label).toList(), still + ": accepted labels");
                assertEquals(expected.match(), actual.match(), still + ": answer kind");
            }
            // At least one still is identified, so the comparison covered verified evidence, not only empty outcomes
            assertFalse(inFile.evaluate(Fixtures.bytes("reid_suv_cam2.jpg")).accepted().isEmpty(), "SUV identified");
        }
    }

    @Test
    void theHeapHoldsEveryViewLessItsDescriptorsAndTheFileHoldsThem(@TempDir Path dir) {
        try (MatchEngine onHeap = gallery(DescriptorStorage.HEAP);
             MatchEngine inFile = gallery(new DescriptorStorage(dir))) {
            double descriptorBytes = inFile.fileBytesPerReference();
            long features = onHeap.views().stream().mapToLong(v -> v.features().count).sum();

            assertEquals(features * 32.0 / 5, descriptorBytes, 1e-9, "32 bytes per feature in the file");
            assertEquals(onHeap.bytesPerReference() - descriptorBytes, inFile.bytesPerReference(), 1e-6,
                    "the heap estimate falls by exactly the descriptors' bytes");
            assertEquals(0, onHeap.fileBytesPerReference(), "nothing in a file when on the heap");
        }
    }

    @Test
    void theFileLeavesNothingOnDiskAndRemovedViewsAreCounted(@TempDir Path dir) throws Exception {
        try (MatchEngine engine = gallery(new DescriptorStorage(dir))) {
            // The file is unlinked as soon as it is open: a crash leaves nothing behind
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(0, files.count(), "no file left in the directory");
            }
            double before = engine.fileBytesPerReference() * 5;
            long busFeatures = engine.views().stream().filter(v -> v.label().equals("bus"))
                    .mapToLong(v -> v.features().count).sum();

            // When a reference is removed, its descriptors count as free, and what is left is still found
            assertTrue(engine.removeReference("bus-1"), "removed");
            assertEquals(before - busFeatures * 32, engine.fileBytesPerReference() * 4, 1e-6,
                    "live bytes: the bus's descriptors no longer counted");
            assertEquals("black SUV 0005", engine.evaluate(Fixtures.bytes("reid_suv_cam2.jpg")).accepted().get(0)
                    .label(), "a remaining reference is still found");
            assertEquals(busFeatures * 32, engine.descriptorFileFreeBytes(), "the bus's bytes are free");

            // When the same id is added again, it is appended anew and found again
            engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
            byte[] still = Fixtures.composite("bus.jpg", "home.jpg", 0.9, 0, 300, 100, false).jpeg();
            assertEquals("bus", engine.evaluate(still).accepted().get(0).label(), "the re-added bus is found");
            assertEquals(before, engine.fileBytesPerReference() * 5, 1e-6, "live bytes as before the removal");
        }
    }

    @Test
    void appendedDescriptorsReadBackAcrossSegments(@TempDir Path dir) {
        SplittableRandom random = new SplittableRandom(7);
        // Segments of 1,000 longs: three views of 300 fit in one, the fourth starts the next
        try (DescriptorFile file = DescriptorFile.create(dir, 1000)) {
            long[][] views = new long[7][];
            long[] at = new long[7];
            for (int i = 0; i < views.length; i++) {
                views[i] = random.longs(300).toArray();
                at[i] = file.append(views[i], 300);
            }
            assertEquals(1000, at[3], "a view never spans two segments");
            for (int i = 0; i < views.length; i++) {
                assertArrayEquals(views[i], file.read(at[i], 300), "view " + i);
            }
            assertEquals((2000 + 300) * 8L, file.bytes(), "written, with each segment's unused tail");

            file.free(300);
            assertEquals(300 * 8L, file.freeBytes(), "removed views' bytes");
        }
    }

    @Test
    void aClosedFileRefusesAppendsButKeepsWhatWasRead(@TempDir Path dir) {
        DescriptorFile file = DescriptorFile.create(dir, 1000);
        long[] view = {1, 2, 3, 4};
        long at = file.append(view, 4);
        file.close();

        assertThrows(IllegalStateException.class, () -> file.append(view, 4), "closed");
        assertArrayEquals(view, file.read(at, 4), "a still being matched while the engine closes reads its data");
    }

    @Test
    void aDirectoryThatCannotHoldTheFileIsAClearError(@TempDir Path dir) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> DescriptorFile.create(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("REELCARS_IDENTIFY_DESCRIPTORS"), e.getMessage());
    }

    @Test
    void theSettingNamesHeapFileOrADirectory(@TempDir Path dir) {
        assertTrue(DescriptorStorage.parse("heap").onHeap(), "heap");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), DescriptorStorage.parse("file").directory(),
                "file: the JVM's temporary directory");
        assertEquals(dir, DescriptorStorage.parse(dir.toString()).directory(), "a directory");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescriptorStorage.parse(dir.resolve("missing").toString()));
        assertTrue(e.getMessage().contains("heap, file or an existing directory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DescriptorStorage.parse(""), "empty");
    }

    private static List<String> summary(MatchEngine.Outcome outcome) {
        return outcome.scored().stream().map(s -> s.verification().view().referenceId() + " "
                + s.verification().inliers() + " " + s.confidence()).toList();
    }
}
