import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The real cross-camera sets of gen-reid.py with every query view pasted, at its own size (70-250 px wide), into a
 * 1280×720 frame of a scene from the dev data, JPEG quality 80: a small vehicle in a film-sized frame, which the
 * matcher does not upscale as it upscales the small crops themselves. Same galleries (symlinked), same truth.
 *
 * <pre>java -cp identify/target/identify.jar bench/ReidFrames.java [bench/out/reid] [bench/out/reid-frames] [data]</pre>
 */
public class ReidFrames {
  public static void main(String[] args) throws IOException {
    Path in = Path.of(args.length > 0 ? args[0] : "bench/out/reid");
    Path out = Path.of(args.length > 1 ? args[1] : "bench/out/reid-frames");
    Path scenes = Path.of(args.length > 2 ? args[2] : "../shared/data").resolve("scenes");
    nu.pattern.OpenCV.loadLocally();
    List<Path> backgrounds;
    try (Stream<Path> s = Files.list(scenes)) {
      backgrounds = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    List<Path> sets;
    try (Stream<Path> s = Files.list(in)) {
      sets = s.filter(p -> Files.isDirectory(p.resolve("gallery"))).sorted().toList();
    }
    for (Path set : sets) {
      Path target = out.resolve(set.getFileName());
      Files.createDirectories(target.resolve("queries"));
      Path gallery = target.resolve("gallery");
      if (!Files.exists(gallery)) {
        Files.createSymbolicLink(gallery, set.resolve("gallery").toAbsolutePath());
      }
      Files.copy(set.resolve("queries/truth.csv"), target.resolve("queries/truth.csv"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      List<Path> queries;
      try (Stream<Path> s = Files.walk(set.resolve("queries"))) {
        queries = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
      }
      for (Path query : queries) {
        String relative = set.resolve("queries").relativize(query).toString();
        Random random = new Random(relative.hashCode()); // deterministic: seeded by the query's path
        Mat vehicle = Imgcodecs.imread(query.toString());
        Mat scene = Imgcodecs.imread(backgrounds.get(random.nextInt(backgrounds.size())).toString());
        Mat frame = new Mat();
        Imgproc.resize(scene, frame, new Size(1280, 720), 0, 0, Imgproc.INTER_AREA);
        int w = Math.min(vehicle.cols(), 1280);
        int h = Math.min(vehicle.rows(), 720);
        int x = random.nextInt(1280 - w + 1);
        int y = random.nextInt(720 - h + 1);
        Mat part = vehicle.submat(new Rect(0, 0, w, h));
        part.copyTo(frame.submat(new Rect(x, y, w, h)));
        MatOfByte jpeg = new MatOfByte();
        Imgcodecs.imencode(".jpg", frame, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80));
        Path file = target.resolve("queries").resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, jpeg.toArray());
        for (Mat m : new Mat[] {vehicle, scene, frame, part, jpeg}) {
          m.release();
        }
      }
      System.out.println(target + ": " + queries.size() + " frames");
    }
  }
}
