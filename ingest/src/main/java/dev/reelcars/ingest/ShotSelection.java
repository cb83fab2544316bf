package dev.reelcars.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * The per-sample scoring and the per-shot choice of {@link FrameSampler}: black samples are skipped, a jump in the
 * grey histogram or in a thumbnail starts a new shot, the sharpest sample of a shot (variance of the Laplacian) is its
 * candidate, and a candidate that repeats an earlier one keeps only the better of the two. Owns the Mats it keeps and
 * releases them in {@link #release()}.
 */
final class ShotSelection {
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

    private final List<FrameSampler.Frame> candidates = new ArrayList<>();
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

    ShotSelection(int maxFrames) {
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
        FrameSampler.Frame earlier = candidates.stream()
                .filter(c -> PerceptualHash.distance(c.phash(), phash) <= SAME_SHOT_HASH_DISTANCE)
                .findFirst().orElse(null);
        if (earlier != null && (earlier.shotSamples() > shotSamples
                || earlier.shotSamples() == shotSamples && earlier.sharpness() >= closedSharpness)) {
            return;
        }
        MatOfByte jpeg = new MatOfByte();
        Imgcodecs.imencode(".jpg", best, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92));
        FrameSampler.Frame frame = new FrameSampler.Frame(jpeg.toArray(), bestSeconds, closedSharpness, phash, shotSamples);
        jpeg.release();
        if (earlier != null) {
            candidates.set(candidates.indexOf(earlier), frame);
        } else {
            candidates.add(frame);
        }
        if (candidates.size() > maxCandidates) {
            candidates.remove(candidates.stream().min(Comparator.comparingDouble(FrameSampler.Frame::sharpness)).get());
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
    List<FrameSampler.Frame> keep(int max) {
        List<FrameSampler.Frame> kept = new ArrayList<>(candidates.stream().filter(c -> c.shotSamples() > 1).toList());
        if (kept.isEmpty()) {
            kept.addAll(candidates);
        }
        if (kept.size() > max) {
            kept.sort(Comparator.comparingDouble(FrameSampler.Frame::sharpness).reversed());
            kept = new ArrayList<>(kept.subList(0, max));
        }
        kept.sort(Comparator.comparingDouble(FrameSampler.Frame::seconds));
        return kept;
    }

    void release() {
        for (Mat m : List.of(gray, laplacian, thumb, previousThumb, hist, previousHist, best, mask, channels,
                histSize, ranges)) {
            m.release();
        }
    }
}
