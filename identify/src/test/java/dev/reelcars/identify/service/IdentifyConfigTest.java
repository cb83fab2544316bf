package dev.reelcars.identify.service;

import dev.reelcars.identify.matcher.ConfidenceModel;
import dev.reelcars.identify.matcher.DescriptorStorage;
import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.platform.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


class IdentifyConfigTest {
    @Test
    void acceptsTheCalibratedThresholdUnlessTheOperatorSetsAnother() {
        assertEquals(ConfidenceModel.defaultThreshold(),
                IdentifyConfig.from(new Settings(Map.of())).engine().acceptConfidence(), "default: calibrated");
        assertEquals(0.5, IdentifyConfig.from(new Settings(Map.of("REELCARS_IDENTIFY_ACCEPT_CONFIDENCE", "0.5")))
                .engine().acceptConfidence(), "operator's override");
    }

    @Test
    void refusesAThresholdOutsideZeroToOneNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdentifyConfig.from(
                new Settings(Map.of("REELCARS_IDENTIFY_ACCEPT_CONFIDENCE", "82"))));
        assertTrue(e.getMessage().contains("REELCARS_IDENTIFY_ACCEPT_CONFIDENCE"), e.getMessage());
    }

    @Test
    void readsNumberPlatesUnlessTheOperatorTurnsThemOff() {
        assertTrue(IdentifyConfig.from(new Settings(Map.of())).engine().plateRows() > 0, "default: plates on");
        assertEquals(0, IdentifyConfig.from(new Settings(Map.of("REELCARS_IDENTIFY_PLATES", "false")))
                .engine().plateRows(), "operator turned them off");
    }

    @Test
    void theGalleryWaitIsADurationAndTheOldSecondsNameStillCounts() {
        assertEquals(java.time.Duration.ofMinutes(5), IdentifyConfig.from(new Settings(Map.of())).galleryWait());
        assertEquals(java.time.Duration.ofMinutes(2),
                IdentifyConfig.from(new Settings(Map.of("REELCARS_IDENTIFY_GALLERY_WAIT", "2m"))).galleryWait());
        assertEquals(java.time.Duration.ofSeconds(45), IdentifyConfig.from(new Settings(
                Map.of("REELCARS_IDENTIFY_GALLERY_WAIT_SECONDS", "45"))).galleryWait(), "old name: bare seconds");
    }

    @Test
    void keepsTheFullFeaturesPerReferenceUnlessTheOperatorAsksForTheCompactGallery() {
        EngineConfig full = IdentifyConfig.from(new Settings(Map.of())).engine();
        EngineConfig compact = IdentifyConfig.from(new Settings(Map.of("REELCARS_IDENTIFY_GALLERY_PROFILE", "compact")))
                .engine();
        assertEquals(EngineConfig.defaults().referenceFeatures(), full.referenceFeatures(), "default: full");
        assertTrue(compact.referenceFeatures() + compact.halfScaleFeatures() + compact.detailFeatures()
                < full.referenceFeatures() + full.halfScaleFeatures() + full.detailFeatures(), "compact keeps fewer");
        assertEquals(EngineConfig.compact().acceptConfidence(), compact.acceptConfidence(),
                "compact scores with the model fitted on its features, and that model's threshold");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdentifyConfig.from(
                new Settings(Map.of("REELCARS_IDENTIFY_GALLERY_PROFILE", "tiny"))));
        assertTrue(e.getMessage().contains("REELCARS_IDENTIFY_GALLERY_PROFILE"), e.getMessage());
    }

    @Test
    void keepsReferenceDescriptorsInAFileUnlessTheOperatorAsksForTheHeap() {
        assertEquals(DescriptorStorage.defaults(), IdentifyConfig.from(new Settings(Map.of())).descriptors(),
                "default: a file in the JVM's temporary directory");
        assertTrue(IdentifyConfig.from(new Settings(Map.of("REELCARS_IDENTIFY_DESCRIPTORS", "heap"))).descriptors()
                .onHeap(), "heap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdentifyConfig.from(
                new Settings(Map.of("REELCARS_IDENTIFY_DESCRIPTORS", "/no/such/dir"))));
        assertTrue(e.getMessage().contains("REELCARS_IDENTIFY_DESCRIPTORS"), e.getMessage());
    }
}
