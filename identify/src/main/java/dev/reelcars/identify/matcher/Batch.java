package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.opencv.core.Core;

/**
 * Folders of images on a thread pool: a gallery folder into an engine, a list of queries through a matcher. Used by
 * the command line ({@code match}, {@code scan}) and by the fitting tools ({@link Calibrator},
 * {@link CrossValidation}, {@link ScaleBench}), so none of them depends on the command line.
 */
public final class Batch {
    private Batch() {}

    /** One query's result; {@code value} is null and {@code error} set when the image could not be decoded. */
    public record QueryResult<T>(T value, double seconds, String error) {}

    /** A gallery folder the user can fix (a bad {@code labels.csv} line). */
    public static final class GalleryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GalleryException(String message) {
            super(message);
        }
    }

    /** Adds every reference of the gallery folder; returns the indexing wall time in ms. */
    public static long loadGallery(MatchEngine engine, Path gallery, int threads) throws IOException {
        Core.setNumThreads(1); // parallelism comes from our pool; timings are per core
        List<ImageFolders.Reference> references = ImageFolders.gallery(gallery);
        Map<String, LabelKind> kinds = labelKinds(gallery);
        RunStats progress = new RunStats("indexing", references.size());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ImageFolders.Reference ref : references) {
                futures.add(pool.submit(() -> {
                    try {
                        engine.addReference(ref.referenceId(), ref.label(),
                                kinds.getOrDefault(ref.label(), LabelKind.VEHICLE), Files.readAllBytes(ref.path()));
                    } catch (ImageDecodeException e) {
                        System.err.println("\nskipping reference " + ref.path() + ": " + e.getMessage());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    progress.step();
                    return null;
                }));
            }
            waitAll(futures);
        } finally {
            pool.shutdownNow();
        }
        engine.trimToSize();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * The gallery's {@code labels.csv}, when it has one: a header line, then {@code label,kind} per line, kind
     * {@code vehicle} or {@code model}; labels it does not list name one vehicle.
     */
    public static Map<String, LabelKind> labelKinds(Path gallery) throws IOException {
        Path file = gallery.resolve("labels.csv");
        Map<String, LabelKind> kinds = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return kinds;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int comma = line.lastIndexOf(',');
            if (line.isEmpty()) {
                continue;
            }
            if (comma <= 0) {
                throw new GalleryException(file + " line " + (i + 1) + ": expected label,kind, got '" + line + "'");
            }
            try {
                kinds.put(line.substring(0, comma), LabelKind.parse(line.substring(comma + 1)));
            } catch (IllegalArgumentException e) {
                throw new GalleryException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return kinds;
    }

    /** Runs {@code matcher} on every file with {@code threads} workers; results in file order. */
    public static <T> List<QueryResult<T>> matchAll(List<Path> files, int threads, Function<byte[], T> matcher) {
        RunStats progress = new RunStats("matching", files.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<QueryResult<T>>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> {
                    byte[] bytes = Files.readAllBytes(file);
                    long start = System.nanoTime();
                    QueryResult<T> result;
                    try {
                        T value = matcher.apply(bytes);
                        result = new QueryResult<>(value, (System.nanoTime() - start) / 1e9, null);
                    } catch (ImageDecodeException e) {
                        System.err.println("\nno match for undecodable " + file + ": " + e.getMessage());
                        result = new QueryResult<>(null, (System.nanoTime() - start) / 1e9, e.getMessage());
                    }
                    progress.step();
                    return result;
                }));
            }
            List<QueryResult<T>> results = new ArrayList<>();
            for (Future<QueryResult<T>> f : futures) {
                results.add(getUnchecked(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitAll(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            getUnchecked(f);
        }
    }

    private static <T> T getUnchecked(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
