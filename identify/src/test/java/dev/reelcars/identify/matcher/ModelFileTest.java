package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The confidence model file: what calibrate and crossvalidate write is what the engine and match --model read. */
class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void aStoredModelLoadsBackWithEveryTermAndBothThresholds() throws IOException {
        // Given a model using every term, the optional ones included, and a model band (answer under vehicle)
        ConfidenceModel model = new ConfidenceModel(-4.5, -0.9, 0.8, 3.8, -0.5, 0.7, 3.3, 0.4, -0.8, 1.2);
        ConfidenceModel.Fitted fitted = new ConfidenceModel.Fitted(model, 0.65, 0.89, 3);
        PlateModel plates = PlateModel.defaults();

        // When it is stored and loaded again
        Path file = dir.resolve("model.properties");
        fitted.store(file, plates, "test");
        ConfidenceModel.Fitted loaded = ConfidenceModel.Fitted.load(file);

        // Then nothing is lost, the lead's counting included
        assertEquals(fitted, loaded);
    }

    @Test
    void theEngineCountsTheLeadTheWayItsModelWasFitted() throws IOException {
        // Given a model file fitted on first-fit inliers, written before the counting was recorded (no key)
        ConfidenceModel model = new ConfidenceModel(-4.5, -0.9, 0.8, 3.8, -0.5, 0.7, 3.3, 0, 0, 1.2);
        Path file = dir.resolve("first-fit.properties");
        new ConfidenceModel.Fitted(model, 0.65, 0.89, 0).store(file, PlateModel.defaults(), "test");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(line -> line.startsWith("textbookRivals="));
        Files.write(file, lines);

        // When the default profile is scored with it (match --model FILE)
        EngineConfig config = EngineConfig.defaults().withFitted(ConfidenceModel.Fitted.load(file));

        // Then its lead is read on first-fit inliers, as it was fitted, not on the default's textbook counts
        assertEquals(0, config.textbookRivals(), "a model file without the key was fitted on first-fit inliers");
        assertEquals(3, EngineConfig.defaults().textbookRivals(), "the committed model records its 3 rivals");
        assertEquals(model, config.confidence());
    }
}
