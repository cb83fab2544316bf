package dev.reelcars.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Picks the stills worth identifying from a clip. The {@code ffmpeg} program decodes (any codec it knows, damaged
 * files included: it skips what it cannot read and says so on stderr) and samples {@code sampleFps} frames a second
 * as raw BGR on a pipe; here each frame is scored: black frames are skipped, a shot change is a jump in the grey
 * histogram or in a thumbnail, the sharpest frame of each shot (variance of the Laplacian) is its candidate, a
 * candidate that looks like an earlier one (perceptual hash) is dropped, and at most {@code maxFrames} of the
 * sharpest candidates are kept, in time order.
 */
final class FrameSampler {
    /** Longest side frames are decoded at: enough for identification, bounded memory. */
    static final int MAX_SIDE = 1920;
    private static final double BLACK_MEAN = 20;
    private static final double BLACK_STDDEV = 12;
    /** Grey-histogram correlation below which two samples are different shots. */
    private static final double CUT_HIST_CORREL = 0.6;
    /**
     * Mean absolute difference of 64x36 grey thumbnails (0..255) above which two samples are different shots.
     * Measured on the shared clips at 4 fps: camera and character motion stay under 18, hard cuts are 40 and up.
     */
    private static final double CUT_THUMB_DIFF = 28;
    /** A candidate this close (pHash bits) to an earlier one is the same shot again (a cut back, a glitch). */
    private static final int SAME_SHOT_HASH_DISTANCE = 10;

    /** A kept frame: JPEG bytes, its time in the clip, its sharpness score, and how many samples its shot had. */
    record Frame(byte[] jpeg, double seconds, double sharpness, long phash, int shotSamples) {
    }

    /** What sampling produced: kept frames, frames looked at, and ffmpeg's complaints. */
    record Result(List<Frame> frames, int framesRead, int shots, int blackFrames, List<String> errors) {
    }

    private final String ffmpeg;
    /** Decoders running now, so a stopping service can end them (a blocked pipe read ignores interrupts). */
    private final Set<Process> running;
    private final double sampleFps;
    private final int maxFrames;

    FrameSampler(String ffmpeg, double sampleFps, int maxFrames) {
        this(ffmpeg, sampleFps, maxFrames, ConcurrentHashMap.newKeySet());
    }

    FrameSampler(String ffmpeg, double sampleFps, int maxFrames, Set<Process> running) {
        this.running = running;
        this.ffmpeg = ffmpeg;
        this.sampleFps = sampleFps;
        this.maxFrames = maxFrames;
    }

    /** Output size for a source size: the longest side at most {@link #MAX_SIDE}, both even. */
    static int[] outputSize(int width, int height) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(width, height));
        int w = Math.max(2, (int) Math.round(width * scale / 2) * 2);
        int h = Math.max(2, (int) Math.round(height * scale / 2) * 2);
        return new int[] {w, h};
    }

    Result sample(Path clip, VideoProbe.Info info, int maxSeconds, IntConsumer progress) throws InterruptedException {
        OpenCvNatives.load();
        int[] size = outputSize(info.width(), info.height());
        int w = size[0];
        int h = size[1];
        List<String> command = List.of(ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-noautorotate",
                "-i", clip.toString(), "-t", String.valueOf(maxSeconds), "-an", "-sn",
                "-vf", "fps=" + sampleFps + ",scale=" + w + ":" + h, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1");
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            running.add(process);
        } catch (IOException e) {
            return new Result(List.of(), 0, 0, 0, List.of("cannot run " + ffmpeg + ": " + e.getMessage()));
        }
        StderrTail stderr = new StderrTail(process.getErrorStream());
        stderr.start();
        Selection selection = new Selection(maxFrames);
        int framesRead = 0;
        int frameBytes = w * h * 3;
        byte[] buffer = new byte[frameBytes];
        Mat frame = new Mat(h, w, CvType.CV_8UC3);
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            while (in.readNBytes(buffer, 0, frameBytes) == frameBytes) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("clip job cancelled");
                }
                frame.put(0, 0, buffer);
                selection.offer(frame, framesRead / sampleFps);
                framesRead++;
                progress.accept(framesRead);
            }
            selection.endShot();
            int exit = process.waitFor();
            stderr.join(2000);
            List<String> errors = new ArrayList<>(stderr.lines());
            if (exit != 0) {
                errors.add("ffmpeg exited with status " + exit);
            }
            return new Result(selection.keep(maxFrames), framesRead, selection.shots, selection.black, errors);
        } catch (IOException e) {
            List<String> errors = new ArrayList<>(stderr.lines());
            errors.add("reading frames from ffmpeg failed: " + e.getMessage());
            selection.endShot();
            return new Result(selection.keep(maxFrames), framesRead, selection.shots, selection.black, errors);
        } finally {
            process.destroyForcibly();
            running.remove(process);
            frame.release();
            selection.release();
        }
    }

    /** The per-frame scoring and the per-shot choice; owns the Mats it keeps and releases them in one place. */
    private static final class Selection {
        private final List<Frame> candidates = new ArrayList<>();
        private final Mat gray = new Mat();
        private final Mat laplacian = new Mat();
        private final Mat thumb = new Mat();
        private final Mat previousThumb = new Mat();
        private final Mat hist = new Mat();
        private final Mat previousHist = new Mat();
        private final Mat best = new Mat();
        private final Mat mask = new Mat();
        private final MatOfInt channels = new MatOfInt(0);
        private final MatOfInt histSize = new MatOfInt(32);
        private final MatOfFloat ranges = new MatOfFloat(0f, 256f);
        private final int maxCandidates;
        private double bestSharpness = -1;
        private double bestSeconds;
        private double closedSharpness;
        private int shotSamples;
        private boolean inShot;
        int shots;
        int black;

        Selection(int maxFrames) {
            // Room to choose the sharpest among several times the cap, without holding every shot of a long film.
            this.maxCandidates = maxFrames * 4;
        }

        void offer(Mat bgr, double seconds) {
            Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble stddev = new MatOfDouble();
            Core.meanStdDev(gray, mean, stddev);
            double m = mean.get(0, 0)[0];
            double sd = stddev.get(0, 0)[0];
            mean.release();
            stddev.release();
            if (m < BLACK_MEAN && sd < BLACK_STDDEV) {
                // A fade or a black gap: no still here, and whatever follows starts a new shot.
                black++;
                endShot();
                previousThumb.release();
                previousHist.release();
                return;
            }
            Imgproc.resize(gray, thumb, new Size(64, 36), 0, 0, Imgproc.INTER_AREA);
            Imgproc.calcHist(List.of(gray), channels, mask, hist, histSize, ranges);
            Core.normalize(hist, hist, 1, 0, Core.NORM_L1);
            boolean cut = false;
            if (!previousThumb.empty()) {
                double correl = Imgproc.compareHist(hist, previousHist, Imgproc.HISTCMP_CORREL);
                Mat diff = new Mat();
                Core.absdiff(thumb, previousThumb, diff);
                double meanDiff = Core.mean(diff).val[0];
                diff.release();
                cut = correl < CUT_HIST_CORREL || meanDiff > CUT_THUMB_DIFF;
            }
            thumb.copyTo(previousThumb);
            hist.copyTo(previousHist);
            if (cut) {
                endShot();
            }
            if (!inShot) {
                inShot = true;
                shotSamples = 0;
                shots++;
            }
            shotSamples++;
            double sharpness = sharpness(gray);
            if (sharpness > bestSharpness) {
                bestSharpness = sharpness;
                bestSeconds = seconds;
                bgr.copyTo(best);
            }
        }

        private double sharpness(Mat g) {
            Imgproc.Laplacian(g, laplacian, CvType.CV_64F);
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble stddev = new MatOfDouble();
            Core.meanStdDev(laplacian, mean, stddev);
            double sd = stddev.get(0, 0)[0];
            mean.release();
            stddev.release();
            return sd * sd;
        }

        /**
         * Closes the current shot: its sharpest frame becomes a candidate. When it repeats an earlier candidate (a cut
         * back to the same shot, or a shot split by a glitch), only the better of the two stays: the one seen in more
         * samples, then the sharper.
         */
        void endShot() {
            if (!inShot) {
                return;
            }
            inShot = false;
            bestSharpnessReset();
            Imgproc.cvtColor(best, gray, Imgproc.COLOR_BGR2GRAY);
            long phash = PerceptualHash.of(gray);
            Frame earlier = candidates.stream()
                    .filter(c -> PerceptualHash.distance(c.phash(), phash) <= SAME_SHOT_HASH_DISTANCE)
                    .findFirst().orElse(null);
            if (earlier != null && (earlier.shotSamples() > shotSamples
                    || earlier.shotSamples() == shotSamples && earlier.sharpness() >= closedSharpness)) {
                return;
            }
            MatOfByte jpeg = new MatOfByte();
            Imgcodecs.imencode(".jpg", best, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92));
            Frame frame = new Frame(jpeg.toArray(), bestSeconds, closedSharpness, phash, shotSamples);
            jpeg.release();
            if (earlier != null) {
                candidates.set(candidates.indexOf(earlier), frame);
            } else {
                candidates.add(frame);
            }
            if (candidates.size() > maxCandidates) {
                candidates.remove(candidates.stream().min(Comparator.comparingDouble(Frame::sharpness)).get());
            }
        }

        /** Moves the shot's best score aside so the next shot starts from nothing. */
        private void bestSharpnessReset() {
            closedSharpness = bestSharpness;
            bestSharpness = -1;
        }

        /**
         * The sharpest {@code max} candidates in time order. A shot seen in a single sample is a flash, a glitch of a
         * damaged file or a cut too short to matter: it is used only when the clip has nothing else.
         */
        List<Frame> keep(int max) {
            List<Frame> kept = new ArrayList<>(candidates.stream().filter(c -> c.shotSamples() > 1).toList());
            if (kept.isEmpty()) {
                kept.addAll(candidates);
            }
            if (kept.size() > max) {
                kept.sort(Comparator.comparingDouble(Frame::sharpness).reversed());
                kept = new ArrayList<>(kept.subList(0, max));
            }
            kept.sort(Comparator.comparingDouble(Frame::seconds));
            return kept;
        }

        void release() {
            for (Mat m : List.of(gray, laplacian, thumb, previousThumb, hist, previousHist, best, mask, channels,
                    histSize, ranges)) {
                m.release();
            }
        }
    }

    /**
     * Drains ffmpeg's stderr (so it never blocks) and keeps a short report: how many lines it wrote and the first
     * few, since the first complaint usually names the damage and the rest repeat it.
     */
    private static final class StderrTail extends Thread {
        private static final int KEEP = 5;
        private final InputStream in;
        private final List<String> first = new ArrayList<>();
        private int total;

        StderrTail(InputStream in) {
            super("ffmpeg-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (first) {
                        total++;
                        if (first.size() < KEEP) {
                            first.add(line.length() > 300 ? line.substring(0, 300) : line);
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process ended or was killed: the lines read so far are the report.
            }
        }

        List<String> lines() {
            synchronized (first) {
                if (total == 0) {
                    return List.of();
                }
                List<String> report = new ArrayList<>();
                report.add("the decoder reported " + total + " problem(s): the file is damaged or partly unreadable;"
                        + " frames it could not decode were skipped or patched");
                report.addAll(first);
                return report;
            }
        }
    }
}
