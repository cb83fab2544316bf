package dev.reelcars.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.image.ImageFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a clip is, before any frame is decoded: container recognised by magic bytes, then {@code ffprobe} for the
 * first video stream's size and the duration. A file ffprobe cannot read, or with no video stream, is refused.
 */
final class VideoProbe {
    /** Width, height and duration in seconds (NaN when the container does not say). */
    record Info(int width, int height, double durationSeconds, String codec) {
    }

    private VideoProbe() {
    }

    /** True when the first bytes are those of a container ffmpeg reads (AVI, MP4/MOV, Matroska/WebM, MPEG, Ogg). */
    static boolean looksLikeVideo(byte[] head) {
        return ImageFormat.startsWith(head, 0, 'R', 'I', 'F', 'F') && ImageFormat.startsWith(head, 8, 'A', 'V', 'I')
                || ImageFormat.startsWith(head, 4, 'f', 't', 'y', 'p')
                || ImageFormat.startsWith(head, 4, 'm', 'o', 'o', 'v')
                || ImageFormat.startsWith(head, 4, 'm', 'd', 'a', 't')
                || ImageFormat.startsWith(head, 4, 'w', 'i', 'd', 'e')
                || ImageFormat.startsWith(head, 4, 'f', 'r', 'e', 'e')
                || ImageFormat.startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)
                || ImageFormat.startsWith(head, 0, 0x00, 0x00, 0x01, 0xBA)
                || ImageFormat.startsWith(head, 0, 'O', 'g', 'g', 'S')
                || head.length > 188 && head[0] == 0x47 && head[188] == 0x47;
    }

    static Info probe(String ffprobe, Path file) {
        List<String> command = List.of(ffprobe, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=width,height,codec_name,duration:format=duration", "-of", "json",
                file.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new ApiException(503, "decoder-unavailable", "cannot run " + ffprobe + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readNBytes(1 << 20);
            String err = new String(process.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new ApiException(422, "undecodable-video", "ffprobe did not finish within 30 s");
            }
            JsonNode json = EventCodec.mapper().readTree(out);
            JsonNode stream = json.path("streams").path(0);
            if (process.exitValue() != 0 || stream.isMissingNode() || stream.path("width").asInt() <= 0) {
                throw new ApiException(422, "undecodable-video", "not a readable video"
                        + (err.isEmpty() ? " (no video stream)" : ": " + firstLine(err)));
            }
            double duration = parse(json.path("format").path("duration").asText(""));
            if (Double.isNaN(duration)) {
                duration = parse(stream.path("duration").asText(""));
            }
            return new Info(stream.path("width").asInt(), stream.path("height").asInt(), duration,
                    stream.path("codec_name").asText("unknown"));
        } catch (IOException e) {
            throw new ApiException(422, "undecodable-video", "ffprobe output cannot be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "decoder-unavailable", "interrupted while probing the clip");
        } finally {
            process.destroyForcibly();
        }
    }

    static byte[] head(Path file, int n) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = DecoderLog.withoutAddresses(nl < 0 ? s : s.substring(0, nl));
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
