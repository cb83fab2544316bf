package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    /** Descriptors around a few random centres, each with a few flipped bits: clusterable like real ORB data. */
    private static long[] clusteredDescriptors(int n, long seed) {
        Random random = new Random(seed);
        long[][] centres = new long[6][4];
        for (long[] c : centres) {
            for (int w = 0; w < 4; w++) {
                c[w] = random.nextLong();
            }
        }
        long[] data = new long[n * 4];
        for (int i = 0; i < n; i++) {
            long[] c = centres[i % centres.length];
            for (int w = 0; w < 4; w++) {
                data[i * 4 + w] = c[w] ^ (1L << random.nextInt(64)) ^ (1L << random.nextInt(64));
            }
        }
        return data;
    }

    @Test
    void trainingIsReproducibleForTheSameSeed() throws IOException {
        long[] data = clusteredDescriptors(3000, 7);

        byte[] first = bytes(Vocabulary.train(data, 3000, 4, 3, 42));
        byte[] second = bytes(Vocabulary.train(data, 3000, 4, 3, 42));

        assertArrayEquals(first, second, "same descriptors and seed must give byte-identical vocabularies");
    }

    @Test
    void savedVocabularyQuantisesLikeTheTrainedOne() throws IOException {
        long[] data = clusteredDescriptors(2000, 3);
        Vocabulary trained = Vocabulary.train(data, 2000, 4, 3, 1);

        Vocabulary loaded = Vocabulary.read(new ByteArrayInputStream(bytes(trained)));

        for (int i = 0; i < 200; i++) {
            assertEquals(trained.quantize(data, i), loaded.quantize(data, i), "word of descriptor " + i);
        }
        assertEquals(64, loaded.wordCount(), "4^3 words");
    }

    @Test
    void committedVocabularyLoadsWellUnderASecond() {
        long start = System.nanoTime();
        Vocabulary vocabulary = Vocabulary.loadDefault();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 1000, "loading the committed vocabulary took " + millis + " ms");
        assertTrue(vocabulary.wordCount() >= 10_000, "a useful vocabulary has many words: " + vocabulary.wordCount());
    }

    private static byte[] bytes(Vocabulary vocabulary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        vocabulary.write(out);
        return out.toByteArray();
    }
}
