package dev.reelcars.identify.matcher;

/**
 * Settings of a {@link MatchEngine}, validated once here.
 *
 * @param matcher INDEXED (vocabulary shortlist + verification, the default) or EXHAUSTIVE (textbook reference point)
 * @param referenceFeatures ORB keypoints kept per reference view; bounds the index memory per view (32 B descriptor +
 * 16 B per feature)
 * @param halfScaleFeatures extra features per reference from a synthesised half-size view (small cars in stills)
 * @param detailFeatures extra features per reference from a synthesised enlarged view, made when the reference's
 *     shorter side is under {@code detailSide / 1.25}: fine detail such as number-plate characters, which a second
 *     view framed closer shows large (0: none)
 * @param detailSide shorter side, in pixels, of the enlarged detail view (at most 2× the processed reference)
 * @param queryFeatures ORB keypoints kept per still: a car may fill a fifth of the frame, so the still needs more than
 * a reference
 * @param maxQuerySide longer stills are downscaled first (coordinates are reported in the original pixels)
 * @param minQuerySide stills whose shorter side is below this are upscaled first (at most to 1.5 × maxQuerySide):
 *     ORB finds few usable corners in a small frame, and none within its border of the edge (0: never)
 * @param maxReferenceSide longer references are downscaled first
 * @param minReferenceSide references whose shorter side is below this are upscaled first (at most 4×): a 220×66
 *     clip-art car has no room for ORB's 31 px patches otherwise (0: never)
 * @param referenceEdgePx ORB's edge threshold on references: no keypoint nearer the image border than this. A
 *     reference is cropped tight around the car, so the default 31 px would leave the car's outer parts featureless
 * @param preprocess trim black letterbox bars and use a lower FAST threshold (off for the textbook matcher)
 * @param ratio Lowe ratio test: best Hamming distance must be below ratio × second best
 * @param ransacThresholdPx RANSAC reprojection threshold in still pixels (at processing scale)
 * @param guidedRadius after RANSAC, each reference feature looks for its twin within this many RANSAC thresholds of
 *     where the homography sends it, and the homography is refitted on what it finds (0: no guided matching)
 * @param minInliers fewer inliers than this is never a candidate
 * @param shortlistSize how many references the inverted index passes to geometric verification with up to 1,000
 *     views; each tenfold growth beyond adds as many again (20 at 10,000), since more distractors compete for the
 *     places (INDEXED only)
 * @param acceptConfidence calibrated confidence at or above which a candidate is accepted (INDEXED only)
 * @param maxCandidates at most this many accepted candidates are returned
 * @param confidence the logistic model that turns verification features into a calibrated confidence
 * @param plateRows rows of characters (number plates) read and kept per reference, the longest first; a still whose
 *     features identify nothing is then compared with them character by character (0: the plate channel is off)
 * @param plates the logistic model and threshold for plate comparisons (required when {@code plateRows > 0})
 * @param vehicleConfidence confidence at or above which an accepted candidate found by local features is a
 *     {@code vehicle} answer (the evidence shows the same vehicle) rather than a {@code model} answer (the same model,
 *     perhaps the same vehicle); chosen on real cross-camera pairs (INDEXED only; a plate match and the exhaustive
 *     matcher's answers are always {@code vehicle} answers, unless the label names a model)
 * @param textbookRivals what the confidence model's {@code lead} term reads. Above 0: textbook inlier counts
 *     ({@link TextbookFit}: ratio test against every feature of the reference, USAC homography), the verified
 *     reference's own over the best other label's among every verified reference and the first
 *     {@code textbookRivals} views of the shortlist, verified or not (counted only when something was verified); 0:
 *     the first fit's inliers over the best other verified label's, as the sixteenth round fitted it. A model is
 *     fitted for one of the two (README-matcher, "Nineteenth round" and "Twentieth round"; INDEXED only; 3 in both
 *     profiles)
 */
public record EngineConfig(Matcher matcher, int referenceFeatures, int halfScaleFeatures, int detailFeatures,
                           int detailSide, int queryFeatures, int maxQuerySide, int minQuerySide, int maxReferenceSide,
                           int minReferenceSide,
                           int referenceEdgePx, boolean preprocess, double ratio, double ransacThresholdPx,
                           double guidedRadius, int minInliers, int shortlistSize, double acceptConfidence,
                           int maxCandidates, ConfidenceModel confidence, int plateRows, PlateModel plates,
                           double vehicleConfidence, int textbookRivals) {

    /** Which matching strategy the engine uses. */
    public enum Matcher { INDEXED, EXHAUSTIVE }

    public EngineConfig {
        if (matcher == null) {
            throw new IllegalArgumentException("matcher must be given");
        }
        if (confidence == null) {
            throw new IllegalArgumentException("confidence model must be given");
        }
        requireRange(referenceFeatures, 50, 1300, "referenceFeatures");
        requireRange(halfScaleFeatures, 0, 600, "halfScaleFeatures");
        requireRange(detailFeatures, 0, 600, "detailFeatures");
        requireRange(detailSide, 0, 4096, "detailSide");
        if (referenceFeatures + halfScaleFeatures + detailFeatures > 1300) { // 1300 × 50 B: the 64 KB budget per view
            throw new IllegalArgumentException(
                    "referenceFeatures + halfScaleFeatures + detailFeatures must be at most 1300");
        }
        requireRange(queryFeatures, 50, 20_000, "queryFeatures");
        requireRange(maxQuerySide, 64, 8192, "maxQuerySide");
        requireRange(maxReferenceSide, 64, 8192, "maxReferenceSide");
        requireRange(minQuerySide, 0, maxQuerySide, "minQuerySide");
        requireRange(minReferenceSide, 0, maxReferenceSide, "minReferenceSide");
        requireRange(referenceEdgePx, 8, 64, "referenceEdgePx");
        if (!(guidedRadius >= 0 && guidedRadius <= 10)) {
            throw new IllegalArgumentException("guidedRadius must be in [0, 10], was " + guidedRadius);
        }
        requireRange(minInliers, 4, 10_000, "minInliers");
        requireRange(shortlistSize, 1, 1000, "shortlistSize");
        requireRange(maxCandidates, 1, 100, "maxCandidates");
        requireRange(plateRows, 0, 4, "plateRows");
        requireRange(textbookRivals, 0, 100, "textbookRivals");
        if (plateRows > 0 && plates == null) {
            throw new IllegalArgumentException("a plate model must be given when plateRows > 0");
        }
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio must be in (0, 1], was " + ratio);
        }
        if (!(ransacThresholdPx > 0 && ransacThresholdPx <= 50)) {
            throw new IllegalArgumentException("ransacThresholdPx must be in (0, 50], was " + ransacThresholdPx);
        }
        if (!(vehicleConfidence >= 0 && vehicleConfidence <= 1)) {
            throw new IllegalArgumentException("vehicleConfidence must be in [0, 1], was " + vehicleConfidence);
        }
        if (!(acceptConfidence >= 0 && acceptConfidence <= 1)) {
            throw new IllegalArgumentException("acceptConfidence must be in [0, 1], was " + acceptConfidence);
        }
    }

    /** The production matcher: vocabulary shortlist, preprocessing, calibrated acceptance. */
    public static EngineConfig defaults() {
        return new EngineConfig(Matcher.INDEXED, 600, 300, 150, 600, 2500, 1280, 720, 640, 240, 16, true, 0.8,
                5.0, 1.5, 8,
                10, ConfidenceModel.defaultThreshold(), 3, ConfidenceModel.defaults(), 1, PlateModel.defaults(),
                ConfidenceModel.defaultVehicleThreshold(), ConfidenceModel.Fitted.defaults().textbookRivals());
    }

    /**
     * The production matcher with fewer features kept per reference view (380 + 180 at half size + 90 detail instead of
     * 600 + 300 + 150): about 31 KB per view instead of 48 (heap and descriptor file together, {@link
     * DescriptorStorage}). It scores with a confidence model fitted on its own features
     * ({@code confidence-model-compact.properties}): fewer features give fewer inliers for the same evidence. Held out
     * (README-matcher, "Twentieth round"): 75.0 % of the real cross-camera crops identified instead of the full
     * profile's 79.2 %, and on the composites 2 of 196 negatives given a vehicle answer at 1,000 views instead of 1,
     * so it is an operator's choice for a gallery that would not fit otherwise, not the default.
     */
    public static EngineConfig compact() {
        return defaults().withReferenceFeatures(380, 180, 90).withFitted(ConfidenceModel.Fitted.forProfile("compact"));
    }

    /** Gallery profile names, as {@code REELCARS_IDENTIFY_GALLERY_PROFILE} and {@code match --profile} take them. */
    public static final java.util.List<String> PROFILES = java.util.List.of("full", "compact");

    /** The indexed matcher with the named gallery profile's features and confidence model. */
    public static EngineConfig profile(String name) {
        return switch (name) {
            case "full" -> defaults();
            case "compact" -> compact();
            default -> throw new IllegalArgumentException("gallery profile must be one of " + PROFILES + ", was '"
                    + name + "'");
        };
    }

    /**
     * These settings with another fitted confidence model, its two thresholds and the lead's counting it was fitted on
     * ({@link ConfidenceModel.Fitted#textbookRivals}).
     */
    public EngineConfig withFitted(ConfidenceModel.Fitted fitted) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures, maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx,
                preprocess, ratio, ransacThresholdPx, guidedRadius, minInliers, shortlistSize,
                fitted.acceptThreshold(), maxCandidates, fitted.model(), plateRows, plates, fitted.vehicleThreshold(),
                fitted.textbookRivals());
    }

    /** These settings with other feature budgets per reference view (full size, half size, enlarged detail). */
    public EngineConfig withReferenceFeatures(int full, int halfScale, int detail) {
        return new EngineConfig(matcher, full, halfScale, detail, detailSide, queryFeatures, maxQuerySide, minQuerySide,
                maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio, ransacThresholdPx, guidedRadius,
                minInliers, shortlistSize, acceptConfidence, maxCandidates, confidence, plateRows, plates,
                vehicleConfidence, textbookRivals);
    }

    /**
     * The textbook reference point: plain ORB, brute force against every reference, ratio test, RANSAC, most inliers
     * wins once it has at least {@code minInliers}.
     */
    public static EngineConfig exhaustive() {
        return new EngineConfig(Matcher.EXHAUSTIVE, 1000, 0, 0, 0, 2500, 1280, 0, 640, 0, 31, false, 0.8, 5.0, 0, 15, 1,
                0.0, 3, ConfidenceModel.defaults(), 0, null, 0.0, 0);
    }

    /** These settings with another acceptance threshold (an operator's override, or a test's). */
    public EngineConfig withAcceptConfidence(double threshold) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures,
                maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio,
                ransacThresholdPx, guidedRadius, minInliers, shortlistSize, threshold, maxCandidates,
                confidence, plateRows, plates, vehicleConfidence, textbookRivals);
    }

    /** These settings with another vehicle threshold (a test's, or an operator's who wants fewer vehicle answers). */
    public EngineConfig withVehicleConfidence(double threshold) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures,
                maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio,
                ransacThresholdPx, guidedRadius, minInliers, shortlistSize, acceptConfidence, maxCandidates, confidence,
                plateRows, plates, threshold, textbookRivals);
    }

    /** These settings with the plate channel off, or with {@code rows} plate rows kept per reference. */
    public EngineConfig withPlateRows(int rows) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures,
                maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio,
                ransacThresholdPx, guidedRadius, minInliers, shortlistSize, acceptConfidence, maxCandidates,
                confidence, rows, rows > 0 && plates == null ? PlateModel.defaults() : plates, vehicleConfidence,
                textbookRivals);
    }

    /** These settings with another confidence model (tests; the thresholds stay those of these settings). */
    public EngineConfig withConfidenceModel(ConfidenceModel model) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures,
                maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio,
                ransacThresholdPx, guidedRadius, minInliers, shortlistSize, acceptConfidence, maxCandidates, model,
                plateRows, plates, vehicleConfidence, textbookRivals);
    }

    /** These settings with another plate model (calibration, tests). */
    public EngineConfig withPlateModel(PlateModel model) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures,
                maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx, preprocess, ratio,
                ransacThresholdPx, guidedRadius, minInliers, shortlistSize, acceptConfidence, maxCandidates, confidence,
                plateRows, model, vehicleConfidence, textbookRivals);
    }

    /**
     * These settings with the lead term reading textbook counts with this many shortlisted rivals, or (0) the first
     * fit's inliers; the confidence model must have been fitted on the same.
     */
    public EngineConfig withTextbookRivals(int views) {
        return new EngineConfig(matcher, referenceFeatures, halfScaleFeatures, detailFeatures, detailSide,
                queryFeatures, maxQuerySide, minQuerySide, maxReferenceSide, minReferenceSide, referenceEdgePx,
                preprocess, ratio, ransacThresholdPx, guidedRadius, minInliers, shortlistSize, acceptConfidence,
                maxCandidates, confidence, plateRows, plates, vehicleConfidence, views);
    }

    private static void requireRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
