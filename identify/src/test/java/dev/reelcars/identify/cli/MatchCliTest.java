package dev.reelcars.identify.cli;

import dev.reelcars.identify.matcher.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


class MatchCliTest {
    @TempDir
    Path dir;

    @Test
    void writesOneCsvRowPerQueryWithPredictedLabelScoreAndSeconds() throws IOException {
        // Given a gallery with a label folder, a second label folder and a <label>.<ext> file
        Path gallery = dir.resolve("gallery");
        write(gallery.resolve("bus/front.jpg"), Fixtures.bytes("bus.jpg"));
        write(gallery.resolve("car/rear.jpg"), Fixtures.bytes("car_rear_motion.jpg"));
        write(gallery.resolve("box.png"), Fixtures.bytes("box.png"));
        // and nested queries: the bus in a scene, a scene alone, and a file that is not an image
        Path queries = dir.resolve("queries");
        write(queries.resolve("positive/bus_in_building.jpg"),
                Fixtures.composite("bus.jpg", "building.jpg", 0.8, 5, 400, 150, false).jpeg());
        write(queries.resolve("negative/home.jpg"), Fixtures.bytes("home.jpg"));
        write(queries.resolve("negative/broken.jpg"), "not an image".getBytes());
        Path out = dir.resolve("out/results.csv");

        // When the match subcommand runs
        int exit = MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries", queries.toString(),
                "--out", out.toString(), "--threads", "2"});

        // Then it succeeds and writes the csv contract, queries relative to Q, sorted
        assertEquals(0, exit, "exit code of a successful run");
        List<String> lines = Files.readAllLines(out);
        assertEquals("query,predicted,score,seconds,match", lines.get(0), "csv header");
        Map<String, String[]> rows = lines.stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toMap(f -> f[0], f -> f));
        assertEquals(3, rows.size(), "one row per query image, undecodable included: " + lines);
        assertEquals("bus", rows.get("positive/bus_in_building.jpg")[1], "the pasted bus is predicted");
        assertEquals("none", rows.get("negative/home.jpg")[1], "a scene without gallery vehicles is none");
        assertEquals("none", rows.get("negative/broken.jpg")[1], "an undecodable query is none, not a crash");
        assertEquals("vehicle", rows.get("positive/bus_in_building.jpg")[4], "the same bus, found with confidence");
        assertEquals("none", rows.get("negative/home.jpg")[4], "no answer");
        for (String[] row : rows.values()) {
            double score = Double.parseDouble(row[2]);
            double seconds = Double.parseDouble(row[3]);
            assertTrue(score >= 0 && score <= 1, "score within 0..1: " + String.join(",", row));
            assertTrue(seconds >= 0 && seconds < 60, "seconds is a per-still time: " + String.join(",", row));
        }
    }

    @Test
    void aLabelTheGalleryNamesAsAModelGetsAModelAnswer() throws IOException {
        // Given a gallery whose labels.csv says "bus" names a model (several physical buses) and "car" one vehicle
        Path gallery = dir.resolve("gallery");
        write(gallery.resolve("bus/front.jpg"), Fixtures.bytes("bus.jpg"));
        write(gallery.resolve("car/rear.jpg"), Fixtures.bytes("car_rear_motion.jpg"));
        write(gallery.resolve("labels.csv"), "label,kind\nbus,model\ncar,vehicle\n".getBytes());
        Path queries = dir.resolve("queries");
        write(queries.resolve("bus.jpg"), Fixtures.composite("bus.jpg", "building.jpg", 0.8, 5, 400, 150,
                false).jpeg());
        Path out = dir.resolve("results.csv");

        // When the match subcommand runs
        int exit = MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries", queries.toString(),
                "--out", out.toString()});

        // Then the bus is found and the answer says it is the same model, however strong the evidence
        assertEquals(0, exit, "exit code");
        String[] row = Files.readAllLines(out).get(1).split(",");
        assertEquals("bus", row[1], "predicted label");
        assertEquals("model", row[4], "a model's label gives a model answer");
    }

    @Test
    void aBadLabelKindIsAUsageErrorNamingTheLine() throws IOException {
        Path gallery = dir.resolve("gallery");
        write(gallery.resolve("bus.jpg"), Fixtures.bytes("bus.jpg"));
        write(gallery.resolve("labels.csv"), "label,kind\nbus,fleet\n".getBytes());
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries",
                dir.toString(), "--out", dir.resolve("r.csv").toString()}),
                "kind 'fleet' is neither vehicle nor model");
    }

    @Test
    void exhaustiveFlagRunsTheTextbookMatcherWithTheSameContract() throws IOException {
        Path gallery = dir.resolve("gallery");
        write(gallery.resolve("bus.jpg"), Fixtures.bytes("bus.jpg"));
        Path queries = dir.resolve("queries");
        write(queries.resolve("bus.jpg"), Fixtures.composite("bus.jpg", "home.jpg", 0.9, 0, 300, 100, false).jpeg());
        Path out = dir.resolve("results.csv");

        int exit = MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries", queries.toString(),
                "--out", out.toString(), "--exhaustive"});

        assertEquals(0, exit, "exit code");
        List<String> lines = Files.readAllLines(out);
        assertEquals("query,predicted,score,seconds,match", lines.get(0), "csv header");
        assertTrue(lines.get(1).startsWith("bus.jpg,bus,"), "exhaustive finds the bus: " + lines.get(1));
    }

    @Test
    void descriptorsOnTheHeapGiveTheSameRowsAsInTheirFile() throws IOException {
        Path gallery = dir.resolve("gallery");
        write(gallery.resolve("bus.jpg"), Fixtures.bytes("bus.jpg"));
        write(gallery.resolve("box.png"), Fixtures.bytes("box.png"));
        Path queries = dir.resolve("queries");
        write(queries.resolve("bus.jpg"), Fixtures.composite("bus.jpg", "home.jpg", 0.9, 0, 300, 100, false).jpeg());
        write(queries.resolve("box.png"), Fixtures.bytes("box_in_scene.png"));
        Path onHeap = dir.resolve("heap.csv");
        Path inFile = dir.resolve("file.csv");

        assertEquals(0, MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries",
                queries.toString(), "--out", onHeap.toString(), "--descriptors", "heap"}), "exit code, heap");
        assertEquals(0, MatchCli.run(new String[] {"match", "--gallery", gallery.toString(), "--queries",
                queries.toString(), "--out", inFile.toString(), "--descriptors", dir.toString()}), "exit code, file");

        List<String> expected = withoutSeconds(Files.readAllLines(onHeap));
        assertEquals(expected, withoutSeconds(Files.readAllLines(inFile)), "query, label, score and answer kind");
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("bus.jpg,bus,")), "the bus is found: " + expected);
    }

    private static List<String> withoutSeconds(List<String> lines) {
        return lines.stream().map(l -> {
            String[] c = l.split(",");
            return c[0] + "," + c[1] + "," + c[2] + "," + c[4];
        }).toList();
    }

    @Test
    void badArgumentsExitWithUsageCode2() {
        assertEquals(2, MatchCli.run(new String[] {}), "no subcommand");
        assertEquals(2, MatchCli.run(new String[] {"frobnicate"}), "unknown subcommand");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.toString()}), "missing --queries/--out");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.resolve("nope").toString(), "--queries",
                dir.toString(), "--out", dir.resolve("r.csv").toString()}), "gallery folder does not exist");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.toString(), "--queries", dir.toString(),
                "--out", dir.resolve("r.csv").toString(), "--threads", "zero"}), "non-numeric --threads");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.toString(), "--queries", dir.toString(),
                "--out", dir.resolve("r.csv").toString(), "--profile", "tiny"}), "unknown gallery profile");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.toString(), "--queries", dir.toString(),
                "--out", dir.resolve("r.csv").toString(), "--model", dir.resolve("nope.properties").toString()}),
                "missing model file");
        assertEquals(2, MatchCli.run(new String[] {"match", "--gallery", dir.toString(), "--queries", dir.toString(),
                "--out", dir.resolve("r.csv").toString(), "--descriptors", dir.resolve("nope").toString()}),
                "--descriptors naming no directory");
        assertEquals(2, MatchCli.run(new String[] {"crossvalidate", "--gallery", dir.toString(), "--queries",
                dir.toString(), "--real", dir.toString(), "--max-model-fp", "0.01"}),
                "--max-model-fp without --model-answers would be ignored");
    }

    @Test
    void aFlagOfTheWrongTypeIsOneErrorLineAndTheCommandsUsageNotAStackTrace() {
        // train-vocabulary --k ten printed a NumberFormatException before the flags were typed (issue 19)
        String[] err = new String[1];
        int exit = withStderr(err, () -> MatchCli.run(new String[] {"train-vocabulary", "--images", dir.toString(),
                "--out", dir.resolve("v.bin").toString(), "--k", "ten"}));
        assertEquals(2, exit, "a usage error");
        assertTrue(err[0].startsWith("error: Invalid value for option '--k': 'ten' is not an int"), err[0]);
        assertTrue(err[0].contains("Usage: identify.jar train-vocabulary"), "the command's usage follows: " + err[0]);
        assertTrue(!err[0].contains("Exception") && !err[0].contains("\tat "), "no stack trace: " + err[0]);
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command : new String[] {"match", "train-vocabulary", "calibrate", "crossvalidate", "scan"}) {
            java.io.PrintStream original = System.out;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            int exit;
            try {
                exit = MatchCli.run(new String[] {command, "--help"});
            } finally {
                System.setOut(original);
            }
            assertEquals(0, exit, command + " --help");
            assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith(
                    "Usage: identify.jar " + command), command + " --help prints its usage: " + out);
        }
    }

    private static int withStderr(String[] captured, java.util.function.IntSupplier action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return action.getAsInt();
        } finally {
            System.setErr(original);
            captured[0] = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
