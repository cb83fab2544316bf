package dev.reelcars.identify.matcher;

import java.util.Locale;

/**
 * What a gallery label names: one physical vehicle (the default: "the Paektusan prototype, registration 2-2-3706") or
 * a model, whose references may show several physical cars ("a GAZ-24 Volga"). A match with a model's label is a
 * {@link MatchKind#MODEL} answer however strong its evidence.
 */
public enum LabelKind {
    VEHICLE, MODEL;

    /** {@code vehicle} or {@code model}, any case. */
    public static LabelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a label kind is 'vehicle' or 'model', not '" + text + "'");
        }
    }
}
