package dev.reelcars.identify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout README.md's "Layout" describes, checked on the compiled classes: the matcher library and the shared film
 * code know nothing of Kafka, HTTP or the command line; the command line and the service do not use each other; no
 * cycle between identify's packages, nor between the plate reader and the plate comparer.
 */
class LayeringTest {
    private static final String[] SERVICE_KITS = {"org.apache.kafka..", "io.javalin..", "picocli..",
        "dev.reelcars.platform.kafka..", "dev.reelcars.platform.http.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.reelcars.identify");
        assertTrue(classes.size() > 50, "imported only " + classes.size() + " classes");
    }

    @Test
    void theMatcherLibraryHasNoKafkaHttpOrCommandLine() {
        noClasses().that().resideInAPackage("dev.reelcars.identify.matcher..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE_KITS)
                .because("the matcher is a library the CLI, the service and bench programs share")
                .check(classes);
        noClasses().that().resideInAPackage("dev.reelcars.identify.matcher..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.reelcars.identify.cli..",
                        "dev.reelcars.identify.service..", "dev.reelcars.identify.film..")
                .check(classes);
    }

    @Test
    void theSharedFilmCodeHasNoKafkaHttpOrCommandLine() {
        noClasses().that().resideInAPackage("dev.reelcars.identify.film..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE_KITS)
                .check(classes);
        noClasses().that().resideInAPackage("dev.reelcars.identify.film..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.reelcars.identify.cli..",
                        "dev.reelcars.identify.service..")
                .check(classes);
    }

    @Test
    void theCommandLineDoesNotUseTheService() {
        noClasses().that().resideInAPackage("dev.reelcars.identify.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.reelcars.identify.service..")
                .check(classes);
    }

    @Test
    void theServiceDoesNotUseTheCommandLine() {
        noClasses().that().resideInAPackage("dev.reelcars.identify.service..")
                .should().dependOnClassesThat().resideInAPackage("dev.reelcars.identify.cli..")
                .check(classes);
    }

    @Test
    void identifysPackagesAreFreeOfCycles() {
        slices().matching("dev.reelcars.identify.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thePlateReaderDoesNotUseThePlateComparer() {
        // The comparer compares the reader's rows; the reverse edge would close a cycle (both use Glyphs instead).
        noClasses().that().haveNameMatching("dev\\.reelcars\\.identify\\.matcher\\.PlateReader(\\$.*)?")
                .should().dependOnClassesThat()
                .haveNameMatching("dev\\.reelcars\\.identify\\.matcher\\.PlateComparer(\\$.*)?")
                .check(classes);
        noClasses().that().haveNameMatching("dev\\.reelcars\\.identify\\.matcher\\.Glyphs(\\$.*)?")
                .should().dependOnClassesThat()
                .haveNameMatching("dev\\.reelcars\\.identify\\.matcher\\.Plate(Reader|Comparer)(\\$.*)?")
                .check(classes);
    }
}
