package dev.reelcars.identify.matcher;

/**
 * One reference image as held by the engine. In the indexed matcher its features are sorted by their level-1
 * vocabulary node so that matching compares a still's feature only with the reference features in the same branch of
 * the tree (DBoW2's "direct index"). Its descriptors are either in {@code features} or, when the engine keeps them in a
 * {@link DescriptorFile}, there: verification then compares a copy {@link #loaded} for the still at hand.
 *
 * @param bucketStart features of bucket b are {@code [bucketStart[b], bucketStart[b+1])} (null for the exhaustive
 *     matcher)
 * @param colour the view's colour summary (128 bytes), for the confidence model's colour term; null: none known (a
 *     synthetic view), the term is then neutral
 * @param descriptorsAt where the descriptors start in the engine's {@link DescriptorFile}; -1: in {@code features}
 */
record ReferenceView(String referenceId, String label, FeatureSet features, int[] bucketStart, ColourGrid colour,
                     long descriptorsAt) {

    /** A view without a colour summary, its descriptors in its features. */
    ReferenceView(String referenceId, String label, FeatureSet features, int[] bucketStart) {
        this(referenceId, label, features, bucketStart, null, -1);
    }

    /** A view with its descriptors in its features. */
    ReferenceView(String referenceId, String label, FeatureSet features, int[] bucketStart, ColourGrid colour) {
        this(referenceId, label, features, bucketStart, colour, -1);
    }

    /** This view with its descriptors appended to {@code file} and dropped from the heap. */
    ReferenceView storedIn(DescriptorFile file) {
        long at = file.append(features.descriptors, features.count * 4);
        return new ReferenceView(referenceId, label, features.withoutDescriptors(), bucketStart, colour, at);
    }

    /**
     * This view with its descriptors on the heap: itself when they are, else a copy read from {@code file} (about 30
     * KB, a few microseconds from the page cache) that lives as long as the still's matching.
     */
    ReferenceView loaded(DescriptorFile file) {
        if (descriptorsAt < 0) {
            return this;
        }
        return new ReferenceView(referenceId, label, features.withDescriptors(file.read(descriptorsAt,
                features.count * 4), false), bucketStart, colour, -1);
    }

    /** Heap bytes for this view, for the memory-per-reference figure. */
    long heapBytes() {
        long bytes = 64 + features.heapBytes() + referenceId.length() * 2L + label.length() * 2L;
        if (bucketStart != null) {
            bytes += 16 + bucketStart.length * 4L;
        }
        if (colour != null) {
            bytes += colour.heapBytes();
        }
        return bytes;
    }

    /** An indexed view and the visual word of each of its features (in the view's order), for the inverted index. */
    record Indexed(ReferenceView view, int[] words) {}

    /** Builds an indexed view: quantises the features and reorders them by bucket. */
    static Indexed indexed(String referenceId, String label, FeatureSet raw, ColourGrid colour, Vocabulary vocabulary,
                           int bucketLevel) {
        int n = raw.count;
        int[] rawWords = vocabulary.quantizeAll(raw);
        int buckets = 1;
        for (int l = 0; l < bucketLevel; l++) {
            buckets *= vocabulary.k;
        }
        int[] bucketStart = new int[buckets + 1];
        int[] bucketOf = new int[n];
        for (int i = 0; i < n; i++) {
            bucketOf[i] = vocabulary.ancestor(rawWords[i], bucketLevel);
            bucketStart[bucketOf[i] + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        int[] fill = bucketStart.clone();
        int[] order = new int[n];
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            int j = fill[bucketOf[i]]++;
            order[j] = i;
            words[j] = rawWords[i];
        }
        FeatureSet sorted = raw.reordered(order);
        return new Indexed(new ReferenceView(referenceId, label, sorted, bucketStart, colour), words);
    }
}
