package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One indentation style in every module: 4 spaces a block level, no tabs. Checkstyle's {@code Indentation} check
 * would do this, but its plugin is not in the offline Maven repository the builds use, so this test does the part
 * that matters: the first line of every block body and every closing brace sit on a multiple of 4 columns. A file
 * indented with 2 spaces fails at its first nested block. Continuation lines are free (aligned arguments, +8 wraps).
 * It runs with the launcher, the module that gathers all the others, over every module's {@code src}.
 */
class SourceIndentationTest {
    @Test
    void everyModuleIndentsBlocksWithFourSpaces() throws IOException {
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(ComposeFileTest.ROOT)) {
            for (Path file : paths.filter(SourceIndentationTest::isModuleSource).sorted().toList()) {
                files++;
                problems.addAll(problems(ComposeFileTest.ROOT.relativize(file).toString(),
                        Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        }
        assertTrue(files > 100, "found only " + files + " Java files under " + ComposeFileTest.ROOT);
        assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " lines off the 4-space grid");
    }

    @Test
    void flagsTwoSpaceIndentationAndTabs() {
        List<String> twoSpaces = List.of(
                "final class A {",
                "  void run() {",
                "    go();",
                "  }",
                "}");
        assertEquals(List.of("A.java:2: block body at column 2", "A.java:3: block body at column 4 in steps of 2",
                "A.java:4: closing brace at column 2"), problems("A.java", twoSpaces).subList(0, 3));
        assertEquals(List.of("B.java:2: tab in the indentation"),
                problems("B.java", List.of("final class B {", "\tint x;", "}")));
        assertEquals(List.of(), problems("C.java", List.of(
                "final class C {",
                "    int f(int a,",
                "          int b) {",
                "        return a",
                "                + b;",
                "    }",
                "}")));
    }

    /** What is off the grid in one file's lines, as "file:line: problem". */
    static List<String> problems(String name, List<String> lines) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = indent(line);
            String text = line.strip();
            if (indent < line.length() && line.charAt(indent) == '\t') {
                problems.add(name + ":" + (i + 1) + ": tab in the indentation");
            }
            if (text.startsWith("}") && indent % 4 != 0) {
                problems.add(name + ":" + (i + 1) + ": closing brace at column " + indent);
            }
            if (text.endsWith("{") && !text.startsWith("*") && !text.startsWith("/")) {
                int next = i + 1;
                while (next < lines.size() && lines.get(next).isBlank()) {
                    next++;
                }
                if (next < lines.size()) {
                    int body = indent(lines.get(next));
                    if (body % 4 != 0) {
                        problems.add(name + ":" + (next + 1) + ": block body at column " + body);
                    } else if (body - indent == 2 && indent % 4 == 2) {
                        problems.add(name + ":" + (next + 1) + ": block body at column " + body + " in steps of 2");
                    }
                }
            }
        }
        return problems;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** {@code MODULE/src/.../*.java} of a module (a folder beside the parent pom with its own pom.xml). */
    private static boolean isModuleSource(Path file) {
        Path relative = ComposeFileTest.ROOT.relativize(file);
        if (relative.getNameCount() < 3 || !file.toString().endsWith(".java")
                || !relative.getName(1).toString().equals("src")) {
            return false;
        }
        return Files.isRegularFile(ComposeFileTest.ROOT.resolve(relative.getName(0)).resolve("pom.xml"));
    }
}
