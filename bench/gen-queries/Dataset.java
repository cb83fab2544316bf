import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The labelled inventory read from the shared data folder: which cars go into the gallery, which are
 * held out as unknown cars, which real second views exist, and which images may feed backgrounds or
 * distractors. All choices are made from a sorted listing and a fixed seed, so they never depend on
 * directory order.
 */
record Dataset(
        List<Car> gallery,
        List<Car> heldOut,
        List<SecondView> secondViews,
        List<Path> queryScenes,
        List<Path> distractorSources,
        List<Path> dashcam) {

    /** A car photo; {@code plate} is null when no plate box is known; {@code cutout} = PNG with alpha. */
    record Car(String label, Path image, int[] plate, boolean cutout) {}

    /** A real second photo of a gallery car. */
    record SecondView(String label, Path image) {}

    /** Scenes used for query backgrounds and scene negatives; the rest feed distractors only. */
    static final int QUERY_SCENES = 45;

    static Dataset load(Path data, long seed, double holdOutFraction) throws IOException {
        Path alpr = data.resolve("vehicles/openalpr-eu");
        Map<String, String> hasVehicle = readManifest(data.resolve("MANIFEST.tsv"));

        // Same-vehicle pairs: image_a is the reference, image_b a real second view, one label.
        List<SecondView> secondViews = new ArrayList<>();
        Set<String> pairA = new HashSet<>();
        Set<String> pairB = new HashSet<>();
        Set<String> pairLabels = new HashSet<>();
        for (String line : Files.readAllLines(data.resolve("vehicles/same_vehicle_pairs.tsv"))) {
            String[] f = line.split("\t");
            if (f.length < 4 || f[0].equals("region")) continue;
            String label = sanitize(f[1]);
            pairA.add(Path.of(f[2]).getFileName().toString());
            pairB.add(Path.of(f[3]).getFileName().toString());
            pairLabels.add(label);
            secondViews.add(new SecondView(label, data.resolve("vehicles").resolve(f[3])));
        }

        List<Car> pairCars = new ArrayList<>();
        List<Car> singles = new ArrayList<>();
        Map<String, Integer> plateCount = new HashMap<>();
        for (Path txt : sorted(alpr, ".txt")) {
            String[] f = Files.readString(txt).trim().split("\\s+");
            String file = f[0];
            if (pairB.contains(file)) continue;
            String plate = sanitize(f[5]);
            plateCount.merge(plate, 1, Integer::sum);
            int[] box = {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])};
            Car car = new Car(plate, alpr.resolve(file), box, false);
            (pairA.contains(file) ? pairCars : singles).add(car);
        }
        // A plate seen twice outside the declared pairs would merge two photos under one label
        // without anyone checking they are the same car: label those by file stem instead.
        List<Car> fixed = new ArrayList<>();
        for (Car c : singles) {
            boolean repeats = plateCount.get(c.label()) > 1 || pairLabels.contains(c.label());
            fixed.add(repeats ? new Car(stem(c.image()), c.image(), c.plate(), false) : c);
        }
        fixed.sort((a, b) -> a.label().compareTo(b.label()));
        Collections.shuffle(fixed, new Random(seed ^ 0x4845_4c44L));
        int nHeld = (int) Math.round(holdOutFraction * fixed.size());
        List<Car> heldOut = new ArrayList<>(fixed.subList(0, nHeld));
        List<Car> gallery = new ArrayList<>(pairCars);
        gallery.addAll(fixed.subList(nHeld, fixed.size()));

        Path debian = data.resolve("vehicles/debian");
        for (Path p : sorted(debian, ".jpg", ".png")) {
            gallery.add(new Car(stem(p), p, null, isCutout(p)));
        }
        // The motorcycle's right stereo view is a real second view of the debian reference.
        Path moto = data.resolve("pairs/skimage_motorcycle_stereo/b.png");
        if (Files.exists(moto) && Files.exists(debian.resolve("skimage_motorcycle.png"))) {
            secondViews.add(new SecondView("skimage_motorcycle", moto));
        }
        gallery.sort((a, b) -> a.label().compareTo(b.label()));
        heldOut.sort((a, b) -> a.label().compareTo(b.label()));
        secondViews.sort((a, b) -> a.image().compareTo(b.image()));

        List<Path> scenes = new ArrayList<>(sorted(data.resolve("scenes"), ".jpg", ".png"));
        Collections.shuffle(scenes, new Random(seed ^ 0x5343_454eL));
        List<Path> queryScenes = new ArrayList<>(scenes.subList(0, Math.min(QUERY_SCENES, scenes.size())));
        List<Path> distractorSources = new ArrayList<>(scenes.subList(queryScenes.size(), scenes.size()));
        // pairs/* whose manifest row says it shows a vehicle are gallery cars (truck, red car, motorcycle).
        try (Stream<Path> dirs = Files.list(data.resolve("pairs"))) {
            for (Path dir : dirs.sorted().toList()) {
                for (Path img : sorted(dir, ".jpg", ".png")) {
                    String rel = data.relativize(img).toString();
                    if (!hasVehicle.getOrDefault(rel, "yes").startsWith("no")) continue;
                    distractorSources.add(img);
                }
            }
        }
        queryScenes.sort(null);
        distractorSources.sort(null);
        List<Path> dashcam = sorted(data.resolve("dashcam"), ".jpg", ".png");
        return new Dataset(gallery, heldOut, secondViews, queryScenes, distractorSources, dashcam);
    }

    private static Map<String, String> readManifest(Path tsv) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        List<String> header = List.of(lines.get(0).split("\t"));
        int col = header.indexOf("has_vehicle");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f.length > col) out.put(f[0], f[col].trim());
        }
        return out;
    }

    private static boolean isCutout(Path png) throws IOException {
        if (!png.toString().endsWith(".png")) return false;
        byte[] head = new byte[26];
        try (var in = Files.newInputStream(png)) {
            if (in.read(head) < 26) return false;
        }
        int colourType = head[25];
        return colourType == 4 || colourType == 6;
    }

    static List<Path> sorted(Path dir, String... exts) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase();
                for (String e : exts) if (n.endsWith(e)) return true;
                return false;
            }).sorted().toList();
        }
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return sanitize(dot < 0 ? n : n.substring(0, dot));
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
