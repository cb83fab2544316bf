package dev.reelcars.ingest;

import dev.reelcars.platform.image.OpenCvNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Ingest benchmark (issue 4): frames kept per clip with the time taken, and the near-duplicate detection rate of the
 * perceptual hash on re-encoded / resized / cropped copies of real photos, plus its false-positive rate between
 * different photos. Lives in ingest's package to drive the same classes the service uses.
 */
public final class IngestBench {
    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int threshold = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        OpenCvNatives.load();
        clips(data.resolve("video"));
        nearDuplicates(data.resolve("scenes"), threshold);
    }

    static void clips(Path dir) throws Exception {
        System.out.println("## Clips -> stills (sample 4 fps, at most 12 stills per clip)");
        System.out.println();
        System.out.println("| clip | codec | duration s | frames looked at | shots | black | kept | errors | ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        List<Path> clips;
        try (Stream<Path> s = Files.list(dir)) {
            clips = s.sorted().toList();
        }
        List<String> notes = new ArrayList<>();
        for (Path clip : clips) {
            long t0 = System.nanoTime();
            VideoProbe.Info info;
            try {
                info = VideoProbe.probe("ffprobe", clip);
            } catch (RuntimeException e) {
                System.out.printf("| %s | - | - | - | - | - | 0 | refused: %s | %d |%n", clip.getFileName(),
                        e.getMessage(), (System.nanoTime() - t0) / 1_000_000);
                continue;
            }
            FrameSampler.Result r = new FrameSampler("ffmpeg", 4.0, 12).sample(clip, info, 600, n -> { });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            StringBuilder kept = new StringBuilder();
            for (FrameSampler.Frame f : r.frames()) {
                kept.append(kept.length() == 0 ? "" : ", ").append(Timecodes.format(f.seconds()));
            }
            System.out.printf("| %s | %s | %.2f | %d | %d | %d | %d | %d | %d |%n", clip.getFileName(), info.codec(),
                    info.durationSeconds(), r.framesRead(), r.shots(), r.blackFrames(), r.frames().size(),
                    r.errors().size(), ms);
            notes.add(clip.getFileName() + ": kept at " + kept
                    + (r.errors().isEmpty() ? "" : "; first error: " + r.errors().get(0)));
        }
        System.out.println();
        notes.forEach(n -> System.out.println("- " + n));
        System.out.println();
    }

    static void nearDuplicates(Path dir, int threshold) throws IOException {
        ImageValidator validator = new ImageValidator(50L << 20, 100_000_000L);
        Map<String, UnaryOperator<Mat>> variants = new LinkedHashMap<>();
        variants.put("JPEG q=40", m -> m);
        variants.put("resize 50%", m -> resize(m, 0.5));
        variants.put("resize 25%", m -> resize(m, 0.25));
        variants.put("crop 5% per side", m -> crop(m, 0.05));
        variants.put("crop 10% per side", m -> crop(m, 0.10));
        variants.put("resize 50% + crop 5% + q=60", m -> crop(resize(m, 0.5), 0.05));
        variants.put("crop 8% left + 8% top only", m -> {
            int dx = (int) (m.cols() * 0.08);
            int dy = (int) (m.rows() * 0.08);
            return new Mat(m, new Rect(dx, dy, m.cols() - dx, m.rows() - dy)).clone();
        });
        variants.put("crop 4% right + 4% bottom only", m -> {
            int dx = (int) (m.cols() * 0.04);
            int dy = (int) (m.rows() * 0.04);
            return new Mat(m, new Rect(0, 0, m.cols() - dx, m.rows() - dy)).clone();
        });
        variants.put("crop 12% left only", m -> {
            int dx = (int) (m.cols() * 0.12);
            return new Mat(m, new Rect(dx, 0, m.cols() - dx, m.rows())).clone();
        });
        variants.put("brightness +30", m -> {
            Mat out = new Mat();
            m.convertTo(out, -1, 1, 30);
            return out;
        });
        variants.put("grey", m -> {
            Mat g = new Mat();
            Imgproc.cvtColor(m, g, Imgproc.COLOR_BGR2GRAY);
            return g;
        });
        variants.put("letterbox 12% bars", m -> {
            Mat out = new Mat();
            int bar = (int) (m.rows() * 0.12);
            Core.copyMakeBorder(m, out, bar, bar, 0, 0, Core.BORDER_CONSTANT);
            return out;
        });
        variants.put("mirror", m -> {
            Mat out = new Mat();
            Core.flip(m, out, 1);
            return out;
        });
        List<Path> images;
        try (Stream<Path> s = Files.list(dir)) {
            images = s.filter(p -> p.toString().matches(".*\\.(jpg|jpeg|png)$")).sorted().toList();
        }
        List<ImageSignature> originals = new ArrayList<>();
        Map<String, int[]> hits = new LinkedHashMap<>();
        Map<String, List<Integer>> distances = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<String> refused = new ArrayList<>();
        for (Path p : images) {
            byte[] bytes = Files.readAllBytes(p);
            ImageSignature h;
            try {
                h = validator.validate(bytes).signature();
            } catch (dev.reelcars.platform.http.ApiException e) {
                refused.add(p.getFileName() + " (" + e.code() + ": " + e.getMessage() + ")");
                continue;
            }
            originals.add(h);
            for (var v : variants.entrySet()) {
                int q = v.getKey().contains("q=60") ? 60 : v.getKey().startsWith("JPEG") ? 40 : 90;
                byte[] copy = transform(bytes, v.getValue(), q);
                int d = h.distance(validator.validate(copy).signature());
                hits.computeIfAbsent(v.getKey(), k -> new int[2]);
                hits.get(v.getKey())[0] += d <= threshold ? 1 : 0;
                hits.get(v.getKey())[1]++;
                distances.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(d);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("## Near-duplicate detection (64-bit DCT pHash, Hamming <= %d), %d photos from %s%n%n",
                threshold, originals.size(), dir);
        refused.forEach(r -> System.out.println("Refused by upload validation, not counted: " + r));
        System.out.println();
        System.out.println("| copy | detected | rate | median distance | max distance |");
        System.out.println("|---|---|---|---|---|");
        for (var e : hits.entrySet()) {
            List<Integer> ds = new ArrayList<>(distances.get(e.getKey()));
            ds.sort(null);
            System.out.printf("| %s | %d/%d | %.0f%% | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                    100.0 * e.getValue()[0] / e.getValue()[1], ds.get(ds.size() / 2), ds.get(ds.size() - 1));
        }
        int pairs = 0;
        int falsePositives = 0;
        int minDistance = 64;
        for (int i = 0; i < originals.size(); i++) {
            for (int j = i + 1; j < originals.size(); j++) {
                int d = originals.get(i).distance(originals.get(j));
                pairs++;
                falsePositives += d <= threshold ? 1 : 0;
                minDistance = Math.min(minDistance, d);
            }
        }
        System.out.printf("%nFalse positives between different photos: %d of %d pairs (closest pair at distance %d)."
                + " Time: %d ms for %d hashes.%n", falsePositives, pairs, minDistance, ms,
                originals.size() * (variants.size() + 1));
    }

    private static Mat resize(Mat m, double f) {
        Mat out = new Mat();
        Imgproc.resize(m, out, new Size(Math.max(1, m.cols() * f), Math.max(1, m.rows() * f)), 0, 0,
                Imgproc.INTER_AREA);
        return out;
    }

    private static Mat crop(Mat m, double f) {
        int dx = (int) (m.cols() * f);
        int dy = (int) (m.rows() * f);
        return new Mat(m, new Rect(dx, dy, m.cols() - 2 * dx, m.rows() - 2 * dy)).clone();
    }

    private static byte[] transform(byte[] bytes, UnaryOperator<Mat> op, int quality) {
        MatOfByte in = new MatOfByte(bytes);
        Mat decoded = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_COLOR);
        Mat changed = op.apply(decoded);
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".jpg", changed, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
        byte[] result = out.toArray();
        in.release();
        decoded.release();
        changed.release();
        out.release();
        return result;
    }
}
