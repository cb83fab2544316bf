package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
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
        ConfidenceModel.Fitted fitted = new ConfidenceModel.Fitted(model, 0.65, 0.89);
        PlateModel plates = PlateModel.defaults();

        // When it is stored and loaded again
        Path file = dir.resolve("model.properties");
        fitted.store(file, plates, "test");
        ConfidenceModel.Fitted loaded = ConfidenceModel.Fitted.load(file);

        // Then nothing is lost
        assertEquals(fitted, loaded);
    }
}
