package dev.reelcars.accounts;

import java.util.Locale;

/**
 * What a person may do. A person may hold several roles: an admin who also reviews holds both.
 *
 * <ul>
 *   <li>{@code CONTRIBUTOR}: uploads stills, clips and reference proposals;</li>
 *   <li>{@code REVIEWER}: decides on identifications and reference proposals, relabels and retires references;</li>
 *   <li>{@code ADMIN}: manages accounts and reads the audit trail.</li>
 * </ul>
 */
public enum Role {
    CONTRIBUTOR, REVIEWER, ADMIN;

    /** The lower-case name used in JSON and settings. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("a role is contributor, reviewer or admin, got " + text);
        }
    }
}
