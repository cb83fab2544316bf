package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** The folder layouts the CLI reads: a gallery (label folders or label files) and a tree of query images. */
public final class ImageFolders {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "pgm",
            "ppm", "jp2");

    private ImageFolders() {}

    /** One reference view of a gallery. */
    public record Reference(String referenceId, String label, Path path) {}

    static boolean isImage(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * {@code G/<label>/<any image>} (several views per label allowed; id {@code label/file}) and
     * {@code G/<label>.<ext>} (id {@code label}). Sorted, so ids and order are stable. Symbolic links are followed.
     */
    public static List<Reference> gallery(Path root) throws IOException {
        List<Reference> references = new ArrayList<>();
        for (Path entry : sortedChildren(root)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                for (Path file : sortedChildren(entry)) {
                    if (Files.isRegularFile(file) && isImage(file)) {
                        references.add(new Reference(name + "/" + file.getFileName(), name, file));
                    }
                }
            } else if (Files.isRegularFile(entry) && isImage(entry)) {
                references.add(new Reference(name.substring(0, name.lastIndexOf('.')),
                        name.substring(0, name.lastIndexOf('.')), entry));
            }
        }
        return references;
    }

    /** Every image under {@code root}, recursively, sorted by relative path. */
    public static List<Path> images(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolders::isImage).sorted().toList();
        }
    }

    /** Path relative to {@code root} with forward slashes, as written in results.csv. */
    public static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
