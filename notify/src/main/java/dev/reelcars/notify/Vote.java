package dev.reelcars.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.reelcars.events.Ids;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.platform.http.ApiException;

/**
 * A reviewer's vote as sent to {@code POST /api/reviews/{stillId}} and {@code POST /api/proposals/{id}/review}:
 * {@code {"verdict": "confirm"|"reject", "label"?, "decisionId"?}}. The one place that reads and checks it.
 *
 * @param decisionId optional, chosen by the client ({@code decision-<uuid>}) so that a retry after a lost answer
 *     (notify restarting mid-request) is recognised as the same decision instead of deciding twice
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Vote(String verdict, String label, String decisionId) {
    Vote(String verdict, String label) {
        this(verdict, label, null);
    }

    /** The client's decision id, checked, or a new one. */
    String idOrNew() {
        if (decisionId == null) {
            return Ids.newId("decision");
        }
        if (!Ids.isSafe(decisionId) || !decisionId.startsWith("decision-")) {
            throw new ApiException(400, "bad-decision-id", "decisionId is decision-<letters, digits, - or _>");
        }
        return decisionId;
    }

    /** The verdict, or 400 {@code bad-verdict}. */
    ReviewDecision.Verdict parsedVerdict() {
        return switch (String.valueOf(verdict)) {
            case "confirm" -> ReviewDecision.Verdict.CONFIRM;
            case "reject" -> ReviewDecision.Verdict.REJECT;
            default -> throw new ApiException(400, "bad-verdict", "verdict must be \"confirm\" or \"reject\"");
        };
    }

    /** The label stripped, null when none was sent; 400 {@code bad-label} when blank or over 200 characters. */
    String cleanLabel() {
        return label == null ? null : clean(label);
    }

    static String clean(String label) {
        String l = label == null ? "" : label.strip();
        if (l.isEmpty() || l.length() > 200) {
            throw new ApiException(400, "bad-label", "label must be 1..200 characters");
        }
        return l;
    }
}
