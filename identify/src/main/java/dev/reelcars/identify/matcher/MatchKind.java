package dev.reelcars.identify.matcher;

import java.util.Locale;

/**
 * What an answer claims (issue 19, "two kinds of answer"): that the still shows the same physical vehicle as the
 * reference (instance evidence: the number plate's characters, or local features strong enough that on real
 * cross-camera pairs a look-alike of the same model does not reach them), only the same model (the gallery label
 * names a model, or the evidence is weaker: design features every car of the model shares), or nothing.
 */
public enum MatchKind {
    VEHICLE, MODEL, NONE;

    /** As written in results.csv: {@code vehicle}, {@code model} or {@code none}. */
    public String csv() {
        return name().toLowerCase(Locale.ROOT);
    }
}
