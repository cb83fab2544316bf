package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderLogTest {

    @Test
    void dropsFfmpegsPointerAddressesAndKeepsTheComplaint() {
        assertEquals("[avi] Something went wrong during header parsing, tag [194][231][161][216] has size 1086280917",
                DecoderLog.withoutAddresses("[avi @ 0x5577692e1400] Something went wrong during header parsing, tag"
                        + " [194][231][161][216] has size 1086280917"));
        assertEquals("[h264] error while decoding MB 3 4, bytestream -5",
                DecoderLog.withoutAddresses("[h264 @ 0x55fe3c1d2e40] error while decoding MB 3 4, bytestream -5"));
        assertEquals("[avi] stream 0, offset 0x1f2e: partial file",
                DecoderLog.withoutAddresses("[avi @ 0x55fe3c1d2e40] stream 0, offset 0x1f2e: partial file"),
                "an offset in the file is useful and stays");
        assertEquals("Invalid data found when processing input",
                DecoderLog.withoutAddresses("Invalid data found when processing input"));
    }

    @Test
    void reportsTheDecodersLinesWithoutAddresses() throws Exception {
        String stderr = "[mpeg4 @ 0x7f00aa01] ac-tex damaged at 3 4\n[mpeg4 @ 0x7f00aa01] Error at MB: 120\n";
        DecoderLog log = new DecoderLog(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)));
        log.start();
        log.join(5_000);

        List<String> lines = log.lines();
        assertEquals(List.of("[mpeg4] ac-tex damaged at 3 4", "[mpeg4] Error at MB: 120"), lines.subList(1, 3));
    }
}
