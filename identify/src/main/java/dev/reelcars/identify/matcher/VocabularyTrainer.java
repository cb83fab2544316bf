package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Trains the vocabulary tree from a folder of images: ORB features extracted exactly as for references (same
 * preprocessing), files in sorted path order, fixed seed: the same images give the same bytes.
 */
public final class VocabularyTrainer {
    private VocabularyTrainer() {}

    public record Summary(int images, int descriptors, int words, long millis) {}

    public static Summary train(List<Path> images, int featuresPerImage, int k, int depth, long seed, Path out)
            throws IOException {
        long start = System.nanoTime();
        FeatureExtractor extractor = new FeatureExtractor(featuresPerImage, 1280, true, 0);
        long[] data = new long[0];
        int n = 0;
        int used = 0;
        for (Path image : images) {
            FeatureSet features;
            try {
                features = extractor.extract(Files.readAllBytes(image), image.toString());
            } catch (ImageDecodeException e) {
                System.err.println("skipping " + image + ": " + e.getMessage());
                continue;
            }
            used++;
            if ((n + features.count) * 4 > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, (n + features.count) * 4));
            }
            System.arraycopy(features.descriptors, 0, data, n * 4, features.count * 4);
            n += features.count;
        }
        Vocabulary vocabulary = Vocabulary.train(data, n, k, depth, seed);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream stream = Files.newOutputStream(out)) {
            vocabulary.write(stream);
        }
        return new Summary(used, n, vocabulary.wordCount(), (System.nanoTime() - start) / 1_000_000);
    }
}
