package dev.reelcars.catalogue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How names become keys and ids. Two spellings of a film or a vehicle are the same when they normalise equal:
 * accents folded ({@code Amélie} = {@code AMELIE}), case ignored, punctuation and runs of spaces read as one space.
 * Ids are derived from the normalised name alone, so they are the same after every rebuild and on every instance.
 */
final class Names {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern ASCII_KEY = Pattern.compile("[a-z0-9 ]*");

    private Names() {
    }

    /** The comparison key of a name: accents folded, lower case, words separated by one space; "" for null. */
    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String ascii = normaliseAscii(name);
        if (ascii != null) {
            return ascii;
        }
        // NFKD splits é into e + a combining mark and ﬁ into fi; NFC afterwards recomposes scripts such as Hangul,
        // whose syllables NFKD splits into jamo that are letters, not marks.
        String folded = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
        folded = Normalizer.normalize(folded, Normalizer.Form.NFC).replace("ß", "ss").replace('ø', 'o')
                .replace('Ø', 'o').replace('ł', 'l').replace('Ł', 'l').replace('đ', 'd').replace('Đ', 'd');
        return SEPARATORS.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    /**
     * The same key for a name of plain ASCII letters, digits and punctuation, without the Unicode normalisation and
     * regular expressions (a rebuild normalises every title and label it reads); null for anything else.
     */
    private static String normaliseAscii(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean space = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128) {
                return null;
            }
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                // below
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A film's id: {@code f-<title>-<year>}, from the normalised title. */
    static String filmId(String title, Integer year) {
        return "f-" + slug(normalise(title)) + (year == null ? "" : "-" + year);
    }

    /** A vehicle's id: {@code v-<label>}, from the normalised label. */
    static String vehicleId(String label) {
        return "v-" + slug(normalise(label));
    }

    /**
     * A URL-safe, readable form of a normalised key: the key itself with dashes when it is plain ASCII (then the
     * slug maps back to one key only), otherwise its ASCII letters followed by a hash of the whole key.
     */
    private static String slug(String key) {
        if (key.isEmpty()) {
            return "untitled";
        }
        if (ASCII_KEY.matcher(key).matches() && key.length() <= 80) {
            return key.replace(' ', '-');
        }
        String ascii = key.replaceAll("[^a-z0-9 ]", "").trim().replaceAll(" +", "-");
        if (ascii.length() > 60) {
            ascii = ascii.substring(0, 60);
        }
        return (ascii.isEmpty() ? "" : ascii + "-") + hash(key);
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
