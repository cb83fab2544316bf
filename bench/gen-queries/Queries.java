import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * One query split (test or calibration): the list of jobs that write its images, each with its own
 * seeded {@link Random} so that the result is independent of thread scheduling and of other jobs.
 */
final class Queries {

    /** One line of truth.csv plus the parameters that made the image (meta.csv). */
    record Row(String query, String label, String kind, String meta) {}

    /**
     * How many images of each kind a split gets. {@code plateViewsPerCar}: stills of a held-out car wearing a
     * gallery car's number plate (calibration only: they stand in for real second views, where the plate is the
     * only surface the two photos share).
     */
    record Counts(int compositesPerCar, int unknownPerCar, int sceneNegatives, boolean realViews,
                  int plateViewsPerCar) {}

    private final Path dir;
    private final String split;
    private final long seed;
    private final Dataset ds;
    private final Map<Path, Mat> images;

    Queries(Path dir, String split, long seed, Dataset ds, Map<Path, Mat> images) {
        this.dir = dir;
        this.split = split;
        this.seed = seed;
        this.ds = ds;
        this.images = images;
    }

    List<Supplier<Row>> jobs(Counts c) {
        List<Supplier<Row>> jobs = new ArrayList<>();
        for (Dataset.Car car : ds.gallery()) {
            for (int n = 1; n <= c.compositesPerCar(); n++) {
                String name = "positive/composite/" + car.label() + "__" + n + ".jpg";
                jobs.add(() -> composite(name, car, car.label(), "composite"));
            }
        }
        for (Dataset.Car car : ds.heldOut()) {
            for (int n = 1; n <= c.unknownPerCar(); n++) {
                String name = "negative/unknown_car/" + car.label() + "__" + n + ".jpg";
                jobs.add(() -> composite(name, car, "none", "unknown_car"));
            }
        }
        // Donors never include the cars with real second views: those plates are only ever seen in the test split.
        java.util.Set<String> tested = new java.util.HashSet<>();
        ds.secondViews().forEach(v -> tested.add(v.label()));
        List<Dataset.Car> plated = ds.gallery().stream()
                .filter(car -> car.plate() != null && !tested.contains(car.label())).toList();
        for (Dataset.Car car : ds.heldOut()) {
            for (int n = 1; n <= c.plateViewsPerCar() && car.plate() != null && !plated.isEmpty(); n++) {
                String key = car.label() + "__" + n;
                Dataset.Car donor = plated.get(random("donor/" + key).nextInt(plated.size()));
                String name = "positive/plate_view/" + donor.label() + "__on_" + key + ".jpg";
                jobs.add(() -> plateView(name, car, donor));
            }
        }
        List<Path> scenes = ds.queryScenes();
        for (int i = 0; i < c.sceneNegatives(); i++) {
            Path scene = scenes.get(i % scenes.size());
            String name = "negative/scene/" + Dataset.stem(scene) + "__" + (i / scenes.size() + 1) + ".jpg";
            jobs.add(() -> sceneOnly(name, scene));
        }
        if (c.realViews()) {
            for (Dataset.SecondView v : ds.secondViews()) {
                jobs.add(() -> copy("positive/second_view/" + v.label() + "__b.jpg", v.image(), v.label(), "second_view"));
                jobs.add(() -> filmed("positive/second_view/" + v.label() + "__b_film.jpg", v.image(), v.label()));
            }
            for (Path frame : ds.dashcam()) {
                jobs.add(() -> copy("negative/dashcam/" + Dataset.stem(frame) + ".jpg", frame, "none", "dashcam"));
            }
        }
        return jobs;
    }

    private Random random(String name) {
        long h = seed;
        for (String part : new String[] {split, name}) {
            h ^= part.hashCode();
            h *= 0x9E3779B97F4A7C15L;
            h ^= h >>> 31;
        }
        return new Random(h);
    }

    private Row composite(String name, Dataset.Car car, String label, String kind) {
        Random r = random(name);
        Mat[] crop = CarImages.queryCrop(car, images.get(car.image()), r);
        Compositor.Frame frame = Compositor.Frame.random(r);
        Path scene = ds.queryScenes().get(r.nextInt(ds.queryScenes().size()));
        Mat content = Compositor.background(images.get(scene), frame.width(), frame.contentHeight(), r);
        Compositor.Placement p = Compositor.pasteCar(content, crop[0], crop[1], r);
        FilmLook look = FilmLook.random(r);
        writeFrame(name, content, frame, look, r);
        for (Mat m : crop) if (m != null) m.release();
        content.release();
        Rect b = p.box();
        String meta = String.join(",", car.image().getFileName().toString(), Dataset.stem(scene), frame.type(),
                p.base(), fmt(p.scale()), fmt(p.angleDeg()), fmt(p.occluded()),
                (b.x) + " " + (b.y + frame.top()) + " " + b.width + " " + b.height, look.describe());
        return new Row(name, label, kind, meta);
    }

    private Row sceneOnly(String name, Path scene) {
        Random r = random(name);
        Compositor.Frame frame = Compositor.Frame.random(r);
        Mat content = Compositor.background(images.get(scene), frame.width(), frame.contentHeight(), r);
        FilmLook look = FilmLook.random(r);
        writeFrame(name, content, frame, look, r);
        content.release();
        String meta = String.join(",", "", Dataset.stem(scene), frame.type(), "", "", "", "", "", look.describe());
        return new Row(name, "none", "scene", meta);
    }

    private Row copy(String name, Path src, String label, String kind) {
        Path dst = dir.resolve(name);
        try {
            Files.createDirectories(dst.getParent());
            if (src.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")) {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Mat m = Imgcodecs.imread(src.toString(), Imgcodecs.IMREAD_COLOR);
                write(dst, m, 95);
                m.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String meta = String.join(",", src.getFileName().toString(), "", "original", "", "", "", "", "", "");
        return new Row(name, label, kind, meta);
    }

    /** A real second view, also aged like a film still at its own size. */
    private Row filmed(String name, Path src, String label) {
        Random r = random(name);
        Mat m = Imgcodecs.imread(src.toString(), Imgcodecs.IMREAD_COLOR);
        FilmLook look = FilmLook.random(r);
        Mat aged = look.apply(m, r);
        write(dir.resolve(name), aged, look.jpegQuality());
        m.release();
        aged.release();
        String meta = String.join(",", src.getFileName().toString(), "", "original", "", "", "", "", "", look.describe());
        return new Row(name, label, "second_view", meta);
    }

    /**
     * A held-out car's own photo with the donor's number plate warped onto its plate box: a second view of the
     * donor that shares nothing with the donor's reference but the plate (like a front seen against a rear). The
     * plate is re-lit, tilted a little and softened so it is not the reference's pixels verbatim; half of these
     * are then aged like a film still.
     */
    private Row plateView(String name, Dataset.Car car, Dataset.Car donor) {
        Random r = random(name);
        Mat photo = images.get(car.image()).clone();
        Mat source = images.get(donor.image());
        int[] s = donor.plate();
        int[] d = car.plate();
        double jitter = 0.12 * d[3];
        MatOfPoint2f from = new MatOfPoint2f(new Point(s[0], s[1]), new Point(s[0] + s[2], s[1]),
                new Point(s[0] + s[2], s[1] + s[3]), new Point(s[0], s[1] + s[3]));
        Point[] corners = {new Point(d[0], d[1]), new Point(d[0] + d[2], d[1]), new Point(d[0] + d[2], d[1] + d[3]),
                new Point(d[0], d[1] + d[3])};
        for (Point p : corners) {
            p.x += jitter * (2 * r.nextDouble() - 1);
            p.y += jitter * (2 * r.nextDouble() - 1);
        }
        MatOfPoint2f to = new MatOfPoint2f(corners);
        Mat h = Imgproc.getPerspectiveTransform(from, to);
        Mat warped = new Mat();
        Imgproc.warpPerspective(source, warped, h, photo.size(), Imgproc.INTER_LINEAR);
        double gain = 0.75 + 0.5 * r.nextDouble();
        double offset = 30 * (2 * r.nextDouble() - 1);
        warped.convertTo(warped, -1, gain, offset);
        double blur = 1.2 * r.nextDouble();
        if (blur > 0.3) Imgproc.GaussianBlur(warped, warped, new Size(0, 0), blur);
        Mat mask = new Mat(photo.size(), CvType.CV_8UC1, new Scalar(0));
        Imgproc.fillConvexPoly(mask, new MatOfPoint(corners), new Scalar(255));
        warped.copyTo(photo, mask);
        boolean aged = r.nextBoolean();
        FilmLook look = aged ? FilmLook.random(r) : null;
        Mat out = aged ? look.apply(photo, r) : photo;
        write(dir.resolve(name), out, aged ? look.jpegQuality() : 90);
        for (Mat m : new Mat[] {from, to, h, warped, mask, photo, out}) m.release();
        String meta = String.join(",", car.image().getFileName().toString(), "", "original",
                "plate of " + donor.label() + " gain " + fmt(gain) + " blur " + fmt(blur), "", "", "",
                d[0] + " " + d[1] + " " + d[2] + " " + d[3], aged ? look.describe() : "");
        return new Row(name, donor.label(), "plate_view", meta);
    }

    private void writeFrame(String name, Mat content, Compositor.Frame frame, FilmLook look, Random r) {
        Mat aged = look.apply(content, r);
        Mat out = aged;
        if (frame.contentHeight() != frame.height()) {
            out = new Mat(frame.height(), frame.width(), CvType.CV_8UC3, new Scalar(0, 0, 0));
            Mat picture = out.submat(new Rect(0, frame.top(), frame.width(), frame.contentHeight()));
            aged.copyTo(picture);
            picture.release();
            aged.release();
        }
        write(dir.resolve(name), out, look.jpegQuality());
        out.release();
    }

    static void write(Path file, Mat img, int quality) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        if (!Imgcodecs.imwrite(file.toString(), img, params)) {
            throw new IllegalStateException("could not write " + file);
        }
        params.release();
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static final String META_HEADER = "query,label,kind,source,scene,frame,base,scale,angle_deg,occluded,box_xywh,look";

}
