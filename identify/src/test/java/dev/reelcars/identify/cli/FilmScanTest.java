package dev.reelcars.identify.cli;

import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.matcher.Fixtures;
import dev.reelcars.testkit.Films;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


/** {@code scan} on a film generated here with ffmpeg from the committed fixtures; skipped where ffmpeg is absent. */
class FilmScanTest {
    @TempDir
    static Path dir;

    private static Path gallery;

    @BeforeAll
    static void galleryOfBusAndCar() throws IOException {
        gallery = dir.resolve("gallery");
        write(gallery.resolve("bus/front.jpg"), Fixtures.bytes("bus.jpg"));
        write(gallery.resolve("car/rear.jpg"), Fixtures.bytes("car_rear_motion.jpg"));
    }

    @Test
    void findsTheBusOnScreenFrom3To6SecondsAsOneAppearance() throws Exception {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        // Given an 8 s film: 3 s of a scene without a vehicle, 3 s with the bus pasted in (grey, grainy), 2 s of
        // another empty scene, encoded as H.264 by ffmpeg from stills (hard cuts)
        Path film = busFilm();
        Path out = dir.resolve("out/appearances.csv");

        // When scan runs with 2 threads
        int exit = MatchCli.run(new String[] {"scan", film.toString(), "--gallery", gallery.toString(), "--out",
                out.toString(), "--threads", "2"});

        // Then one appearance of the bus, its start and end within 0.5 s of 3.0 and 6.0, supported by the frames
        // sampled in its 3 s (one may be lost to the cut)
        assertEquals(0, exit, "exit code");
        List<String> lines = Files.readAllLines(out);
        assertEquals("label,start,end,frames,score", lines.get(0), "csv header");
        assertEquals(2, lines.size(), "exactly one appearance: " + lines);
        String[] row = lines.get(1).split(",");
        assertEquals("bus", row[0], "label: " + lines);
        assertEquals(3.0, Double.parseDouble(row[1]), 0.5, "start: " + lines);
        assertEquals(6.0, Double.parseDouble(row[2]), 0.5, "end: " + lines);
        assertTrue(Integer.parseInt(row[3]) >= 3 * FilmVideo.DEFAULT_FPS - 1, "frames: " + lines);
        double score = Double.parseDouble(row[4]);
        assertTrue(score > 0 && score <= 1, "score: " + lines);
    }

    @Test
    void aFilmScannedInPartsAtOnceGivesWhatOneScanGives() throws Exception {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        // Given the 8 s film with the bus from 3 to 6 s, sampled twice a second: 16 frames, so 3 parts end at
        // frames 5 and 10, and the bus is on screen across the edge at 5 s
        Path film = busFilm();
        Path whole = dir.resolve("out/whole.csv");
        Path parts = dir.resolve("out/parts.csv");

        // When it is scanned as one part and as three parts decoded at once
        assertEquals(0, MatchCli.run(new String[] {"scan", film.toString(), "--gallery", gallery.toString(), "--out",
                whole.toString(), "--fps", "2", "--parts", "1"}));
        assertEquals(0, MatchCli.run(new String[] {"scan", film.toString(), "--gallery", gallery.toString(), "--out",
                parts.toString(), "--fps", "2", "--parts", "3", "--threads", "3"}));

        // Then both find the same appearances: the bus once, though two parts saw it
        List<String> expected = Files.readAllLines(whole);
        assertEquals(2, expected.size(), "one appearance: " + expected);
        assertTrue(expected.get(1).startsWith("bus,"), expected.toString());
        assertEquals(expected, Files.readAllLines(parts));
    }

    @Test
    void findsABusOnScreenForJustOverASecondInAFilmWithReferencedBFrames() throws Exception {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        // Given 3 s of a scene, the bus for 1.2 s, 3 s of another scene, encoded as x264's default does (3 B-frames,
        // some of them referenced: the decoder skips only the frames nothing references)
        Path shots = dir.resolve("short");
        write(shots.resolve("a.jpg"), Fixtures.bytes("home.jpg"));
        write(shots.resolve("b.jpg"), Fixtures.composite("bus.jpg", "building.jpg", 0.6, 4, 380, 180, true).jpeg());
        write(shots.resolve("c.jpg"), Fixtures.bytes("building.jpg"));
        Path plain = dir.resolve("short-plain.mp4");
        Films.encode(plain, shots.resolve("a.jpg"), 3, shots.resolve("b.jpg"), 1.2, shots.resolve("c.jpg"), 3);
        Path film = dir.resolve("short.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", plain.toString(), "-c:v",
                "libx264", "-preset", "medium", "-x264-params", "bframes=3:b-adapt=0:b-pyramid=normal:ref=3",
                film.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "re-encode: " + log);
        Path out = dir.resolve("out/short.csv");

        // When scan runs with the default sampling (one frame a second)
        int exit = MatchCli.run(new String[] {"scan", film.toString(), "--gallery", gallery.toString(), "--out",
                out.toString(), "--threads", "2"});

        // Then the bus is one appearance starting within 0.5 s of 3.0: a car on screen for a second is sampled
        assertEquals(0, exit, "exit code");
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size(), "exactly one appearance: " + lines);
        String[] row = lines.get(1).split(",");
        assertEquals("bus", row[0], "label: " + lines);
        assertEquals(3.0, Double.parseDouble(row[1]), 0.5, "start: " + lines);
    }

    @Test
    void aMissingFilmIsOneLineAndExitCode2() {
        String stderr = captureStderr(() -> assertEquals(2, MatchCli.run(new String[] {"scan",
                dir.resolve("nope.mp4").toString(), "--gallery", gallery.toString(), "--out",
                dir.resolve("x.csv").toString()})));
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        assertTrue(stderr.contains("nope.mp4: no such file"), stderr);
    }

    @Test
    void aFileThatIsNoVideoIsOneLineAndExitCode2() throws IOException {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        Path notVideo = dir.resolve("notes.mp4");
        Files.writeString(notVideo, "this is not a film");
        String stderr = captureStderr(() -> assertEquals(2, MatchCli.run(new String[] {"scan", notVideo.toString(),
                "--gallery", gallery.toString(), "--out", dir.resolve("y.csv").toString()})));
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        assertTrue(stderr.contains("not a readable video"), stderr);
        assertFalse(Files.exists(dir.resolve("y.csv")), "no csv for a failed scan");
    }

    @Test
    void aMissingDecoderIsOneLineAndExitCode2() throws IOException {
        Path film = dir.resolve("any.mp4");
        Files.writeString(film, "x");
        String stderr = captureStderr(() -> assertEquals(2, MatchCli.run(new String[] {"scan", film.toString(),
                "--gallery", gallery.toString(), "--out", dir.resolve("z.csv").toString(),
                "--ffprobe", dir.resolve("no-such-ffprobe").toString()})));
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        assertTrue(stderr.contains("cannot run") && stderr.contains("is ffmpeg installed"), stderr);
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Concatenates stills shown for the given seconds into a 1280×720, 25 fps H.264 film. */

    /** The 8 s film of the bus between two empty scenes, made once for the tests that use it. */
    private static synchronized Path busFilm() throws Exception {
        Path film = dir.resolve("film.mp4");
        if (!Files.exists(film)) {
            Path shots = dir.resolve("shots");
            write(shots.resolve("a.jpg"), Fixtures.bytes("home.jpg"));
            write(shots.resolve("b.jpg"), Fixtures.composite("bus.jpg", "building.jpg", 0.6, 4, 380, 180, true)
                    .jpeg());
            write(shots.resolve("c.jpg"), Fixtures.bytes("building.jpg"));
            Films.encode(film, shots.resolve("a.jpg"), 3, shots.resolve("b.jpg"), 3, shots.resolve("c.jpg"), 2);
        }
        return film;
    }

    private static void write(Path path, byte[] bytes) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, bytes);
    }
}
