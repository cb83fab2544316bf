package dev.reelcars.identify.matcher;

/**
 * Logistic model turning a number-plate comparison into a calibrated probability that the still shows the
 * reference's vehicle: {@code p = 1 / (1 + exp(-(b0 + b1 mean + b2 min)))}, with {@code mean} and {@code min} the
 * mean and the lowest correlation of the reference's characters with the still's ({@link PlateComparer#compare}). The
 * lowest character is what tells a plate from one of the same design: "RK 959AF" against "RK 959AD" agrees on all
 * but one character. Fitted by {@code MatchCli calibrate} with the feature model, and read from the same file.
 *
 * <p>Acceptance also needs every character to agree: the lowest correlation at least {@link #MIN_GLYPH}. The
 * calibration split has few plates of one design that differ in a single character, so the fitted model alone
 * gives such a pair a confidence near a true plate's; the floor is set from the 9,498 ordered pairs of photos with
 * different plates in the dev data (108 Slovak cars), none of which reaches it with a mean of 0.8 or more (the
 * highest lowest character among those: 0.64). See README-matcher.md ("Number plates").
 *
 * @param acceptThreshold a plate match at or above this is an identification (when the features found none)
 */
public record PlateModel(double intercept, double mean, double min, double acceptThreshold) {
    /** The lowest character correlation an accepted plate may have. */
    public static final double MIN_GLYPH = 0.65;

    public PlateModel {
        for (double c : new double[] {intercept, mean, min}) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("plate model coefficients must be finite");
            }
        }
        if (!(acceptThreshold >= 0 && acceptThreshold <= 1)) {
            throw new IllegalArgumentException("plate acceptance threshold must be within 0..1, was "
                    + acceptThreshold);
        }
    }

    /** The coefficients and threshold fitted by {@code calibrate}, read from {@value ConfidenceModel#RESOURCE}. */
    public static PlateModel defaults() {
        return new PlateModel(ConfidenceModel.number("plateIntercept"), ConfidenceModel.number("plateMean"),
                ConfidenceModel.number("plateMin"), ConfidenceModel.number("plateAcceptThreshold"));
    }

    /** Whether a comparison with this confidence and lowest character passes: the threshold and the floor. */
    boolean accepts(double confidence, double lowestCharacter) {
        return confidence >= acceptThreshold && everyCharacterAlike(lowestCharacter);
    }

    /** The floor half of {@link #accepts}, for calibration, which tries thresholds against it. */
    static boolean everyCharacterAlike(double lowestCharacter) {
        return lowestCharacter >= MIN_GLYPH;
    }

    double confidence(PlateComparer.Comparison c) {
        return confidence(c.mean(), c.min());
    }

    double confidence(double meanScore, double minScore) {
        double z = intercept + mean * meanScore + min * minScore;
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
