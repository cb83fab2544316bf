package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One multipart/form-data request, parsed with this route's own caps. The caps are set per request (Jetty reads
 * the {@code org.eclipse.jetty.multipartConfig} attribute) rather than through Javalin's global multipart config,
 * which is a JVM-wide static shared by every Javalin app in the launcher. A body over the cap, with or without a
 * Content-Length, becomes 413 {@code file-too-large} instead of Jetty's 500. The original file name is kept for
 * nothing: it never becomes a path.
 */
final class MultipartUpload implements AutoCloseable {
    /** Room for the text fields and part headers around the file. */
    private static final long FORM_OVERHEAD = 1L << 20;
    private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    private final Collection<Part> parts;
    private final Map<String, String> fields;
    private final Part file;
    private final long maxFileBytes;

    private MultipartUpload(Collection<Part> parts, Map<String, String> fields, Part file, long maxFileBytes) {
        this.parts = parts;
        this.fields = fields;
        this.file = file;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * Parses the request. {@code fileField} must be present; text fields longer than {@code maxFieldBytes} are
     * refused with 400 {@code field-too-long}.
     */
    static MultipartUpload read(Context ctx, String fileField, long maxFileBytes, int maxFieldBytes, Path spoolDir) {
        String contentType = String.valueOf(ctx.contentType());
        if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
            throw new ApiException(400, "bad-multipart", "expected a multipart/form-data body with a '"
                    + fileField + "' file, got " + contentType);
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxFileBytes + FORM_OVERHEAD) {
            throw tooLarge(maxFileBytes);
        }
        try {
            Files.createDirectories(spoolDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create upload spool directory " + spoolDir, e);
        }
        // Files above 1 MiB are spooled to disk while the request is read; the spool files are deleted in close().
        ctx.req().setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(spoolDir.toString(),
                maxFileBytes, maxFileBytes + FORM_OVERHEAD, 1 << 20));
        Collection<Part> parts;
        try {
            parts = ctx.req().getParts();
        } catch (Exception e) {
            if (isSizeLimit(e)) {
                throw tooLarge(maxFileBytes);
            }
            throw new ApiException(400, "bad-multipart", "the multipart body cannot be read: " + rootMessage(e));
        }
        MultipartUpload upload = null;
        try {
            Map<String, String> fields = new HashMap<>();
            Part file = null;
            for (Part part : parts) {
                if (part.getSubmittedFileName() != null || fileField.equals(part.getName())) {
                    if (fileField.equals(part.getName()) && file == null) {
                        file = part;
                    }
                } else if (!fields.containsKey(part.getName())) {
                    fields.put(part.getName(), readField(part, maxFieldBytes));
                }
            }
            upload = new MultipartUpload(parts, fields, file, maxFileBytes);
            if (file == null) {
                throw new ApiException(400, "missing-file", "the form has no '" + fileField + "' file");
            }
            if (file.getSize() > maxFileBytes) {
                throw tooLarge(maxFileBytes);
            }
            return upload;
        } catch (RuntimeException e) {
            if (upload != null) {
                upload.close();
            } else {
                deleteAll(parts);
            }
            throw e;
        }
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The uploaded file's bytes (at most the cap: checked again while reading). */
    byte[] fileBytes() {
        try (InputStream in = file.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
            if (bytes.length > maxFileBytes) {
                throw tooLarge(maxFileBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new ApiException(400, "bad-multipart", "the uploaded file cannot be read: " + e.getMessage());
        }
    }

    /** Copies the uploaded file to {@code target} (for clips, which are too big to hold in memory). */
    void copyFileTo(Path target) {
        try (InputStream in = file.getInputStream()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the upload to " + target, e);
        }
    }

    long fileSize() {
        return file.getSize();
    }

    @Override
    public void close() {
        deleteAll(parts);
    }

    private static void deleteAll(Collection<Part> parts) {
        for (Part part : parts) {
            try {
                part.delete();
            } catch (IOException | RuntimeException ignored) {
                // Best effort: Jetty also removes spool files when the request ends.
            }
        }
    }

    private static String readField(Part part, int maxFieldBytes) {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(maxFieldBytes + 1);
            if (bytes.length > maxFieldBytes) {
                throw new ApiException(400, "field-too-long", "field '" + part.getName() + "' is over "
                        + maxFieldBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApiException(400, "bad-multipart", "field '" + part.getName() + "' cannot be read");
        }
    }

    private static ApiException tooLarge(long maxFileBytes) {
        return new ApiException(413, ImageRejected.FILE_TOO_LARGE,
                "the upload is larger than the limit of " + maxFileBytes + " bytes");
    }

    /** Jetty reports a size cap as an IllegalStateException (sometimes wrapped) whose message names the limit. */
    private static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("max") && (m.contains("size") || m.contains("exceed") || m.contains("length"))
                    || m.contains("too large") || m.contains("too big")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
