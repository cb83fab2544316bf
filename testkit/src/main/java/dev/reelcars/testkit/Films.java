package dev.reelcars.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small films made for a test with the ffmpeg program (the same decoder the services run). */
public final class Films {
    private Films() {
    }

    /** Whether ffmpeg and ffprobe run here; tests that need them are skipped otherwise. */
    public static boolean ffmpegRuns() {
        try {
            return runs("ffmpeg") && runs("ffprobe");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Concatenates stills shown for the given seconds ({@code still1, seconds1, still2, seconds2, …}) into a
     * 1280×720, 25 fps H.264 film.
     *
     * @throws AssertionError when ffmpeg fails or takes over a minute, with its output
     */
    public static void encode(Path film, Object... stillsAndSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        int n = stillsAndSeconds.length / 2;
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < n; i++) {
            command.addAll(List.of("-loop", "1", "-framerate", "25", "-t", String.valueOf(stillsAndSeconds[2 * i + 1]),
                    "-i", stillsAndSeconds[2 * i].toString()));
            filter.append("[").append(i).append(":v]scale=1280:720,setsar=1,format=yuv420p[v").append(i).append("];");
        }
        for (int i = 0; i < n; i++) {
            filter.append("[v").append(i).append("]");
        }
        filter.append("concat=n=").append(n).append(":v=1:a=0[out]");
        command.addAll(List.of("-filter_complex", filter.toString(), "-map", "[out]", "-c:v", "libx264", "-preset",
                "ultrafast", "-crf", "20", film.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg could not build the test film: " + log);
        }
    }

    private static boolean runs(String program) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(program, "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
