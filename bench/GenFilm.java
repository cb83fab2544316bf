import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Issue 18 benchmark: a labelled test film for {@code identify.jar scan}. From {@code ../shared/data}: a gallery of
 * openalpr car photos (one per plate, 80% of them; the other 20% are cars not in the gallery), and a 1280×720,
 * 24 fps H.264 film of hard-cut shots of 1-7 s over the scenes: 45% show a gallery car (a 70-95% crop of its
 * photo) pasted at 8-32% of the frame width (65% of them driving across the frame with horizontal motion blur, the rest parked; 30% continue into the
 * next shot), 20% a car not in the gallery, 35% no car. Each shot has its own film look (grey, sepia or faded
 * colour, lowered contrast, lifted blacks), half of them a slow pan or zoom over the scene, and every frame its own
 * grain. Frames go to ffmpeg on a pipe. Writes FILM, its truth CSV {@code label,start,end,kind,width,moving} (kind
 * {@code gallery} or {@code unknown}; consecutive shots of one gallery car are one row) and the gallery folder.
 *
 * <pre>java -cp $OPENCV_JAR bench/GenFilm.java --data ../shared/data --minutes 5 --seed 2 --out DIR</pre>
 */
public class GenFilm {
  static final int W = 1280;
  static final int H = 720;
  static final int FPS = 24;

  record Car(String label, Path photo) {}

  record Shot(double start, double end, Car car, boolean gallery, double width, boolean moving) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path data = Path.of(flags.getOrDefault("data", "../shared/data"));
    double minutes = Double.parseDouble(flags.getOrDefault("minutes", "5"));
    long seed = Long.parseLong(flags.getOrDefault("seed", "2"));
    Path out = Path.of(flags.getOrDefault("out", "bench/out/film"));
    nu.pattern.OpenCV.loadLocally();
    Files.createDirectories(out);

    // The gallery split does not depend on the film's seed: every film is scored against the same gallery.
    List<Car> cars = cars(data.resolve("vehicles/openalpr-eu"));
    java.util.Collections.shuffle(cars, new Random(7));
    int inGallery = cars.size() * 4 / 5;
    List<Car> gallery = cars.subList(0, inGallery);
    List<Car> unknown = cars.subList(inGallery, cars.size());
    for (Car c : gallery) {
      Path dir = out.resolve("gallery").resolve(c.label());
      Files.createDirectories(dir);
      Files.copy(c.photo(), dir.resolve("ref.jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<Path> scenes;
    try (var s = Files.list(data.resolve("scenes"))) {
      scenes = s.filter(p -> p.toString().matches(".*\\.(jpg|jpeg|png)$")).sorted().toList();
    }

    Random rnd = new Random(seed);
    List<Shot> shots = new ArrayList<>();
    double t = 0;
    double total = minutes * 60;
    Car carry = null;
    while (t < total - 1) {
      double length = Math.min(total - t, 1 + 6 * rnd.nextDouble());
      length = Math.round(length * FPS) / (double) FPS;
      double kind = rnd.nextDouble();
      Shot shot;
      double width = 0.08 + 0.24 * rnd.nextDouble();
      boolean moving = rnd.nextDouble() < 0.65;
      if (carry != null) {
        shot = new Shot(t, t + length, carry, true, width, moving);
      } else if (kind < 0.45) {
        shot = new Shot(t, t + length, gallery.get(rnd.nextInt(gallery.size())), true, width, moving);
      } else if (kind < 0.65) {
        shot = new Shot(t, t + length, unknown.get(rnd.nextInt(unknown.size())), false, width, moving);
      } else {
        shot = new Shot(t, t + length, null, false, 0, false);
      }
      carry = shot.gallery() && rnd.nextDouble() < 0.3 ? shot.car() : null;
      shots.add(shot);
      t += length;
    }

    Path film = out.resolve("film.mp4");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt",
        "bgr24", "-s", W + "x" + H, "-r", String.valueOf(FPS), "-i", "pipe:0", "-c:v", "libx264", "-preset",
        "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p", film.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    List<Mat> grain = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Mat n = new Mat(H, W, CvType.CV_16SC3);
      Core.randn(n, 0, 16); // stored at 16 levels a unit, scaled to the shot's sigma below
      grain.add(n);
    }
    long started = System.nanoTime();
    try (OutputStream pipe = ffmpeg.getOutputStream()) {
      byte[] buffer = new byte[W * H * 3];
      for (Shot shot : shots) {
        render(shot, scenes.get(rnd.nextInt(scenes.size())), rnd, grain, pipe, buffer);
      }
    }
    if (ffmpeg.waitFor() != 0) {
      throw new IOException("ffmpeg failed");
    }
    writeTruth(out.resolve("truth.csv"), shots);
    System.err.printf(Locale.ROOT, "GenFilm: %d shots, %.1f min, %d gallery cars, %d unknown, in %.0f s -> %s%n",
        shots.size(), t / 60, gallery.size(), unknown.size(), (System.nanoTime() - started) / 1e9, out);
  }

  /** One car per plate text (a same-vehicle pair's second photo is skipped). */
  static List<Car> cars(Path dir) throws IOException {
    Map<String, Car> byPlate = new LinkedHashMap<>();
    try (var files = Files.list(dir)) {
      for (Path txt : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
        String[] f = Files.readString(txt).strip().split("\\s+");
        Path photo = dir.resolve(f[0]);
        if (f.length >= 6 && Files.exists(photo)) {
          byPlate.putIfAbsent(f[5], new Car(f[5], photo));
        }
      }
    }
    return new ArrayList<>(byPlate.values());
  }

  static void render(Shot shot, Path scenePath, Random rnd, List<Mat> grain, OutputStream pipe, byte[] buffer)
      throws IOException {
    Mat scene = Imgcodecs.imread(scenePath.toString(), Imgcodecs.IMREAD_COLOR);
    int frames = (int) Math.round((shot.end() - shot.start()) * FPS);
    // Camera: half the shots pan or zoom slowly over the scene (at most 10% of it over the shot).
    boolean camera = rnd.nextDouble() < 0.5;
    double zoom0 = 1.0 + 0.1 * rnd.nextDouble();
    double zoom1 = camera ? 1.0 + 0.1 * rnd.nextDouble() : zoom0;
    double panX = camera ? (rnd.nextDouble() - 0.5) * 0.1 : 0;
    // Look: 0 grey, 1 sepia, 2 faded colour; contrast 0.5-0.9, blacks lifted 10-60, grain sigma 3-10.
    int look = rnd.nextInt(3);
    double contrast = 0.5 + 0.4 * rnd.nextDouble();
    double lift = 10 + 50 * rnd.nextDouble();
    double sigma = 3 + 7 * rnd.nextDouble();
    Mat car = null;
    int carW = 0;
    int carH = 0;
    double x0 = 0;
    double x1 = 0;
    int y = 0;
    if (shot.car() != null) {
      Mat whole = Imgcodecs.imread(shot.car().photo().toString(), Imgcodecs.IMREAD_COLOR);
      // Another crop of the reference photo than the gallery's whole one: 70-95% of each side.
      int cw = (int) (whole.cols() * (0.7 + 0.25 * rnd.nextDouble()));
      int ch = (int) (whole.rows() * (0.7 + 0.25 * rnd.nextDouble()));
      Mat photo = whole.submat(new Rect(rnd.nextInt(whole.cols() - cw + 1), rnd.nextInt(whole.rows() - ch + 1), cw,
          ch)).clone();
      whole.release();
      carW = (int) Math.round(shot.width() * W);
      carH = (int) Math.round(photo.rows() * (double) carW / photo.cols());
      carH = Math.min(carH, H - 10);
      car = new Mat();
      Imgproc.resize(photo, car, new Size(carW, carH), 0, 0, Imgproc.INTER_AREA);
      photo.release();
      x0 = rnd.nextDouble() * (W - carW);
      y = rnd.nextInt(Math.max(1, H - carH));
      if (shot.moving()) {
        // Drives across: 40-100% of the free width over the shot, in either direction, never faster than 40 px a
        // frame; blurred along its motion by as many pixels as it moves in half a frame time (180° shutter).
        double travel = (W - carW) * (0.4 + 0.6 * rnd.nextDouble());
        travel = Math.min(travel, 40.0 * frames);
        boolean right = rnd.nextBoolean();
        x0 = right ? rnd.nextDouble() * (W - carW - travel) : travel + rnd.nextDouble() * (W - carW - travel);
        x1 = right ? x0 + travel : x0 - travel;
        int blur = (int) Math.max(1, Math.round(travel / frames / 2));
        if (blur > 1) {
          Mat kernel = Mat.ones(1, blur, CvType.CV_32F);
          Core.multiply(kernel, new Scalar(1.0 / blur), kernel);
          Imgproc.filter2D(car, car, -1, kernel);
          kernel.release();
        }
      } else {
        x1 = x0;
      }
    }
    Mat frame = new Mat();
    Mat grey = new Mat();
    Mat noisy = new Mat();
    Mat affine = new Mat(2, 3, CvType.CV_64F);
    for (int i = 0; i < frames; i++) {
      double a = frames <= 1 ? 0 : i / (double) (frames - 1);
      double z = zoom0 + (zoom1 - zoom0) * a;
      // Scene stretched to the frame, scaled by z about the centre and shifted by the pan.
      double sx = W * z / scene.cols();
      double sy = H * z / scene.rows();
      affine.put(0, 0, sx, 0, -(W * (z - 1) / 2) + panX * W * (a - 0.5), 0, sy, -(H * (z - 1) / 2));
      Imgproc.warpAffine(scene, frame, affine, new Size(W, H), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT);
      if (car != null) {
        int x = (int) Math.round(x0 + (x1 - x0) * a);
        car.copyTo(frame.submat(new Rect(x, y, carW, carH)));
      }
      if (look == 0 || look == 1) {
        Imgproc.cvtColor(frame, grey, Imgproc.COLOR_BGR2GRAY);
        Imgproc.cvtColor(grey, frame, Imgproc.COLOR_GRAY2BGR);
        if (look == 1) {
          Core.multiply(frame, new Scalar(0.82, 0.95, 1.08), frame);
        }
      }
      frame.convertTo(frame, -1, contrast, lift);
      Mat g = grain.get(rnd.nextInt(grain.size()));
      Core.scaleAdd(g, sigma / 16, frameAs16(frame, noisy), noisy);
      noisy.convertTo(frame, CvType.CV_8UC3);
      frame.get(0, 0, buffer);
      pipe.write(buffer);
    }
    for (Mat m : new Mat[] {scene, frame, grey, noisy, affine}) {
      m.release();
    }
    if (car != null) {
      car.release();
    }
  }

  static Mat frameAs16(Mat frame, Mat out) {
    frame.convertTo(out, CvType.CV_16SC3);
    return out;
  }

  static void writeTruth(Path file, List<Shot> shots) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("label,start,end,kind,width,moving");
      for (int i = 0; i < shots.size(); i++) {
        Shot s = shots.get(i);
        if (s.car() == null) {
          continue;
        }
        double end = s.end();
        // Consecutive shots of the same gallery car are one appearance (cut to cut, the car stays on screen).
        while (s.gallery() && i + 1 < shots.size() && shots.get(i + 1).gallery()
            && shots.get(i + 1).car() == s.car()) {
          end = shots.get(++i).end();
        }
        w.printf(Locale.ROOT, "%s,%.3f,%.3f,%s,%.3f,%s%n", s.car().label(), s.start(), end,
            s.gallery() ? "gallery" : "unknown", s.width(), s.moving());
      }
    }
  }
}
