import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Distractor references and the gallery-N folders made of symlinks. */
final class Galleries {

    private Galleries() {}

    static String distractorName(int i) {
        return String.format("d%05d", i);
    }

    /**
     * Distractor {@code i} (1-based): a random crop of a non-vehicle image, maybe mirrored or grey,
     * rescaled to fit 400x300, JPEG q80. Seeded by {@code i} alone.
     */
    static void writeDistractor(Path out, int i, List<Mat> images, long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + i);
        Mat src = images.get(r.nextInt(images.size()));
        int w = src.cols(), h = src.rows();
        double area = 0.12 + 0.88 * r.nextDouble();
        double aspect = 0.75 + 0.85 * r.nextDouble();
        int cw = (int) Math.min(w, Math.round(Math.sqrt(area * w * h * aspect)));
        int ch = (int) Math.min(h, Math.round(cw / aspect));
        cw = Math.max(cw, 16);
        ch = Math.max(ch, 16);
        Rect crop = new Rect(r.nextInt(w - cw + 1), r.nextInt(h - ch + 1), cw, ch);
        double longSide = 200 + 200 * r.nextDouble();
        double s = Math.min(Math.min(400.0 / cw, 300.0 / ch), longSide / Math.max(cw, ch));
        Mat small = new Mat();
        Mat view = src.submat(crop);
        Imgproc.resize(view, small, new Size(Math.max(16, Math.round(cw * s)), Math.max(16, Math.round(ch * s))),
                0, 0, s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        view.release();
        if (r.nextBoolean()) Core.flip(small, small, 1);
        if (r.nextDouble() < 0.15) {
            Imgproc.cvtColor(small, small, Imgproc.COLOR_BGR2GRAY);
            Imgproc.cvtColor(small, small, Imgproc.COLOR_GRAY2BGR);
        }
        Queries.write(out.resolve("distractors").resolve(distractorName(i) + ".jpg"), small, 80);
        small.release();
    }

    /**
     * gallery-N: every labelled car (or N of them, the pair cars first, when there are more than N)
     * plus distractors d00001.. to fill up to N. Real folders per label holding a relative symlink
     * {@code ref.jpg}, so walkers that do not follow directory links still see every reference.
     * Returns the labels of cars included.
     */
    static Set<String> writeGallery(Path out, int n, List<String> labels, Set<String> mustKeep, long seed) throws IOException {
        List<String> cars = new ArrayList<>(labels);
        if (cars.size() > n) {
            List<String> rest = new ArrayList<>(cars);
            rest.removeAll(mustKeep);
            Collections.shuffle(rest, new Random(seed ^ n));
            cars = new ArrayList<>(mustKeep);
            cars.addAll(rest.subList(0, n - cars.size()));
            Collections.sort(cars);
        }
        Path dir = out.resolve("gallery-" + n);
        for (String label : cars) {
            link(dir.resolve(label), Path.of("../../gallery/" + label + "/ref.jpg"));
        }
        for (int i = 1; i <= n - cars.size(); i++) {
            link(dir.resolve(distractorName(i)), Path.of("../../distractors/" + distractorName(i) + ".jpg"));
        }
        return Set.copyOf(cars);
    }

    private static void link(Path labelDir, Path target) {
        try {
            Files.createDirectories(labelDir);
            Files.createSymbolicLink(labelDir.resolve("ref.jpg"), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
