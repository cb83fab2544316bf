import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.identify.matcher.ImageDecodeException;
import dev.reelcars.identify.matcher.MatchEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Issue 16 point 5: what a still costs against its pixel count. Matches a 1280×720 composite (the test fixtures'
 * bus pasted into their building scene) and larger versions of it, alternating, and prints each one's fastest time
 * over the rounds and its ratio to the 1280×720 still. One thread.
 *
 * <pre>java -cp identify/target/identify.jar bench/GiantStills.java [rounds]</pre>
 */
public class GiantStills {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    nu.pattern.OpenCV.loadLocally();
    Core.setNumThreads(1);
    Path fixtures = Path.of("identify/src/test/resources/fixtures");
    MatchEngine engine = new MatchEngine(EngineConfig.defaults());
    engine.addReference("bus-1", "bus", Files.readAllBytes(fixtures.resolve("bus.jpg")));
    engine.addReference("car-1", "car", Files.readAllBytes(fixtures.resolve("car_rear_motion.jpg")));
    engine.addReference("box-1", "box", Files.readAllBytes(fixtures.resolve("box.png")));
    Mat still = composite(fixtures);
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("1280x720 JPEG q80 (the still)", encode(still, ".jpg"));
    Mat grey = new Mat();
    Imgproc.cvtColor(still, grey, Imgproc.COLOR_BGR2GRAY);
    cases.put("7000x7000 grey JPEG q80, flat, the still in its middle", encode(onCanvas(grey, 7000, 7000), ".jpg"));
    cases.put("7000x7000 JPEG q80, the still stretched", encode(resized(still, 7000, 7000), ".jpg"));
    cases.put("3200x1800 JPEG q80, the still stretched", encode(resized(still, 3200, 1800), ".jpg"));
    cases.put("1920x1080 PNG, flat, the still in its middle", encode(onCanvas(still, 1920, 1080), ".png"));
    cases.put("1920x1080 PNG, the still stretched, grain sigma 4", encode(grainy(resized(still, 1920, 1080)), ".png"));
    cases.put("3840x2160 PNG, the still stretched, grain sigma 4 (refused)",
        encode(grainy(resized(still, 3840, 2160)), ".png"));
    cases.put("7000x7000 PNG, flat (refused)", encode(onCanvas(grey, 7000, 7000), ".png"));
    Map<String, Long> best = new LinkedHashMap<>();
    Map<String, String> answer = new LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, byte[]> c : cases.entrySet()) {
        long start = System.nanoTime();
        String result;
        try {
          var r = engine.match(c.getValue());
          result = r.matched() ? r.best().label() : "none";
        } catch (ImageDecodeException e) {
          result = "refused";
        }
        long nanos = System.nanoTime() - start;
        if (round > 0) { // round 0 warms up
          best.merge(c.getKey(), nanos, Math::min);
        }
        answer.put(c.getKey(), result);
      }
    }
    double base = best.values().iterator().next();
    System.out.printf(Locale.ROOT, "%-56s %9s %8s %8s %s%n", "still", "KB", "ms", "ratio", "answer");
    for (String key : cases.keySet()) {
      System.out.printf(Locale.ROOT, "%-56s %9d %8.1f %8.2f %s%n", key, cases.get(key).length / 1024,
          best.get(key) / 1e6, best.get(key) / base, answer.get(key));
    }
    engine.close();
  }

  private static Mat composite(Path fixtures) {
    Mat bus = Imgcodecs.imread(fixtures.resolve("bus.jpg").toString());
    Mat scene = Imgcodecs.imread(fixtures.resolve("building.jpg").toString());
    Mat frame = resized(scene, 1280, 720);
    Mat small = resized(bus, (int) (bus.cols() * 0.8), (int) (bus.rows() * 0.8));
    small.copyTo(frame.submat(new Rect(420, 150, small.cols(), small.rows())));
    return frame;
  }

  private static Mat resized(Mat image, int width, int height) {
    Mat out = new Mat();
    Imgproc.resize(image, out, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
    return out;
  }

  private static Mat onCanvas(Mat image, int width, int height) {
    Mat canvas = new Mat(height, width, image.type(), Scalar.all(120));
    image.copyTo(canvas.submat(new Rect((width - image.cols()) / 2, (height - image.rows()) / 2, image.cols(),
        image.rows())));
    return canvas;
  }

  private static Mat grainy(Mat image) {
    Mat noise = new Mat(image.size(), CvType.CV_8SC3);
    Core.randn(noise, 0, 4);
    Mat out = new Mat();
    Core.add(image, noise, out, new Mat(), CvType.CV_8UC3);
    return out;
  }

  private static byte[] encode(Mat image, String ext) {
    MatOfByte out = new MatOfByte();
    Imgcodecs.imencode(ext, image, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80));
    return out.toArray();
  }
}
