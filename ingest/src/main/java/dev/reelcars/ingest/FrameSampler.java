package dev.reelcars.ingest;

import dev.reelcars.platform.image.OpenCvNatives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

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

    /** A kept frame: JPEG bytes, its time in the clip, its sharpness score, and how many samples its shot had. */
    record Frame(byte[] jpeg, double seconds, double sharpness, long phash, int shotSamples) {
    }

    /** What sampling produced: kept frames, frames looked at, and ffmpeg's complaints. */
    record Result(List<Frame> frames, int framesRead, int shots, int blackFrames, List<String> errors) {
    }

    private final String ffmpeg;
    private final Decoders decoders;
    private final double sampleFps;
    private final int maxFrames;

    FrameSampler(String ffmpeg, double sampleFps, int maxFrames) {
        this(ffmpeg, sampleFps, maxFrames, new Decoders());
    }

    FrameSampler(String ffmpeg, double sampleFps, int maxFrames, Decoders decoders) {
        this.decoders = decoders;
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
            process = decoders.start(new ProcessBuilder(command));
        } catch (IOException e) {
            return new Result(List.of(), 0, 0, 0, List.of("cannot run " + ffmpeg + ": " + e.getMessage()));
        }
        DecoderLog stderr = new DecoderLog(process.getErrorStream());
        stderr.start();
        ShotSelection selection = new ShotSelection(maxFrames);
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
            decoders.finished(process);
            frame.release();
            selection.release();
        }
    }

}
