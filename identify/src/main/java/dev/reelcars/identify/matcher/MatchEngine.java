package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.Point;
import dev.reelcars.platform.image.OpenCvNatives;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Identifies reference vehicles in film stills with ORB local features.
 *
 * <p>The default ({@link EngineConfig.Matcher#INDEXED}) quantises features with a fixed vocabulary tree, asks an
 * inverted index (tf-idf) for a short list of references, and verifies only those geometrically (ratio test within
 * vocabulary branches, RANSAC homography, degeneracy checks); a logistic model calibrated on held-aside data turns the
 * evidence into a confidence, compared with a threshold chosen on that data. {@link EngineConfig.Matcher#EXHAUSTIVE}
 * is the textbook reference point: brute-force matching against every reference.
 *
 * <p>Thread-safe: {@link #match} runs concurrently with other matches; adding or removing a reference briefly
 * excludes them. Feature extraction happens outside the lock. The gallery's postings and keypoints live on the Java
 * heap, its descriptors in a memory-mapped file unless {@link DescriptorStorage#HEAP} is asked for; OpenCV's native
 * memory is only used transiently inside one call and released before it returns.
 */
public final class MatchEngine implements AutoCloseable {
    /** Level of the vocabulary tree whose nodes bucket features for matching (1 = the root's children). */
    private static final int BUCKET_LEVEL = 1;
    /** Hamming distance above which two ORB descriptors are never a match (of 256 bits). */
    private static final int MAX_DISTANCE = 70;
    /** Hamming distance (of 64 signature bits) within which a same-word pair votes in retrieval. */
    private static final int EMBEDDING_DISTANCE = 11;
    /**
     * Below this a verified reference is not worth a reviewer's glance: on the calibration split, none of the 114
     * verified references under 0.2 was right.
     */
    public static final double NEAR_MISS_CONFIDENCE = 0.2;
    private static final int MAX_NEAR_MISSES = 3;
    /** Rows of characters read from a still: a frame may hold signs and other cars' plates too. */
    private static final int MAX_STILL_PLATE_ROWS = 4;

    private final EngineConfig config;
    private final FeatureExtractor referenceExtractor;
    private final FeatureExtractor queryExtractor;
    private final GeometricVerifier verifier;
    private final Vocabulary vocabulary;
    private final InvertedIndex index;
    /** The reference views' descriptors when they are not on the heap ({@link DescriptorStorage}); else null. */
    private final DescriptorFile descriptorFile;
    private final Map<String, Entry> references = new HashMap<>();
    /** Labels that name a model rather than one vehicle; every other label names a vehicle. */
    private final Set<String> modelLabels = new HashSet<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Measure the colour term even when the model does not read it (calibration runs that fit it). */
    private volatile boolean measureColour;

    private record Entry(ReferenceView view, int slot) {}

    /** An engine keeping its reference descriptors where {@link DescriptorStorage#defaults()} says. */
    public MatchEngine(EngineConfig config) {
        this(config, DescriptorStorage.defaults());
    }

    /**
     * @param descriptors where the reference views' descriptors are kept (the indexed matcher's; the exhaustive one
     *     keeps them on the heap)
     */
    public MatchEngine(EngineConfig config, DescriptorStorage descriptors) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(descriptors, "descriptors");
        OpenCvNatives.load();
        this.referenceExtractor = FeatureExtractor.forReferences(config);
        this.queryExtractor = FeatureExtractor.forStills(config);
        boolean indexed = config.matcher() == EngineConfig.Matcher.INDEXED;
        this.verifier = new GeometricVerifier(config.minInliers(), indexed, config.guidedRadius());
        this.vocabulary = indexed ? Vocabulary.loadDefault() : null;
        this.index = indexed ? new InvertedIndex(vocabulary.wordCount(), EMBEDDING_DISTANCE) : null;
        this.descriptorFile = indexed && !descriptors.onHeap() ? DescriptorFile.create(descriptors.directory()) : null;
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Adds a reference view, replacing any view with the same id. Several views may share a label. The label keeps
     * the kind it was given before (a vehicle unless said otherwise).
     *
     * @throws ImageDecodeException when the bytes are not a decodable image
     */
    public void addReference(String referenceId, String label, byte[] encodedImage) {
        addReference(referenceId, label, null, encodedImage);
    }

    /**
     * As {@link #addReference(String, String, byte[])}, saying what the label names: one vehicle or a model (then every
     * match with it is a {@link MatchKind#MODEL} answer). Null keeps the label's kind.
     */
    public void addReference(String referenceId, String label, LabelKind kind, byte[] encodedImage) {
        Objects.requireNonNull(referenceId, "referenceId");
        Objects.requireNonNull(label, "label");
        ensureOpen();
        FeatureSet features = referenceExtractor.extract(encodedImage, "reference " + referenceId);
        // A colour summary costs a colour decode (about a seventh of a view's indexing time) and 168 bytes: only
        // when the colour term is read.
        addFeatures(referenceId, label, kind, features, measuresColour() ? ColourGrid.of(encodedImage) : null);
    }

    /** Adds a view from features already extracted (a benchmark's synthetic ones), without a colour summary. */
    void addFeatures(String referenceId, String label, LabelKind kind, FeatureSet features) {
        addFeatures(referenceId, label, kind, features, null);
    }

    private void addFeatures(String referenceId, String label, LabelKind kind, FeatureSet features,
                             ColourGrid colour) {
        ReferenceView view;
        int[] words = null;
        long[] descriptors = null;
        if (vocabulary == null) {
            view = new ReferenceView(referenceId, label, features, null, colour);
        } else {
            ReferenceView.Indexed indexed = ReferenceView.indexed(referenceId, label, features, colour, vocabulary,
                    BUCKET_LEVEL);
            view = indexed.view();
            words = indexed.words();
            descriptors = view.features().descriptors;
            if (descriptorFile != null) {
                view = view.storedIn(descriptorFile);
            }
        }
        lock.writeLock().lock();
        try {
            ensureOpen(); // closed while the features were being extracted
            removeLocked(referenceId);
            int slot;
            try {
                slot = index == null ? -1 : index.add(view, words, descriptors);
            } catch (RuntimeException e) {
                if (view.descriptorsAt() >= 0) {
                    descriptorFile.free(view.features().count * 4); // appended, never held
                }
                throw e;
            }
            references.put(referenceId, new Entry(view, slot));
            if (kind == LabelKind.MODEL) {
                modelLabels.add(label);
            } else if (kind == LabelKind.VEHICLE) {
                modelLabels.remove(label);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return whether a view with that id was held */
    public boolean removeReference(String referenceId) {
        lock.writeLock().lock();
        try {
            return removeLocked(referenceId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean removeLocked(String referenceId) {
        Entry old = references.remove(referenceId);
        if (old == null) {
            return false;
        }
        if (index != null) {
            // Words are recomputed rather than kept: 4 bytes per feature saved, about a millisecond per removal spent.
            index.remove(old.slot(), vocabulary.quantizeAll(loaded(old.view()).features()));
        }
        if (old.view().descriptorsAt() >= 0) {
            descriptorFile.free(old.view().features().count * 4);
        }
        return true;
    }

    /**
     * Drops the spare room the index keeps for growing (about 6 % of its postings): call once a gallery is loaded.
     * References can still be added and removed afterwards.
     */
    public void trimToSize() {
        lock.writeLock().lock();
        try {
            if (index != null) {
                index.trimToSize();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Postings in the inverted index (one per feature of every view held); 0 for the exhaustive matcher. */
    long indexedPostings() {
        lock.readLock().lock();
        try {
            return index == null ? 0 : index.postings();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every view held (features in the index's bucket order), for benchmarks that build synthetic views. */
    List<ReferenceView> views() {
        lock.readLock().lock();
        try {
            return references.values().stream().map(e -> loaded(e.view())).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Measures the colour term from now on, even when the confidence model gives it no weight ({@code crossvalidate}
     * fits it): references added afterwards keep a colour summary, and a still's colour is decoded when one of them
     * is verified. Otherwise neither is done then.
     */
    void measureColour() {
        measureColour = true;
    }

    private boolean measuresColour() {
        return measureColour || config.confidence().colour() != 0;
    }

    /**
     * The confidence a candidate must reach to be proposed, by evidence kind (features, or a number plate, which
     * must also have every character alike): sent with each identification so a reviewer sees where the line is.
     * Empty for the exhaustive matcher, which has no threshold (the most inliers win).
     */
    public Map<String, Double> acceptThresholds() {
        if (config.matcher() == EngineConfig.Matcher.EXHAUSTIVE) {
            return Map.of();
        }
        String features = Candidate.FEATURES;
        return config.plateRows() > 0
                ? Map.of(features, config.acceptConfidence(), Candidate.PLATE,
                        config.plates().acceptThreshold())
                : Map.of(features, config.acceptConfidence());
    }

    /** Number of reference views held. */
    public int size() {
        lock.readLock().lock();
        try {
            return references.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Finds which references appear in the still.
     *
     * @throws ImageDecodeException when the bytes are not a decodable image
     */
    public MatchResult match(byte[] encodedStill) {
        long start = System.nanoTime();
        Outcome outcome = evaluate(encodedStill);
        return new MatchResult(outcome.accepted(), outcome.nearMisses(), (System.nanoTime() - start) / 1000);
    }

    /** Every verified reference with its confidence, and the accepted subset; the CLI reads this. */
    public Outcome evaluate(byte[] encodedStill) {
        return evaluate(encodedStill, false);
    }

    /**
     * @param comparePlatesAlways compare the still's number plates with the gallery's even when the features hold
     *     {@code maxCandidates} vehicles (calibration fits the plate model on every comparison; the decision is the
     *     same either way)
     */
    public Outcome evaluate(byte[] encodedStill, boolean comparePlatesAlways) {
        ensureOpen();
        FeatureSet query = queryExtractor.extract(encodedStill, "still");
        double threshold = config.ransacThresholdPx() * queryExtractor.storedPerProcessedPixel(query.width,
                query.height);
        List<Verification> verified = new ArrayList<>();
        List<Point> where = new ArrayList<>();
        Map<String, Integer> counted = new HashMap<>();
        int[] words = null;
        if (vocabulary != null) {
            words = vocabulary.quantizeAll(query);
            lock.readLock().lock();
            try {
                verifyShortlist(query, words, threshold, Set.of(), verified, where, counted);
            } finally {
                lock.readLock().unlock();
            }
        } else {
            lock.readLock().lock();
            try (BruteForceMatcher bruteForce = new BruteForceMatcher(query, config.ratio())) {
                for (Entry entry : references.values()) {
                    Matches tentative = bruteForce.match(entry.view());
                    addIfVerified(verified, tentative, tentative.count(), query, entry.view(), entry.view(),
                            threshold);
                }
            } finally {
                lock.readLock().unlock();
            }
        }
        // The still's colour is decoded only once something is verified, only once, and only when the model reads it.
        StillColour[] colourHeld = new StillColour[1];
        ToDoubleFunction<Verification> colour = v -> {
            if (v.view().colour() == null || !v.view().colour().chromatic()) {
                return 0;
            }
            if (colourHeld[0] == null) {
                colourHeld[0] = StillColour.of(encodedStill, query.width);
            }
            return colourHeld[0].mismatch(v.view(), v.inlierPairs());
        };
        Outcome outcome = decide(verified, colour, v -> false);
        if (words != null) {
            outcome = withRegionEnlarged(outcome, query, threshold, where, colour);
        }
        if (!outcome.accepted().isEmpty() && words != null) {
            outcome = withOtherVehicles(outcome, query, words, threshold, colour);
        }
        if (config.plateRows() == 0 || query.prepared == null
            || !(outcome.accepted().size() < config.maxCandidates() || comparePlatesAlways)) {
            return classified(outcome).withTextbookCounts(counted);
        }
        // The number plate may be all that two views of a car share: of the still's only car when the features found
        // nothing they trust, or of another car beside the ones they found (issue 19, point 3).
        List<PlateReader.Row> stillRows = PlateReader.read(query.prepared, MAX_STILL_PLATE_ROWS);
        if (!comparePlatesAlways && !outcome.accepted().isEmpty()) {
            // A found vehicle's own plate names no other car (withScoredPlates): not compared at all, which spares the
            // scan over the gallery's plates, linear in them, on most stills the features identified.
            VehicleMask found = VehicleMask.of(outcome.accepted());
            stillRows = stillRows.stream().filter(r -> !found.covers(r.centre())).toList();
        }
        if (stillRows.isEmpty()) {
            return classified(outcome).withTextbookCounts(counted);
        }
        List<PlateMatcher.PlateMatch> plates;
        lock.readLock().lock();
        try {
            plates = PlateMatcher.scan(stillRows, () -> references.values().stream().map(Entry::view).iterator());
        } finally {
            lock.readLock().unlock();
        }
        return classified(withPlates(outcome, plates)).withTextbookCounts(counted);
    }

    /** Verifies the index's shortlist for the query's features,
            leaving out views of the given labels. Read lock held. */
    private void verifyShortlist(FeatureSet query, int[] words, double threshold, Set<String> skipLabels,
                                 List<Verification> verified) {
        verifyShortlist(query, words, threshold, skipLabels, verified, null, null);
    }

    /**
     * As above; {@code where}, when given, receives the still points of the shortlisted view with the most matches
     * left by the Hough filter (verified or not): where the still's best evidence lies, for
     * {@link #withRegionEnlarged}; {@code counted}, when given, receives the textbook counts taken (label -> its
     * largest), for {@link Outcome#textbookCounts}.
     */
    private void verifyShortlist(FeatureSet query, int[] words, double threshold, Set<String> skipLabels,
                                 List<Verification> verified, List<Point> where, Map<String, Integer> counted) {
        int most = 0;
        // The lead's textbook counts (EngineConfig.textbookRivals): label -> its best count in this shortlist, and
        // the first shortlisted views that were not verified, counted only if something is.
        int textbookRivals = config.textbookRivals();
        int first = verified.size();
        Map<String, Integer> textbook = new HashMap<>();
        List<ReferenceView> unverified = new ArrayList<>();
        int[] buckets = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            buckets[i] = vocabulary.ancestor(words[i], BUCKET_LEVEL);
        }
        int rank = -1;
        for (ReferenceView listed : index.shortlist(query, words, shortlistSize(index.size()))) {
            rank++;
            if (skipLabels.contains(listed.label())) {
                continue;
            }
            ReferenceView view = loaded(listed);
            Matches tentative = BucketMatcher.match(query, buckets, view, config.ratio(), MAX_DISTANCE);
            Matches consistent = HoughFilter.filter(query, view.features(), tentative);
            if (where != null && consistent.count() > most) {
                most = consistent.count();
                where.clear();
                for (int i = 0; i < consistent.count(); i++) {
                    int q = consistent.queryIdx()[i];
                    where.add(new Point(query.x(q), query.y(q)));
                }
            }
            int before = verified.size();
            addIfVerified(verified, consistent, tentative.count(), query, view, listed, threshold);
            if (textbookRivals == 0) {
                continue;
            }
            if (verified.size() > before) {
                int count = TextbookFit.inliers(query, view, config.ratio(), threshold);
                textbook.merge(view.label(), count, Math::max);
                verified.set(before, verified.get(before).withTextbookInliers(count));
            } else if (rank < textbookRivals) {
                unverified.add(view); // loaded: its descriptors are compared below
            }
        }
        // The rivals' counts are read only by verified references: none verified, none counted.
        if (textbookRivals == 0 || verified.size() == first) {
            return;
        }
        for (ReferenceView view : unverified) {
            textbook.merge(view.label(), TextbookFit.inliers(query, view, config.ratio(), threshold), Math::max);
        }
        if (counted != null) {
            counted.putAll(textbook);
        }
        for (int i = first; i < verified.size(); i++) {
            Verification v = verified.get(i);
            verified.set(i, v.withTextbookRival(largestOtherThan(v.view().label(), textbook)));
        }
    }

    /** The largest of these textbook counts (label -> count) of a label other than {@code label}; 0 when none. */
    private static int largestOtherThan(String label, Map<String, Integer> counts) {
        int largest = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!e.getKey().equals(label)) {
                largest = Math.max(largest, e.getValue());
            }
        }
        return largest;
    }

    /** The box of a verified reference's inliers is widened by this about its centre (they cover part of the car). */
    private static final double REGION_GROW = 1.5;
    /** The region of unverified, Hough-consistent matches is widened more: they are fewer and less complete. */
    private static final double REGION_GROW_UNVERIFIED = 2.0;
    /** The region spans the points' 10th to 90th percentiles, so that a stray match does not stretch it. */
    private static final double REGION_TRIM = 0.1;
    /** Fewer unverified, Hough-consistent matches than this place nothing. */
    private static final int REGION_MIN_MATCHES = 6;
    /** Before widening, a region is at least this many pixels on each side. */
    private static final double REGION_MIN_SIDE = 24;
    /** A region is searched again only if enlarging it as a still of its size would enlarge it by this much. */
    private static final double REGION_MIN_FACTOR = 1.5;

    /**
     * Small vehicles in a large frame (issue 19, point 4). When the first pass gives no vehicle answer, the region
     * where its evidence lies is enlarged as a still of that size would be, and searched again: shortlist,
     * verification, the same confidence model; the better of the two passes (by its best confidence) is the outcome.
     * The region is the box of the best-scored verified reference's inliers in the still, or, when nothing was
     * verified, of the shortlisted view with the most Hough-consistent matches (see {@code REGION_*}). A car 70-250
     * px wide in a 1280×720 frame is so matched at about the size the same car gets as a crop; stills that were
     * themselves enlarged (crops), and large regions, are left alone ({@link #REGION_MIN_FACTOR}).
     */
    private Outcome withRegionEnlarged(Outcome outcome, FeatureSet query, double threshold, List<Point> where,
                                       ToDoubleFunction<Verification> colour) {
        double bestConfidence = outcome.scored().isEmpty() ? 0 : outcome.scored().get(0).confidence();
        if (bestConfidence >= Math.max(config.acceptConfidence(), config.vehicleConfidence())) {
            return outcome;
        }
        List<Point> points = new ArrayList<>();
        double grow = REGION_GROW;
        if (!outcome.scored().isEmpty()) {
            outcome.scored().get(0).verification().inlierPairs().forEach(p -> points.add(p.still()));
        } else if (where.size() >= REGION_MIN_MATCHES) {
            points.addAll(where);
            grow = REGION_GROW_UNVERIFIED;
        } else {
            return outcome;
        }
        double[] xs = points.stream().mapToDouble(Point::x).sorted().toArray();
        double[] ys = points.stream().mapToDouble(Point::y).sorted().toArray();
        int lo = (int) Math.floor((xs.length - 1) * REGION_TRIM);
        int hi = xs.length - 1 - lo;
        double cx = (xs[lo] + xs[hi]) / 2;
        double cy = (ys[lo] + ys[hi]) / 2;
        double halfW = Math.max(REGION_MIN_SIDE, xs[hi] - xs[lo]) * grow / 2;
        double halfH = Math.max(REGION_MIN_SIDE, ys[hi] - ys[lo]) * grow / 2;
        FeatureSet region = queryExtractor.extractRegion(query, cx - halfW, cy - halfH, cx + halfW, cy + halfH,
                REGION_MIN_FACTOR);
        if (region == null || region.count < config.minInliers() * 4) {
            return outcome;
        }
        int[] words = vocabulary.quantizeAll(region);
        List<Verification> verified = new ArrayList<>();
        lock.readLock().lock();
        try {
            verifyShortlist(region, words, threshold, Set.of(), verified);
        } finally {
            lock.readLock().unlock();
        }
        if (verified.isEmpty()) {
            return outcome;
        }
        Outcome enlarged = decide(verified, colour, v -> true);
        return enlarged.scored().get(0).confidence() > bestConfidence ? enlarged : outcome;
    }

    /**
     * Several vehicles in one frame (issue 19, point 3). Once the features have accepted a vehicle, the still's
     * features where it lies (the hull of its inliers, widened by {@link VehicleMask#GROW}) are set aside and the rest
     * of the still is searched again, with the same shortlist, verification, calibrated confidence and threshold, for
     * a vehicle of another label; one more per round, until a round accepts nothing or {@code maxCandidates} are held.
     * Searching again rather than accepting every verified reference of the first pass matters: there, the second
     * car is the first one's rival (the confidence model's {@code rival} term), which sinks both; with the first car's
     * features set aside, each car is scored against its own look-alikes only. The first pass's verified references
     * stay the outcome's {@code scored} list, so calibration sees exactly what it saw before.
     */
    private Outcome withOtherVehicles(Outcome outcome, FeatureSet query, int[] words, double threshold,
                                      ToDoubleFunction<Verification> colour) {
        List<Detection> accepted = new ArrayList<>(outcome.accepted());
        Set<String> labels = new HashSet<>();
        accepted.forEach(c -> labels.add(c.label()));
        VehicleMask mask = VehicleMask.of(accepted);
        FeatureSet rest = query;
        int[] restWords = words;
        while (accepted.size() < config.maxCandidates()) {
            boolean[] keep = mask.outside(rest);
            FeatureSet next = rest.subset(keep);
            if (next.count == rest.count || next.count < config.minInliers() * 4) {
                break; // nothing set aside (a second search would repeat the first), or too little left to hold a car
            }
            restWords = subset(restWords, keep);
            rest = next;
            List<Verification> verified = new ArrayList<>();
            lock.readLock().lock();
            try {
                verifyShortlist(rest, restWords, threshold, labels, verified);
            } finally {
                lock.readLock().unlock();
            }
            List<Detection> found = decide(verified, colour, v -> false).accepted();
            if (found.isEmpty()) {
                break;
            }
            Detection next1 = found.get(0);
            accepted.add(next1);
            labels.add(next1.label());
            mask.add(next1.inlierPairs());
        }
        if (accepted.size() == outcome.accepted().size()) {
            return outcome;
        }
        List<Detection> nearMisses = outcome.nearMisses().stream().filter(c -> !labels.contains(c.label())).toList();
        return new Outcome(accepted, nearMisses, outcome.scored(), outcome.plates(), outcome.match(),
                outcome.textbookCounts());
    }

    private static int[] subset(int[] values, boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < values.length; i++) {
            if (keep[i]) {
                out[j++] = values[i];
            }
        }
        return out;
    }

    /**
     * The outcome with the kind of each accepted candidate's answer, and the outcome's kind (its best candidate's, none
     * without one): a model when the candidate's label names a model, or when local features found it with a
     * confidence under {@link EngineConfig#vehicleConfidence()}; otherwise a vehicle (a number plate's characters are
     * instance evidence).
     */
    private Outcome classified(Outcome outcome) {
        if (outcome.accepted().isEmpty()) {
            return outcome.withMatch(MatchKind.NONE);
        }
        List<Detection> answers = new ArrayList<>(outcome.accepted().size());
        lock.readLock().lock();
        try {
            for (Detection c : outcome.accepted()) {
                answers.add(c.withAnswer(kindOf(c, modelLabels.contains(c.label()))));
            }
        } finally {
            lock.readLock().unlock();
        }
        return new Outcome(answers, outcome.nearMisses(), outcome.scored(), outcome.plates(), answers.get(0).answer(),
                outcome.textbookCounts());
    }

    /** A candidate's answer: see {@link #classified}; each candidate of a still with several vehicles gets its own. */
    private MatchKind kindOf(Detection c, boolean modelLabel) {
        boolean instance = c.byPlate() || config.matcher() == EngineConfig.Matcher.EXHAUSTIVE
                || c.confidence() >= Math.max(config.acceptConfidence(), config.vehicleConfidence());
        return modelLabel || !instance ? MatchKind.MODEL : MatchKind.VEHICLE;
    }

    /**
     * Adds the plate comparisons to the outcome. While the outcome holds fewer than {@code maxCandidates}, the best
     * plate the plate model accepts (its threshold, and every character alike) is accepted as one more vehicle,
     * unless a plate of another label also passes (two plates that alike are no evidence for either). Plates of a
     * label already accepted, and plates lying on a vehicle the features found (inside its {@link VehicleMask}: that
     * vehicle's own plate, which names no other), are left out of that choice. The others join the near misses.
     */
    private Outcome withPlates(Outcome outcome, List<PlateMatcher.PlateMatch> plates) {
        PlateModel model = config.plates();
        List<PlateScored> scored = new ArrayList<>();
        for (PlateMatcher.PlateMatch m : plates) {
            scored.add(new PlateScored(m, model.confidence(m.comparison())));
        }
        return withScoredPlates(outcome, scored);
    }

    private Outcome withScoredPlates(Outcome outcome, List<PlateScored> plates) {
        PlateModel model = config.plates();
        List<PlateScored> scored = new ArrayList<>(plates);
        scored.sort(Comparator.comparingDouble(PlateScored::confidence).reversed());
        List<Detection> accepted = new ArrayList<>(outcome.accepted());
        Set<String> labels = new HashSet<>();
        accepted.forEach(c -> labels.add(c.label()));
        if (accepted.size() < config.maxCandidates()) {
            VehicleMask found = VehicleMask.of(accepted);
            List<PlateScored> passing = scored.stream()
                    .filter(p -> model.accepts(p.confidence(), p.match().comparison().min()))
                    .filter(p -> !labels.contains(p.match().view().label()))
                    .filter(p -> !found.covers(p.match().pairs()))
                    .toList();
            if (!passing.isEmpty()) {
                String label = passing.get(0).match().view().label();
                boolean rival = passing.stream().anyMatch(p -> !p.match().view().label().equals(label));
                if (!rival) {
                    accepted.add(candidate(passing.get(0), outcome));
                    labels.add(label);
                }
            }
        }
        // Near misses: the features' and the plates', best first, one per label, none of an accepted label.
        List<Detection> pool = new ArrayList<>(outcome.nearMisses());
        for (PlateScored p : scored) {
            if (p.confidence() >= NEAR_MISS_CONFIDENCE) {
                pool.add(candidate(p, outcome));
            }
        }
        pool.sort(Comparator.comparingDouble(Detection::confidence).reversed());
        List<Detection> nearMisses = new ArrayList<>();
        for (Detection c : pool) {
            if (labels.add(c.label()) && nearMisses.size() < MAX_NEAR_MISSES) {
                nearMisses.add(c);
            }
        }
        return new Outcome(accepted, nearMisses, outcome.scored(), scored, MatchKind.NONE, outcome.textbookCounts());
    }

    /**
     * One answer from engines that each hold a share of one gallery (README, "When the gallery outgrows one machine"):
     * every shard's verified references are scored again together, so the {@code rival} term (the best inlier count
     * of another label) is taken across all shards, as an engine holding the whole gallery takes it over its own
     * shortlist, and so is the {@code lead} term's rival (the other shards' textbook counts, verified references'
     * and shortlisted rivals' alike: N shards' first shortlisted views, where one engine counts its own first ones,
     * so more conservative than one engine; a shard that verified nothing counted none); then the same threshold,
     * near misses and answer kinds. When the features accept nothing, the shards'
     * plate comparisons are pooled and decided the same way (a plate passing for another label, in any shard, blocks
     * the answer). Call it on an engine with this configuration that knows which labels name a model.
     *
     * <p>Not merged: the search for further vehicles in the frame ({@code withOtherVehicles}), which needs the still's
     * features and every shard's index; the merged outcome holds the first search's candidates (and a plate's). A
     * shard that accepted {@code maxCandidates} vehicles on its own did not compare plates, and a shard leaves out the
     * still's plates lying on the vehicles it accepted, so when the merged features accept fewer, those comparisons
     * are missing.
     *
     * @param shards each shard's {@link #evaluate} outcome for the same still
     */
    Outcome merge(List<Outcome> shards) {
        List<Verification> verified = new ArrayList<>();
        Map<Verification, ConfidenceModel.Evidence> evidence = new IdentityHashMap<>();
        List<PlateScored> plates = new ArrayList<>();
        // Another shard's textbook counts (its first search's verified references and first shortlisted views) are
        // of labels this shard does not hold: each is a rival of every reference this shard verified, as one engine's
        // first shortlisted views are of its own (EngineConfig.textbookRivals). A label is never its own rival, even
        // if a relabelled view is briefly in two shards.
        for (int i = 0; i < shards.size(); i++) {
            for (Scored s : shards.get(i).scored()) {
                Verification v = s.verification();
                int othersCounted = 0;
                for (int j = 0; j < shards.size(); j++) {
                    if (j != i) {
                        othersCounted = Math.max(othersCounted,
                                largestOtherThan(v.view().label(), shards.get(j).textbookCounts()));
                    }
                }
                Verification pooled = v.textbookInliers() >= 0 && othersCounted > v.textbookRival()
                        ? v.withTextbookRival(othersCounted) : v;
                verified.add(pooled);
                evidence.put(pooled, s.evidence());
            }
            plates.addAll(shards.get(i).plates());
        }
        // The colour term and the pass are the shard's: neither depends on the other shards' references.
        Outcome outcome = decide(verified, v -> evidence.get(v).colour(), v -> evidence.get(v).enlarged());
        if (!plates.isEmpty()) {
            outcome = withScoredPlates(outcome, plates);
        }
        return classified(outcome);
    }

    /**
     * A plate match as a candidate: the plate's confidence and characters. When the features also verified that
     * reference (below their threshold), their homography places the car better than the plate's similarity
     * transform, so their outline is used.
     */
    private static Detection candidate(PlateScored p, Outcome outcome) {
        ReferenceView view = p.match().view();
        List<Point> outline = p.match().outline();
        for (Scored s : outcome.scored()) {
            if (s.verification().view().referenceId().equals(view.referenceId())) {
                outline = s.verification().outline();
                break;
            }
        }
        return new Detection(view.referenceId(), view.label(), p.confidence(), p.match().pairs().size(), outline,
                p.match().pairs(), true);
    }

    /**
     * The shortlist grows with the logarithm of the gallery: at 10,000 views, true references that ranked in the top
     * 10 at 1,000 views fall to places 11-20 behind look-alike distractors (measured: 5 of 200 composites).
     */
    public int shortlistSize(int galleryViews) {
        double growth = galleryViews <= 1000 ? 0 : Math.log10(galleryViews / 1000.0);
        return (int) Math.round(config.shortlistSize() * (1 + growth));
    }

    /**
     * @param view the view with its descriptors, as verified
     * @param stored the engine's own copy of it, which the verification keeps (without the descriptors a loaded copy
     *     carries: calibration keeps every still's outcome)
     */
    private void addIfVerified(List<Verification> verified, Matches matches, int tentative, FeatureSet query,
                               ReferenceView view, ReferenceView stored, double threshold) {
        Verification v = verifier.verify(query, view, matches, tentative, threshold);
        if (v != null) {
            verified.add(v.withView(stored));
        }
    }

    /**
     * Scores every verified reference and accepts by the threshold.
     *
     * @param colour the colour term of a verified reference ({@link StillColour#mismatch})
     * @param enlarged whether a verified reference was found by the enlarged region's search
     */
    private Outcome decide(List<Verification> verified, ToDoubleFunction<Verification> colour,
                           Predicate<Verification> enlarged) {
        verified.sort(Comparator.comparingInt(Verification::inliers).reversed());
        List<Scored> scored = new ArrayList<>();
        for (Verification v : verified) {
            int rivalInliers = 0;
            int rivalLeadInliers = 0;
            for (Verification other : verified) {
                if (!other.view().label().equals(v.view().label())) {
                    rivalInliers = Math.max(rivalInliers, other.inliers());
                    rivalLeadInliers = Math.max(rivalLeadInliers, leadInliers(other));
                }
            }
            ConfidenceModel.Evidence evidence = new ConfidenceModel.Evidence(v.inliers(), v.inlierRatio(), v.spread(),
                    rivalInliers / (double) v.inliers(), v.cells(), colour.applyAsDouble(v), enlarged.test(v),
                    ConfidenceModel.Evidence.lead(leadInliers(v), Math.max(rivalLeadInliers, v.textbookRival())));
            scored.add(new Scored(v, evidence, config.confidence().confidence(evidence)));
        }
        boolean exhaustive = config.matcher() == EngineConfig.Matcher.EXHAUSTIVE;
        if (!exhaustive) {
            scored.sort(Comparator.comparingDouble(Scored::confidence).reversed());
        }
        List<Detection> accepted = new ArrayList<>();
        List<Detection> nearMisses = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Scored s : scored) {
            // Exhaustive: most inliers wins once it has minInliers (checked by the verifier). Indexed: calibrated
            // threshold.
            boolean accept = exhaustive || s.confidence() >= config.acceptConfidence();
            if (accept && labels.add(s.verification().view().label()) && accepted.size() < config.maxCandidates()) {
                accepted.add(candidate(s));
            }
        }
        for (Scored s : scored) {
            if (!exhaustive && s.confidence() < config.acceptConfidence() && s.confidence() >= NEAR_MISS_CONFIDENCE
                && labels.add(s.verification().view().label()) && nearMisses.size() < MAX_NEAR_MISSES) {
                nearMisses.add(candidate(s));
            }
        }
        return new Outcome(accepted, nearMisses, scored, List.of(), MatchKind.NONE, Map.of());
    }

    /**
     * A still's way through the engine, step by step, for a benchmark that asks where a right reference is lost
     * ({@link ReidLosses}): the labels in the order the index ranks the views (every voted view, not only the
     * shortlist), what {@link #evaluate} decides, and every view's textbook count ({@link TextbookFit}), label -> its
     * largest. Indexed matcher only; costs a textbook count per view of the gallery, and the still is decoded and its
     * features extracted twice ({@link #evaluate}'s, then these steps'): a benchmark's cost, kept out of evaluate.
     */
    record Trace(List<String> ranked, Outcome outcome, Map<String, Integer> textbook) {}

    Trace trace(byte[] encodedStill) {
        if (vocabulary == null) {
            throw new IllegalStateException("a trace follows the indexed matcher's steps");
        }
        Outcome outcome = evaluate(encodedStill);
        FeatureSet query = queryExtractor.extract(encodedStill, "still");
        double threshold = config.ransacThresholdPx() * queryExtractor.storedPerProcessedPixel(query.width,
                query.height);
        int[] words = vocabulary.quantizeAll(query);
        lock.readLock().lock();
        try {
            List<String> ranked = index.ranking(query, words).stream().map(ReferenceView::label).toList();
            Map<String, Integer> textbook = new HashMap<>();
            for (Entry entry : references.values()) {
                textbook.merge(entry.view().label(),
                        TextbookFit.inliers(query, loaded(entry.view()), config.ratio(), threshold), Math::max);
            }
            return new Trace(ranked, outcome, textbook);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The inlier count the lead term reads: the textbook count when one was taken
     * ({@link EngineConfig#textbookRivals}), else the first fit's.
     */
    private static int leadInliers(Verification v) {
        return v.textbookInliers() >= 0 ? v.textbookInliers() : v.firstInliers();
    }

    private static Detection candidate(Scored s) {
        Verification v = s.verification();
        return new Detection(v.view().referenceId(), v.view().label(), s.confidence(), v.inliers(), v.outline(),
                v.inlierPairs());
    }

    /**
     * Verified references with their evidence and confidence, best first, the accepted candidates and the near misses,
     * the plate comparisons (empty when the plates were not compared), best first, the kind of the answer (that of
     * the best accepted candidate), and the first search's textbook counts, label -> its largest, verified references'
     * and shortlisted rivals' alike ({@link EngineConfig#textbookRivals}; empty when none were taken), which
     * {@link #merge} pools across shards.
     */
    public record Outcome(List<Detection> accepted, List<Detection> nearMisses, List<Scored> scored,
                                  List<PlateScored> plates, MatchKind match, Map<String, Integer> textbookCounts) {
        Outcome withMatch(MatchKind kind) {
            return new Outcome(accepted, nearMisses, scored, plates, kind, textbookCounts);
        }

        Outcome withTextbookCounts(Map<String, Integer> counts) {
            return new Outcome(accepted, nearMisses, scored, plates, match, Map.copyOf(counts));
        }
    }

    record PlateScored(PlateMatcher.PlateMatch match, double confidence) {}

    public record Scored(Verification verification, ConfidenceModel.Evidence evidence, double confidence) {}

    /** Heap bytes of the index independent of the gallery size (per-word headers); 0 for the exhaustive matcher. */
    public long fixedIndexBytes() {
        return index == null ? 0 : index.fixedBytes();
    }

    /** The view with its descriptors on the heap, read from the descriptor file when they are kept there. */
    private ReferenceView loaded(ReferenceView view) {
        return view.loaded(descriptorFile);
    }

    /** Bytes of the descriptor file per reference view held (0 when descriptors are on the heap), for the budget. */
    public double fileBytesPerReference() {
        lock.readLock().lock();
        try {
            if (references.isEmpty() || descriptorFile == null) {
                return 0;
            }
            return (descriptorFile.bytes() - descriptorFile.freeBytes()) / (double) references.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes written to the descriptor file, removed views' included (0 when descriptors are on the heap). */
    public long descriptorFileBytes() {
        return descriptorFile == null ? 0 : descriptorFile.bytes();
    }

    /** Bytes of the descriptor file held by removed views, reclaimed when the gallery is next indexed (a restart). */
    public long descriptorFileFreeBytes() {
        return descriptorFile == null ? 0 : descriptorFile.freeBytes();
    }

    /** Where the reference descriptors are kept. */
    public String descriptorStorage() {
        return descriptorFile == null ? "heap" : "memory-mapped file";
    }

    /** Approximate heap bytes held per reference view (features, words, postings), for the memory budget. */
    public double bytesPerReference() {
        lock.readLock().lock();
        try {
            if (references.isEmpty()) {
                return 0;
            }
            long total = 0;
            for (Entry e : references.values()) {
                total += e.view().heapBytes() + 48;
            }
            if (index != null) {
                total += index.postingBytes();
            }
            return total / (double) references.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            references.clear();
            modelLabels.clear();
            if (descriptorFile != null) {
                descriptorFile.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("match engine is closed");
        }
    }
}
