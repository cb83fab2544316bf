package dev.reelcars.identify.matcher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

/**
 * A vocabulary tree of binary ORB descriptors (hierarchical k-majority clustering, as in DBoW2): {@code k} children
 * per node, {@code depth} levels, {@code k^depth} visual words. Quantising a descriptor costs {@code k × depth}
 * Hamming distances. The tree is complete: a word id written in base {@code k} is its path from the root, so the
 * ancestor at level {@code l} is {@code word / k^(depth - l)}.
 *
 * <p>Trained once, offline and reproducibly (fixed seed), on images unrelated to any gallery; it never needs
 * retraining when references are added (see {@code MatchCli train-vocabulary}).
 */
final class Vocabulary {
    static final String RESOURCE = "/dev/reelcars/identify/orb-vocabulary.bin";
    private static final int MAGIC = 0x52435631; // "RCV1"
    private static final int KMAJORITY_ITERATIONS = 8;

    final int k;
    final int depth;
    private final long[] nodes; // non-root nodes in level order, 4 longs each
    private final int[] levelOffset; // index of the first node of level l (1-based levels)

    private Vocabulary(int k, int depth, long[] nodes) {
        this.k = k;
        this.depth = depth;
        this.nodes = nodes;
        this.levelOffset = new int[depth + 2];
        int offset = 0;
        int width = 1;
        for (int level = 1; level <= depth + 1; level++) {
            levelOffset[level] = offset;
            width *= k;
            offset += width;
        }
        if (nodes.length != levelOffset[depth + 1] * 4) {
            throw new IllegalArgumentException("vocabulary has " + nodes.length / 4 + " nodes, expected "
                    + levelOffset[depth + 1]);
        }
    }

    int wordCount() {
        int n = 1;
        for (int i = 0; i < depth; i++) {
            n *= k;
        }
        return n;
    }

    /** The leaf word of descriptor {@code i} of {@code descriptors}. */
    int quantize(long[] descriptors, int i) {
        int index = 0;
        for (int level = 1; level <= depth; level++) {
            int base = levelOffset[level] + index * k;
            int best = 0;
            int bestDistance = Integer.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                int d = FeatureSet.hamming(nodes, base + c, descriptors, i);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            index = index * k + best;
        }
        return index;
    }

    int[] quantizeAll(FeatureSet features) {
        int[] words = new int[features.count];
        for (int i = 0; i < features.count; i++) {
            words[i] = quantize(features.descriptors, i);
        }
        return words;
    }

    /** The word's ancestor at {@code level} (1 = children of the root): used to bucket features for matching. */
    int ancestor(int word, int level) {
        int divisor = 1;
        for (int l = level; l < depth; l++) {
            divisor *= k;
        }
        return word / divisor;
    }

    static Vocabulary loadDefault() {
        try (InputStream in = Vocabulary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("vocabulary resource " + RESOURCE + " is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + RESOURCE, e);
        }
    }

    static Vocabulary read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a reelcars vocabulary file");
        }
        int k = in.readInt();
        int depth = in.readInt();
        int count = in.readInt();
        long[] nodes = new long[count * 4];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = in.readLong();
        }
        return new Vocabulary(k, depth, nodes);
    }

    void write(OutputStream raw) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
        out.writeInt(MAGIC);
        out.writeInt(k);
        out.writeInt(depth);
        out.writeInt(nodes.length / 4);
        for (long v : nodes) {
            out.writeLong(v);
        }
        out.flush();
    }

    /**
     * Hierarchical k-majority clustering of {@code n} descriptors (4 longs each), seeded k-means++ initialisation.
     * Deterministic for a given input order and seed.
     */
    static Vocabulary train(long[] data, int n, int k, int depth, long seed) {
        int total = 0;
        int width = 1;
        for (int level = 1; level <= depth; level++) {
            width *= k;
            total += width;
        }
        Vocabulary vocabulary = new Vocabulary(k, depth, new long[total * 4]);
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        vocabulary.split(data, all, 1, 0, new long[4], new Random(seed));
        return vocabulary;
    }

    private void split(long[] data, int[] members, int level, int indexInLevel, long[] parentCentre, Random random) {
        if (level > depth) {
            return;
        }
        int base = levelOffset[level] + indexInLevel * k;
        if (members.length == 0) {
            for (int c = 0; c < k; c++) {
                System.arraycopy(parentCentre, 0, nodes, (base + c) * 4, 4);
                split(data, members, level + 1, indexInLevel * k + c, parentCentre, random);
            }
            return;
        }
        long[] centres = kMajority(data, members, random);
        System.arraycopy(centres, 0, nodes, base * 4, k * 4);
        int[] assignment = assign(data, members, centres);
        for (int c = 0; c < k; c++) {
            int size = 0;
            for (int a : assignment) {
                if (a == c) {
                    size++;
                }
            }
            int[] child = new int[size];
            int j = 0;
            for (int i = 0; i < members.length; i++) {
                if (assignment[i] == c) {
                    child[j++] = members[i];
                }
            }
            split(data, child, level + 1, indexInLevel * k + c, Arrays.copyOfRange(centres, c * 4, c * 4 + 4), random);
        }
    }

    private long[] kMajority(long[] data, int[] members, Random random) {
        long[] centres = new long[k * 4];
        // k-means++ seeding with Hamming distance.
        int first = members[random.nextInt(members.length)];
        System.arraycopy(data, first * 4, centres, 0, 4);
        int[] nearest = new int[members.length];
        Arrays.fill(nearest, Integer.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            long sum = 0;
            for (int i = 0; i < members.length; i++) {
                int d = FeatureSet.hamming(centres, c - 1, data, members[i]);
                nearest[i] = Math.min(nearest[i], d);
                sum += (long) nearest[i] * nearest[i];
            }
            int pick = members[random.nextInt(members.length)];
            if (sum > 0) {
                long target = (long) (random.nextDouble() * sum);
                long running = 0;
                for (int i = 0; i < members.length; i++) {
                    running += (long) nearest[i] * nearest[i];
                    if (running > target) {
                        pick = members[i];
                        break;
                    }
                }
            }
            System.arraycopy(data, pick * 4, centres, c * 4, 4);
        }
        int[] assignment = null;
        for (int iteration = 0; iteration < KMAJORITY_ITERATIONS; iteration++) {
            int[] next = assign(data, members, centres);
            if (Arrays.equals(next, assignment)) {
                break;
            }
            assignment = next;
            int[][] ones = new int[k][256];
            int[] sizes = new int[k];
            for (int i = 0; i < members.length; i++) {
                int c = assignment[i];
                sizes[c]++;
                int off = members[i] * 4;
                for (int word = 0; word < 4; word++) {
                    long bits = data[off + word];
                    while (bits != 0) {
                        ones[c][word * 64 + Long.numberOfTrailingZeros(bits)]++;
                        bits &= bits - 1;
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                if (sizes[c] == 0) {
                    continue; // keep the old centre
                }
                for (int word = 0; word < 4; word++) {
                    long v = 0;
                    for (int b = 0; b < 64; b++) {
                        if (ones[c][word * 64 + b] * 2 > sizes[c]) {
                            v |= 1L << b;
                        }
                    }
                    centres[c * 4 + word] = v;
                }
            }
        }
        return centres;
    }

    private int[] assign(long[] data, int[] members, long[] centres) {
        int[] assignment = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            int best = 0;
            int bestDistance = Integer.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                int d = FeatureSet.hamming(centres, c, data, members[i]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            assignment[i] = best;
        }
        return assignment;
    }
}
