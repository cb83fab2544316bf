package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a contributor says about a film: {@code title} (required), {@code year}, {@code country}, {@code language},
 * and optionally the content's {@code sha256} (so a film already submitted by the same account is recognised before
 * its bytes are sent again). In a tus upload they travel in the {@code Upload-Metadata} header, each value base64.
 */
record FilmMetadata(String title, Integer year, String country, String language, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A tus header is a few short fields; anything longer is not metadata. */
    private static final int MAX_HEADER_CHARS = 8192;

    /** Reads and checks the fields of a decoded map (the same caps as a still's metadata). */
    static FilmMetadata of(Map<String, String> fields, IngestConfig.UploadLimits limits) {
        java.util.function.Function<String, Optional<String>> get = k -> Optional.ofNullable(fields.get(k));
        String title = Metadata.capped(get, "title", limits.maxFieldChars());
        if (title == null) {
            throw new ApiException(400, "missing-field", "a film needs a title (Upload-Metadata: title <base64>)");
        }
        String sha = Metadata.capped(get, "sha256", 64);
        if (sha != null && !SHA256.matcher(sha).matches()) {
            throw new ApiException(400, "invalid-field", "sha256 must be 64 lower-case hex digits");
        }
        return new FilmMetadata(title, Metadata.year(get), Metadata.capped(get, "country", limits.maxFieldChars()),
                Metadata.capped(get, "language", limits.maxFieldChars()), sha);
    }

    /** Decodes a tus {@code Upload-Metadata} header: comma-separated {@code key base64value} pairs. */
    static Map<String, String> decodeHeader(String header) {
        Map<String, String> fields = new HashMap<>();
        if (header == null || header.isBlank()) {
            return fields;
        }
        if (header.length() > MAX_HEADER_CHARS) {
            throw new ApiException(400, "invalid-metadata", "Upload-Metadata is longer than " + MAX_HEADER_CHARS);
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            if (kv[0].isEmpty() || fields.containsKey(kv[0])) {
                throw new ApiException(400, "invalid-metadata", "Upload-Metadata keys must be present and unique");
            }
            try {
                fields.put(kv[0], kv.length < 2 ? "" : new String(java.util.Base64.getDecoder().decode(kv[1].trim()),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "invalid-metadata", "the value of " + kv[0] + " is not base64");
            }
        }
        return fields;
    }
}
