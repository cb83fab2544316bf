package dev.reelcars.identify.film;

import dev.reelcars.identify.matcher.Detection;
import dev.reelcars.identify.matcher.ImageDecodeException;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.platform.image.OpenCvNatives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A film's sampled frames, matched and answered in time order: the one decode-and-match loop that both
 * {@code scan} (the command line's {@code FilmScan}) and the service's film jobs ({@code FilmJob}) run.
 *
 * <p>{@code ffmpeg} decodes the film as a stream of grey frames, {@code fps} a second, on a pipe (never the film in
 * memory, never a frame on disk), from {@code startFrame} on (an input seek, so a resumed job does not decode what it
 * already covered). Each frame goes to the {@link MatchEngine} on {@code threads} workers, at most two frames per
 * worker in flight, so memory does not grow with the film.
 *
 * <p>The decoder skips the frames no other frame references ({@link #DECODER_SKIPS}): decoding was most of a scan's
 * CPU, since H.264 decodes every frame though one a second is sampled.
 *
 * <p>A frame that differs from the last matched one by less than {@value #SKIP_BLOCK_DIFF} grey levels in every
 * cell of a {@value #THUMB_COLS}×{@value #THUMB_ROWS} grid of block means (after removing the frame-wide brightness
 * change, so film flicker does not count) is not matched again: it shows the same thing, so it takes the last
 * matched frame's answer. Using the largest cell difference rather than the mean means a car entering a static shot
 * makes its frame count as new. At least one frame every {@value #MAX_SKIPPED} samples is matched regardless. A hard
 * cut changes most cells, so the first frame of every shot is always matched; no separate shot detection is needed.
 */
public final class FilmFrames {
    static final int THUMB_COLS = 32;
    static final int THUMB_ROWS = 18;
    static final double SKIP_BLOCK_DIFF = 4.0;
    static final int MAX_SKIPPED = 10;
    /**
     * {@code -skip_frame noref}: a frame no other frame references (most B-frames) is not decoded; the frames that are
     * decoded are exact. Not {@code bidir}, which also drops referenced B-frames and garbles the P-frames that use
     * them in x264's default {@code ref=3} streams (33.8 dB against a full decode), and not {@code -skip_loop_filter
     * all}, which saves a further sixth of the decoding but lets the reference frames drift from the encoder's (61 dB
     * down to 29 dB within a 7 s shot). The sampler takes the decoded frame nearest each sampling time.
     */
    static final List<String> DECODER_SKIPS = List.of("-skip_frame", "noref");
    /**
     * Frames decoded ahead of the caller: 8 s of film at 1 fps, 11 MB at 720p. Decoding is the scan's longest single
     * chain of work (one ffmpeg, about 16x real time a core on a 720p film), so it must not stop while a checkpoint
     * is published.
     */
    static final int DECODE_AHEAD = 8;

    /** Receives each sampled frame's answer, in time order. */
    public interface Answers {
        /**
         * @param index the frame's number from the film's start (0 is the first sampled frame)
         * @param labels the labels identified with their confidence (the last matched frame's, for a skipped one)
         * @param matched whether this frame went to the matcher
         * @param picture the frame's pixels, valid during this call only: the buffer is decoded into again afterwards
         *     ({@link Picture#copy()} to keep it)
         */
        void frame(long index, double seconds, Map<String, Double> labels, boolean matched, Picture picture)
                throws Exception;
    }

    /**
     * A sampled frame as decoded: full-range I420, the {@code width} x {@code height} grey plane and then the two
     * quarter-size chroma planes (U, V).
     */
    public record Picture(int width, int height, byte[] i420) {
        /** A copy that outlives the answer it came with. */
        public Picture copy() {
            return new Picture(width, height, i420.clone());
        }

        /** The frame in colour as a JPEG (quality 92), for a reviewer: BT.601 full-range, as JPEG's own YCbCr. */
        public byte[] jpeg() {
            OpenCvNatives.load();
            int w = width;
            int h = height;
            byte[] bgr = new byte[w * h * 3];
            int uPlane = w * h;
            int vPlane = uPlane + (w / 2) * (h / 2);
            for (int y = 0; y < h; y++) {
                int chromaRow = (y / 2) * (w / 2);
                for (int x = 0; x < w; x++) {
                    int luma = i420[y * w + x] & 0xFF;
                    int u = (i420[uPlane + chromaRow + x / 2] & 0xFF) - 128;
                    int v = (i420[vPlane + chromaRow + x / 2] & 0xFF) - 128;
                    int o = (y * w + x) * 3;
                    bgr[o] = clamp(luma + ((116130 * u) >> 16));                 // 1.772 u
                    bgr[o + 1] = clamp(luma - ((22554 * u + 46802 * v) >> 16));  // 0.344 u + 0.714 v
                    bgr[o + 2] = clamp(luma + ((91881 * v) >> 16));              // 1.402 v
                }
            }
            Mat mat = new Mat(h, w, CvType.CV_8UC3);
            MatOfByte out = new MatOfByte();
            MatOfInt quality = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92);
            try {
                mat.put(0, 0, bgr);
                if (!Imgcodecs.imencode(".jpg", mat, out, quality)) {
                    throw new IllegalStateException("OpenCV could not encode a " + w + "x" + h + " JPEG");
                }
                return out.toArray();
            } finally {
                mat.release();
                out.release();
                quality.release();
            }
        }

        private static byte clamp(int value) {
            return (byte) Math.max(0, Math.min(255, value));
        }
    }

    /** What a run covered: {@code stopped} when {@code stop} said so before the film's end. */
    public record Result(long sampled, List<String> errors, boolean stopped) {}

    /**
     * @param waitForTurn called on a worker before each match: the service makes film frames wait while stills are
     *     being matched (stills first); {@code scan} passes a no-op
     */
    public record Settings(String ffmpeg, double fps, int width, int threads, Runnable waitForTurn) {}

    /**
     * Where a run starts, and the state of the near-identical skipping it carries on with.
     *
     * @param frame the first frame answered
     * @param lastMatchFrame the last frame matched before {@code frame} by an earlier run (a checkpoint's), or -1:
     *     the run decodes from that frame to recover what the skipping compares with, and answers the frames up to
     *     {@code frame} with {@code lastMatchLabels} as the earlier run did, matching nothing twice
     * @param freshAt a frame at which the skipping starts afresh (matched whatever came before), or -1: where the
     *     next segment of a film starts reading, so both skip the same frames from there on
     */
    public record Start(long frame, long lastMatchFrame, Map<String, Double> lastMatchLabels, long freshAt) {
        public Start {
            if (frame < 0 || lastMatchFrame >= frame) {
                throw new IllegalArgumentException("start frame " + frame + ", last match " + lastMatchFrame);
            }
            lastMatchLabels = Map.copyOf(lastMatchLabels);
        }

        /** From {@code frame}, nothing carried over. */
        public static Start at(long frame, long freshAt) {
            return new Start(frame, -1, Map.of(), freshAt);
        }
    }

    private FilmFrames() {}

    /**
     * Decodes and matches from {@code startFrame} to the film's end, or until {@code stop} answers true (checked
     * between frames). Answers for frames already sent to the workers are still delivered before it returns.
     */
    public static Result run(Settings s, Path film, FilmVideo.Probe probe, long startFrame, MatchEngine engine,
                             Answers answers, BooleanSupplier stop) throws Exception {
        return run(s, film, probe, Start.at(startFrame, -1), engine, answers, stop);
    }

    /** As above, from {@code start}: see {@link Start}. */
    public static Result run(Settings s, Path film, FilmVideo.Probe probe, Start start, MatchEngine engine,
                             Answers answers, BooleanSupplier stop) throws Exception {
        long startFrame = start.frame();
        long decodeFrom = start.lastMatchFrame() >= 0 ? start.lastMatchFrame() : startFrame;
        int[] size = FilmVideo.frameSize(probe.width(), probe.height(), s.width());
        int w = size[0];
        int h = size[1];
        List<String> command = new ArrayList<>(List.of(s.ffmpeg(), "-nostdin", "-hide_banner", "-v", "error"));
        command.addAll(DECODER_SKIPS);
        if (decodeFrom > 0) {
            // An input seek: ffmpeg jumps to the nearest keyframe and decodes from there, so nothing before is re-read;
            // the frames it gives are those of the film's own sampling grid (frame n at n / fps seconds).
            command.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", decodeFrom / s.fps())));
        }
        // out_range=pc: the grey plane gets the range expansion -pix_fmt gray applied (identical bytes), so the matcher
        // sees what it saw when only grey was decoded.
        command.addAll(List.of("-i", film.toString(), "-an", "-sn", "-vf", "fps=" + s.fps() + ",scale=" + w + ":" + h
                + ":out_range=pc", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new FilmVideo.ScanException("cannot run " + s.ffmpeg() + " (is ffmpeg installed?): "
                    + e.getMessage());
        }
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        Thread stderr = new Thread(() -> {
            try (var lines = process.errorReader(StandardCharsets.UTF_8).lines()) {
                lines.limit(20).forEach(errors::add);
            } catch (java.io.UncheckedIOException closed) {
                // A pause or stop destroys ffmpeg and closes its stderr under this reader: nothing more to collect.
            }
        }, "ffmpeg-stderr");
        stderr.setDaemon(true);
        stderr.start();
        int pictureBytes = w * h + 2 * (w / 2) * (h / 2);
        byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        BlockingQueue<byte[]> decoded = new ArrayBlockingQueue<>(DECODE_AHEAD);
        // Frame buffers are reused once a frame is answered (and grey copies once matched): a new 1.4 MB and 0.9 MB
        // array a frame made the heap grow with the machine's load (G1 sized it to 1.4 GB at load 15-20, against
        // 0.3 GB at load 5, on the same film), not with the film.
        int maxInFlight = 2 * s.threads();
        Recycler frames = new Recycler(DECODE_AHEAD + maxInFlight + 2, pictureBytes);
        Recycler greys = new Recycler(maxInFlight + 2, header.length + w * h);
        byte[] end = new byte[0];
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                process.getOutputStream().close();
                while (true) {
                    byte[] picture = frames.take();
                    if (in.readNBytes(picture, 0, pictureBytes) != pictureBytes) {
                        break;
                    }
                    decoded.put(picture);
                }
            } catch (IOException e) {
                readFailure.set(e); // also what a stop looks like here: ffmpeg destroyed under the read
            } catch (InterruptedException e) {
                return; // the run is over: nobody takes frames any more
            }
            try {
                decoded.put(end);
            } catch (InterruptedException e) {
                // the run is over
            }
        }, "ffmpeg-frames");
        reader.setDaemon(true);
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(s.threads());
        ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        Map<String, Double> last = start.lastMatchLabels();
        int frameBytes = w * h;
        double[] lastMatchedThumb = null;
        int skippedRun = 0;
        long index = decodeFrom;
        boolean stopped = false;
        try {
            while (true) {
                if (index >= startFrame && stop.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                byte[] i420 = decoded.take();
                if (i420 == end) {
                    if (readFailure.get() != null) {
                        throw readFailure.get();
                    }
                    break;
                }
                Picture picture = new Picture(w, h, i420);
                double seconds = index / s.fps();
                double[] thumb = thumbnail(i420, 0, w, h);
                if (index < startFrame) {
                    // An earlier run answered this frame: only what the skipping compares with is recovered.
                    if (index == start.lastMatchFrame()) {
                        lastMatchedThumb = thumb;
                        skippedRun = 0;
                    } else {
                        skippedRun++;
                    }
                    frames.give(i420);
                    index++;
                    continue;
                }
                if (index != start.freshAt() && lastMatchedThumb != null && skippedRun < MAX_SKIPPED
                        && nearlySame(thumb, lastMatchedThumb)) {
                    skippedRun++;
                    inFlight.add(new Pending(index, seconds, null, picture));
                } else {
                    skippedRun = 0;
                    lastMatchedThumb = thumb;
                    // The grey plane becomes a PGM image: the engine's decoder reads it as it is, nothing to encode.
                    byte[] pgm = greys.take();
                    System.arraycopy(header, 0, pgm, 0, header.length);
                    System.arraycopy(i420, 0, pgm, header.length, frameBytes);
                    inFlight.add(new Pending(index, seconds, pool.submit(() -> {
                        s.waitForTurn().run();
                        try {
                            return identify(engine, pgm);
                        } finally {
                            greys.give(pgm);
                        }
                    }), picture));
                }
                index++;
                while (inFlight.size() > maxInFlight) {
                    last = takeOldest(inFlight, last, answers, frames);
                }
            }
            while (!inFlight.isEmpty()) {
                last = takeOldest(inFlight, last, answers, frames);
            }
            if (stopped) {
                return new Result(Math.max(0, index - startFrame), List.copyOf(errors), true);
            }
            int exit = process.waitFor();
            stderr.join(2000);
            List<String> errs = List.copyOf(errors);
            if (index == decodeFrom && decodeFrom == 0) {
                throw new FilmVideo.ScanException(film + ": not a readable video (ffmpeg decoded no frame"
                        + (errs.isEmpty() ? "" : ": " + FilmVideo.firstLine(errs.get(0))) + ")");
            }
            if (exit != 0 && errs.isEmpty()) {
                errs = List.of("ffmpeg exited with status " + exit);
            }
            return new Result(Math.max(0, index - startFrame), errs, false);
        } finally {
            pool.shutdownNow();
            process.destroyForcibly();
            reader.interrupt();
        }
    }

    /** A sampled frame waiting for its answer: a match in progress, or null to repeat the previous answer. */
    private record Pending(long index, double seconds, Future<Map<String, Double>> answer, Picture picture) {}

    private static Map<String, Double> takeOldest(ArrayDeque<Pending> inFlight, Map<String, Double> last,
                                                  Answers answers, Recycler frames) throws Exception {
        Pending p = inFlight.poll();
        Map<String, Double> answer = last;
        if (p.answer() != null) {
            try {
                answer = p.answer().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        answers.frame(p.index(), p.seconds(), answer, p.answer() != null, p.picture());
        frames.give(p.picture().i420());
        return answer;
    }

    /**
     * Byte buffers of one size handed back for reuse: at most {@code keep} are kept; a buffer is made when none is
     * free (the queues in front bound how many are in use at once).
     */
    private static final class Recycler {
        private final BlockingQueue<byte[]> free;
        private final int size;

        Recycler(int keep, int size) {
            this.free = new ArrayBlockingQueue<>(keep);
            this.size = size;
        }

        byte[] take() {
            byte[] b = free.poll();
            return b != null ? b : new byte[size];
        }

        void give(byte[] buffer) {
            free.offer(buffer);
        }
    }

    /** The labels the engine accepts in the frame, each with its best confidence. */
    static Map<String, Double> identify(MatchEngine engine, byte[] image) {
        Map<String, Double> labels = new java.util.LinkedHashMap<>();
        try {
            for (Detection c : engine.match(image).candidates()) {
                labels.merge(c.label(), c.confidence(), Math::max);
            }
        } catch (ImageDecodeException e) {
            return Map.of(); // cannot happen for a frame we framed ourselves; a frame without answer, not a failed scan
        }
        return labels;
    }

    /** Means of a THUMB_COLS × THUMB_ROWS grid of blocks of the grey frame starting at {@code offset}. */
    static double[] thumbnail(byte[] grey, int offset, int w, int h) {
        double[] sums = new double[THUMB_COLS * THUMB_ROWS];
        int[] counts = new int[sums.length];
        for (int y = 0; y < h; y += 2) {
            int row = y * THUMB_ROWS / h * THUMB_COLS;
            int base = offset + y * w;
            for (int x = 0; x < w; x += 2) {
                int cell = row + x * THUMB_COLS / w;
                sums[cell] += grey[base + x] & 0xFF;
                counts[cell]++;
            }
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = counts[i] == 0 ? 0 : sums[i] / counts[i];
        }
        return sums;
    }

    /** Whether every cell changed by less than SKIP_BLOCK_DIFF once the frame-wide brightness change is removed. */
    static boolean nearlySame(double[] a, double[] b) {
        double shift = 0;
        for (int i = 0; i < a.length; i++) {
            shift += a[i] - b[i];
        }
        shift /= a.length;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i] - shift) >= SKIP_BLOCK_DIFF) {
                return false;
            }
        }
        return true;
    }
}
