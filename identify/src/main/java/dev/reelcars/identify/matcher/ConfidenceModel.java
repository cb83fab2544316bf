package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Logistic model turning the evidence of one verified reference into a calibrated probability that it is the right
 * identification: {@code p = 1 / (1 + exp(-(b0 + b1 ln(inliers) + b2 inlierRatio + b3 spread + b4 rival
 * + b5 ln(cells) + b6 inlierRatio ln(inliers) + b7 colour + b8 enlarged + b9 lead)))}.
 *
 * <ul>
 *   <li>{@code inliers}: distinct RANSAC inliers;</li>
 *   <li>{@code inlierRatio}: inliers / tentative (ratio-test) matches with that reference: chance matches rarely
 * agree;</li>
 *   <li>{@code spread}: fraction of the reference covered by the inliers' bounding box: a match on a small shared
 *       detail (a number plate font, a logo) covers little;</li>
 *   <li>{@code rival}: inliers of the best reference with another label / inliers of this one;</li>
 *   <li>{@code inlierRatio × ln(inliers)}: on real second views (small, soft cars seen by two cameras) many inliers
 *       that are also a large share of the tentative matches mark the same vehicle, while a look-alike of the same
 *       model reaches one or the other; on composites neither feature alone separates them as well.</li>
 *   <li>{@code colour}: how far the still's colour near the inliers is from the reference's at the same inliers
 *       ({@link StillColour#mismatch}, 0..1), beyond {@value Evidence#COLOUR_NOISE}; 0 for a grey or sepia still:
 *       local features are grey, and a same-model look-alike is often another colour;</li>
 *   <li>{@code enlarged}: 1 when the evidence comes from the second search of an enlarged region
 *       ({@code MatchEngine.withRegionEnlarged}), which is kept only when it scores better than the first: the best
 *       of two tries, which the other terms would over-rate.</li>
 *   <li>{@code lead}: {@code ln} of this reference's inliers over the best other label's, both counted in the first
 *       fit, before guided matching, and at least 0. Guided matching looks for every reference feature's twin where
 *       the fit puts it, so a same-model look-alike, whose grille, lamps and body lines sit where the right car's
 *       would, gains as many inliers as the right car; the first fit counts only matches that won Lowe's ratio test
 *       against the whole still, which a look-alike wins less often. On held-out real pairs this lead told the right
 *       vehicle from look-alikes better than the guided counts (README-matcher, "Sixteenth round"). With
 *       {@link EngineConfig#textbookRivals()} above 0 (the default since the twentieth round) both counts are
 *       textbook counts ({@link TextbookFit}: the ratio test against every feature of the reference), and the best
 *       other label is taken over the first views of the shortlist too, verified or not: a lone verified look-alike
 *       of an unknown car then leads by its margin over the next reference, not by its whole count.</li>
 * </ul>
 * A coefficient missing from the model file is 0 (the term unused).
 * The coefficients are fitted by {@code MatchCli calibrate} on a held-aside calibration split (see README-matcher.md).
 */
public record ConfidenceModel(double intercept, double logInliers, double inlierRatio, double spread, double rival,
                              double logCells, double ratioLogInliers, double colour, double enlarged,
                              double lead) {

    static final String RESOURCE = "/dev/reelcars/identify/confidence-model.properties";
    private static final Properties FITTED = loadFitted();

    /**
     * A fitted model with its answer and vehicle thresholds, as {@code crossvalidate --out} writes them, and the
     * {@link EngineConfig#textbookRivals} its {@code lead} term was fitted on: the engine counts the lead the way its
     * model was fitted ({@link EngineConfig#withFitted}), so a model fitted on first-fit inliers is never read on
     * textbook counts. A file without the key was written before the twentieth round, on first-fit inliers (0).
     */
    public record Fitted(ConfidenceModel model, double acceptThreshold, double vehicleThreshold, int textbookRivals) {

        public Fitted {
            if (textbookRivals < 0) {
                throw new IllegalArgumentException("textbookRivals must be at least 0, was " + textbookRivals);
            }
        }

        /** The committed model of the default (full) profile. */
        public static Fitted defaults() {
            return of(FITTED);
        }

        /**
         * The model fitted for a gallery profile's features ({@code confidence-model-PROFILE.properties} beside the
         * default one); the default model when the profile has none (a model scores the inliers of the features it
         * was fitted on: fewer features per view give fewer inliers for the same evidence).
         */
        public static Fitted forProfile(String profile) {
            String resource = RESOURCE.replace(".properties", "-" + profile + ".properties");
            try (InputStream in = ConfidenceModel.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return defaults();
                }
                Properties p = new Properties();
                p.load(in);
                return of(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }

        /**
         * Writes this model and its thresholds, with the plate model beside them, as {@link #load} reads them back:
         * the one writer of the model file ({@code calibrate --out}, {@code crossvalidate --out}).
         */
        public void store(Path file, PlateModel plates, String comment) throws IOException {
            Properties p = new Properties();
            p.setProperty("intercept", Double.toString(model.intercept()));
            p.setProperty("logInliers", Double.toString(model.logInliers()));
            p.setProperty("inlierRatio", Double.toString(model.inlierRatio()));
            p.setProperty("spread", Double.toString(model.spread()));
            p.setProperty("rival", Double.toString(model.rival()));
            p.setProperty("logCells", Double.toString(model.logCells()));
            p.setProperty("ratioLogInliers", Double.toString(model.ratioLogInliers()));
            p.setProperty("colour", Double.toString(model.colour()));
            p.setProperty("enlarged", Double.toString(model.enlarged()));
            p.setProperty("lead", Double.toString(model.lead()));
            p.setProperty("acceptThreshold", String.format(Locale.ROOT, "%.3f", acceptThreshold));
            p.setProperty("vehicleThreshold", String.format(Locale.ROOT, "%.3f", vehicleThreshold));
            p.setProperty("textbookRivals", Integer.toString(textbookRivals));
            p.setProperty("plateIntercept", Double.toString(plates.intercept()));
            p.setProperty("plateMean", Double.toString(plates.mean()));
            p.setProperty("plateMin", Double.toString(plates.min()));
            p.setProperty("plateAcceptThreshold", String.format(Locale.ROOT, "%.3f",
                    plates.acceptThreshold()));
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, comment);
            }
        }

        /** A model file written by {@code crossvalidate --out}. */
        public static Fitted load(Path file) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return of(p);
        }

        static Fitted of(Properties p) {
            double answer = number(p, "acceptThreshold");
            return new Fitted(new ConfidenceModel(number(p, "intercept"), number(p, "logInliers"),
                    number(p, "inlierRatio"), number(p, "spread"), number(p, "rival"), number(p, "logCells"),
                    Double.parseDouble(p.getProperty("ratioLogInliers", "0")),
                    Double.parseDouble(p.getProperty("colour", "0")),
                    Double.parseDouble(p.getProperty("enlarged", "0")),
                    Double.parseDouble(p.getProperty("lead", "0"))), answer,
                    Double.parseDouble(p.getProperty("vehicleThreshold", Double.toString(answer))),
                    Integer.parseInt(p.getProperty("textbookRivals", "0").trim()));
        }
    }

    /** The coefficients fitted by {@code calibrate}, read from {@value #RESOURCE}. */
    public static ConfidenceModel defaults() {
        return Fitted.defaults().model();
    }

    /** A model without the {@code inlierRatio × ln(inliers)} term. */
    public ConfidenceModel(double intercept, double logInliers, double inlierRatio, double spread, double rival,
                           double logCells) {
        this(intercept, logInliers, inlierRatio, spread, rival, logCells, 0, 0, 0, 0);
    }

    /** The model of these coefficients, in the order of {@link Evidence#features()} after the intercept. */
    static ConfidenceModel of(double[] beta) {
        return new ConfidenceModel(beta[0], beta[1], beta[2], beta[3], beta[4], beta[5], beta.length > 6 ? beta[6] : 0,
                beta.length > 7 ? beta[7] : 0, beta.length > 8 ? beta[8] : 0, beta.length > 9 ? beta[9] : 0);
    }

    /**
     * The acceptance threshold above which a candidate's evidence is taken to show the same vehicle rather than only
     * the same model (chosen by {@code crossvalidate} on real cross-camera pairs); the answer threshold when none was
     * fitted.
     */
    public static double defaultVehicleThreshold() {
        return Double.parseDouble(FITTED.getProperty("vehicleThreshold", FITTED.getProperty("acceptThreshold")));
    }

    /** The acceptance threshold chosen by {@code calibrate} on the calibration split. */
    public static double defaultThreshold() {
        return number("acceptThreshold");
    }

    static double number(String key) {
        return number(FITTED, key);
    }

    private static double number(Properties fitted, String key) {
        String value = fitted.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("the confidence model lacks " + key);
        }
        return Double.parseDouble(value);
    }

    private static Properties loadFitted() {
        Properties p = new Properties();
        try (InputStream in = ConfidenceModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return p;
    }

    public ConfidenceModel {
        for (double c : new double[] {intercept, logInliers, inlierRatio, spread, rival, logCells, ratioLogInliers,
                colour, enlarged, lead}) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("coefficients must be finite");
            }
        }
    }

    public double confidence(Evidence e) {
        double z = intercept + logInliers * Math.log(Math.max(1, e.inliers())) + inlierRatio * e.inlierRatio()
                + spread * e.spread() + rival * e.rival() + logCells * Math.log(Math.max(1, e.cells()))
                + ratioLogInliers * e.inlierRatio() * Math.log(Math.max(1, e.inliers()))
                + colour * e.colourExcess() + (e.enlarged() ? enlarged : 0) + lead * e.lead();
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /**
     * The features the model reads, also written out by the calibration run.
     *
     * @param colour {@link StillColour#mismatch}, 0 when not measured
     * @param enlarged found by the second search of an enlarged region
     * @param lead the {@code lead} term: {@link #lead(int, int)}
     */
    public record Evidence(int inliers, double inlierRatio, double spread, double rival, int cells, double colour,
                           boolean enlarged, double lead) {
        /** Evidence without the colour and lead terms, from the first search. */
        public Evidence(int inliers, double inlierRatio, double spread, double rival, int cells) {
            this(inliers, inlierRatio, spread, rival, cells, 0, false, 0);
        }

        /**
         * The lead of a reference's inliers (first-fit or textbook counts) over the best other label's:
         * {@code ln(own / rival)}, 0 when it does not lead (the {@code rival} term already sinks a reference another
         * label outscores).
         */
        static double lead(int ownInliers, int rivalInliers) {
            return Math.max(0, Math.log(Math.max(1, ownInliers)) - Math.log(Math.max(1, rivalInliers)));
        }

        /**
         * Colour mismatch up to this is what two views of one car show anyway (JPEG chroma, soft edges, the window
         * around a keypoint straddling two colours: 2.5 CIELAB units per inlier on average): the term counts only
         * what lies beyond. Measured (crossvalidate --dump, fourteenth round): on the real pairs the right
         * reference's mismatch and a wrong one's overlap up to about 0.1 (median 0.05 and 0.04); above 0.15 lie 16
         * wrong references and 5 right ones.
         */
        static final double COLOUR_NOISE = 0.1;

        /** The colour term the model reads: the mismatch beyond {@link #COLOUR_NOISE}. */
        double colourExcess() {
            return Math.max(0, colour - COLOUR_NOISE);
        }

        double[] features() {
            double logInliers = Math.log(Math.max(1, inliers));
            return new double[] {logInliers, inlierRatio, spread, rival, Math.log(Math.max(1, cells)),
                    inlierRatio * logInliers, colourExcess(), enlarged ? 1 : 0, lead};
        }
    }
}
