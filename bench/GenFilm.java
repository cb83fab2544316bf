import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * photo) pasted at 8-32% of the frame width (65% of them driving across the frame with horizontal motion blur, the
 * rest parked; 30% continue into the next shot), 20% a car not in the gallery, 35% no car. Each shot has its own film
 * look (grey, sepia or faded colour, lowered contrast, lifted blacks), half of them a slow pan or zoom over the scene,
 * and every frame its own grain. Writes FILM, its truth CSV {@code label,start,end,kind,width,moving} (kind
 * {@code gallery} or {@code unknown}; consecutive shots of one gallery car are one row) and the gallery folder.
 *
 * <p>Fast enough for a feature-length film: the shots are planned first from the seed (each with its own random
 * stream, so the film does not depend on how it is cut up), then rendered in chunks of about a minute on
 * {@code --jobs} workers, each piping raw YUV 4:2:0 frames to its own x264 (see {@link #X264_PARAMS}; a keyframe at
 * every cut; CRF 23 capped at {@code --maxrate-kbit}, default 4000, so about 4 Mbit/s), and the chunks are
 * joined without re-encoding by ffmpeg's concat demuxer. Per frame Java does only what changes: the look is applied
 * to the scene and the car once a shot, the scene is warped only in shots whose camera moves, and the grain (a few
 * pre-drawn fields, scaled per shot) is added to the luma plane.
 *
 * <pre>java -cp $OPENCV_JAR bench/GenFilm.java --data ../shared/data --minutes 5 --seed 2 --out DIR [--jobs 2]
 *     [--maxrate-kbit 4000] [--x264-params P]</pre>
 */
public class GenFilm {
  static final int W = 1280;
  static final int H = 720;
  static final int FPS = 24;
  /** Film seconds per rendered chunk: small enough to balance the workers, long enough for x264's rate control. */
  static final double CHUNK_SECONDS = 60;
  static final int GRAIN_FIELDS = 8;
  /**
   * x264's {@code ultrafast} with what makes a real feature's stream costly to decode put back: CABAC, the loop
   * filter and B-frames (3, fixed). Encodes at about 7 ms a frame here against {@code superfast}'s 10 and
   * {@code veryfast}'s 17; the motion search ultrafast drops changes little for the decoder.
   */
  static final String X264_PARAMS = "cabac=1:deblock=1,0:bframes=3:b-adapt=0:keyint=240";

  record Car(String label, Path photo) {}

  record Shot(int index, double start, double end, Car car, boolean gallery, double width, boolean moving,
              Path scene, long seed) {
    int frames() {
      return (int) Math.round((end - start) * FPS);
    }
  }

  record Encoder(String x264Params, int maxrateKbit) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path data = Path.of(flags.getOrDefault("data", "../shared/data"));
    double minutes = Double.parseDouble(flags.getOrDefault("minutes", "5"));
    long seed = Long.parseLong(flags.getOrDefault("seed", "2"));
    Path out = Path.of(flags.getOrDefault("out", "bench/out/film"));
    int jobs = Integer.parseInt(flags.getOrDefault("jobs", "2"));
    Encoder encoder = new Encoder(flags.getOrDefault("x264-params", X264_PARAMS),
        Integer.parseInt(flags.getOrDefault("maxrate-kbit", "4000")));
    nu.pattern.OpenCV.loadLocally();
    Files.createDirectories(out);

    // The gallery split does not depend on the film's seed: every film is scored against the same gallery.
    List<Car> cars = cars(data.resolve("vehicles/openalpr-eu"));
    Collections.shuffle(cars, new Random(7));
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

    List<Shot> shots = plan(minutes * 60, seed, gallery, unknown, scenes);
    double total = shots.get(shots.size() - 1).end();
    List<List<Shot>> chunks = new ArrayList<>();
    for (Shot shot : shots) {
      if (chunks.isEmpty() || shot.start() >= chunks.size() * CHUNK_SECONDS) {
        chunks.add(new ArrayList<>());
      }
      chunks.get(chunks.size() - 1).add(shot);
    }
    Path parts = Files.createDirectories(out.resolve("chunks"));
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    AtomicInteger done = new AtomicInteger();
    List<Future<Path>> rendered = new ArrayList<>();
    for (int c = 0; c < chunks.size(); c++) {
      List<Shot> chunk = chunks.get(c);
      int frames = chunk.stream().mapToInt(Shot::frames).sum();
      Path file = parts.resolve(String.format(Locale.ROOT, "chunk-%04d-%d.mp4", c, frames));
      rendered.add(pool.submit(() -> {
        // A chunk is written under a temporary name and renamed when whole, so a run that was stopped resumes from
        // the chunks it finished. Its name holds its frame count because the shots do not depend on the film's
        // length except for the last one: a shorter film of the same seed can reuse a longer one's chunks.
        if (Files.exists(file)) {
          done.incrementAndGet();
          return file;
        }
        Path partial = file.resolveSibling(file.getFileName() + ".part.mp4");
        renderChunk(chunk, partial, encoder);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.err.printf(Locale.ROOT, "GenFilm: chunk %d/%d done, %.0f s%n", done.incrementAndGet(), chunks.size(),
            (System.nanoTime() - started) / 1e9);
        return file;
      }));
    }
    List<String> list = new ArrayList<>();
    for (Future<Path> f : rendered) {
      list.add("file '" + f.get().toAbsolutePath() + "'");
    }
    pool.shutdown();
    Path listFile = parts.resolve("chunks.txt");
    Files.write(listFile, list);
    Path film = out.resolve("film.mp4");
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listFile.toString(),
        "-c", "copy", "-movflags", "+faststart", film.toString()));
    for (Future<Path> f : rendered) {
      Files.delete(f.get());
    }
    Files.delete(listFile);
    Files.delete(parts);
    writeTruth(out.resolve("truth.csv"), shots);
    System.err.printf(Locale.ROOT, "GenFilm: %d shots, %.1f min, %d gallery cars, %d unknown, %d jobs, in %.0f s, "
            + "%.1f Mbit/s -> %s%n", shots.size(), total / 60, gallery.size(), unknown.size(), jobs,
        (System.nanoTime() - started) / 1e9, Files.size(film) * 8 / total / 1e6, out);
  }

  /** The shot list: what each shot shows and its own seed for everything drawn while rendering it. */
  static List<Shot> plan(double total, long seed, List<Car> gallery, List<Car> unknown, List<Path> scenes) {
    Random rnd = new Random(seed);
    List<Shot> shots = new ArrayList<>();
    double t = 0;
    Car carry = null;
    while (t < total - 1) {
      double length = Math.min(total - t, 1 + 6 * rnd.nextDouble());
      length = Math.round(length * FPS) / (double) FPS;
      double kind = rnd.nextDouble();
      double width = 0.08 + 0.24 * rnd.nextDouble();
      boolean moving = rnd.nextDouble() < 0.65;
      Path scene = scenes.get(rnd.nextInt(scenes.size()));
      long shotSeed = rnd.nextLong();
      int i = shots.size();
      double end = t + length;
      Shot shot;
      if (carry != null) {
        shot = new Shot(i, t, end, carry, true, width, moving, scene, shotSeed);
      } else if (kind < 0.45) {
        shot = new Shot(i, t, end, gallery.get(rnd.nextInt(gallery.size())), true, width, moving, scene, shotSeed);
      } else if (kind < 0.65) {
        shot = new Shot(i, t, end, unknown.get(rnd.nextInt(unknown.size())), false, width, moving, scene, shotSeed);
      } else {
        shot = new Shot(i, t, end, null, false, 0, false, scene, shotSeed);
      }
      carry = shot.gallery() && rnd.nextDouble() < 0.3 ? shot.car() : null;
      shots.add(shot);
      t = end;
    }
    return shots;
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

  /** Renders consecutive shots into one H.264 file (its own x264, one thread: the workers are the parallelism). */
  static void renderChunk(List<Shot> chunk, Path file, Encoder encoder) throws Exception {
    // A keyframe at every cut, as a real encoder's scene-cut detection would place them.
    double t0 = chunk.get(0).start();
    List<String> cuts = chunk.stream().map(shot -> String.format(Locale.ROOT, "%.3f", shot.start() - t0)).toList();
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt",
        "yuv420p", "-s", W + "x" + H, "-r", String.valueOf(FPS), "-i", "pipe:0", "-c:v", "libx264", "-threads", "1",
        "-preset", "ultrafast", "-x264-params", encoder.x264Params(), "-force_key_frames", String.join(",", cuts),
        "-crf", "23", "-maxrate", encoder.maxrateKbit() + "k", "-bufsize", 2 * encoder.maxrateKbit() + "k",
        "-pix_fmt", "yuv420p", file.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    // Grain fields of standard deviation 16 grey levels, drawn once per chunk and scaled to each shot's sigma.
    Random chunkRnd = new Random(chunk.get(0).seed());
    List<Mat> grain = new ArrayList<>();
    for (int i = 0; i < GRAIN_FIELDS; i++) {
      Mat n = new Mat(H, W, CvType.CV_16SC1);
      Core.setRNGSeed(chunkRnd.nextInt());
      Core.randn(n, 0, 16);
      grain.add(n);
    }
    try (OutputStream pipe = ffmpeg.getOutputStream()) {
      byte[] buffer = new byte[W * H * 3 / 2];
      for (Shot shot : chunk) {
        render(shot, grain, pipe, buffer);
      }
    } finally {
      grain.forEach(Mat::release);
    }
    if (ffmpeg.waitFor() != 0) {
      throw new IOException("ffmpeg failed on " + file);
    }
  }

  static void render(Shot shot, List<Mat> grain, OutputStream pipe, byte[] buffer) throws IOException {
    Random rnd = new Random(shot.seed());
    int frames = shot.frames();
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
    Mat scene = Imgcodecs.imread(shot.scene().toString(), Imgcodecs.IMREAD_COLOR);
    // The look is per pixel and affine, the warp linear: applying the look once to the scene and the car is the
    // same as applying it to every frame, at a fraction of the cost.
    applyLook(scene, look, contrast, lift);
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
      applyLook(car, look, contrast, lift);
    }
    // This shot's grain: each field scaled to sigma and split into what it adds and what it takes away, so a frame
    // needs two saturating 8-bit passes over its luma plane.
    List<Mat[]> shotGrain = new ArrayList<>();
    Mat scaled = new Mat();
    for (Mat g : grain) {
      Mat plus = new Mat();
      Mat minus = new Mat();
      g.convertTo(scaled, CvType.CV_16SC1, sigma / 16);
      scaled.convertTo(plus, CvType.CV_8UC1);
      scaled.convertTo(minus, CvType.CV_8UC1, -1);
      shotGrain.add(new Mat[] {plus, minus});
    }
    scaled.release();
    Mat background = new Mat();
    Mat frame = new Mat();
    Mat yuv = new Mat();
    Mat affine = new Mat(2, 3, CvType.CV_64F);
    for (int i = 0; i < frames; i++) {
      double a = frames <= 1 ? 0 : i / (double) (frames - 1);
      if (i == 0 || camera) {
        double z = zoom0 + (zoom1 - zoom0) * a;
        // Scene stretched to the frame, scaled by z about the centre and shifted by the pan.
        double sx = W * z / scene.cols();
        double sy = H * z / scene.rows();
        affine.put(0, 0, sx, 0, -(W * (z - 1) / 2) + panX * W * (a - 0.5), 0, sy, -(H * (z - 1) / 2));
        Imgproc.warpAffine(scene, background, affine, new Size(W, H), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT);
      }
      background.copyTo(frame);
      if (car != null) {
        int x = (int) Math.round(x0 + (x1 - x0) * a);
        car.copyTo(frame.submat(new Rect(x, y, carW, carH)));
      }
      Imgproc.cvtColor(frame, yuv, Imgproc.COLOR_BGR2YUV_I420);
      Mat luma = yuv.submat(0, H, 0, W);
      Mat[] g = shotGrain.get(rnd.nextInt(shotGrain.size()));
      Core.add(luma, g[0], luma);
      Core.subtract(luma, g[1], luma);
      luma.release();
      yuv.get(0, 0, buffer);
      pipe.write(buffer);
    }
    for (Mat m : new Mat[] {scene, background, frame, yuv, affine}) {
      m.release();
    }
    for (Mat[] g : shotGrain) {
      g[0].release();
      g[1].release();
    }
    if (car != null) {
      car.release();
    }
  }

  /** Grey or sepia (or the colour kept), then the contrast lowered and the blacks lifted. */
  static void applyLook(Mat image, int look, double contrast, double lift) {
    if (look == 0 || look == 1) {
      Mat grey = new Mat();
      Imgproc.cvtColor(image, grey, Imgproc.COLOR_BGR2GRAY);
      Imgproc.cvtColor(grey, image, Imgproc.COLOR_GRAY2BGR);
      grey.release();
      if (look == 1) {
        Core.multiply(image, new Scalar(0.82, 0.95, 1.08), image);
      }
    }
    image.convertTo(image, -1, contrast, lift);
  }

  static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .start();
    if (p.waitFor() != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
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
