package dev.reelcars.identify.service;

import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.identify.matcher.MatchResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * identify's own meters, read from each {@link MatchResult} (the matcher is not touched): the match time as a
 * histogram ({@code reelcars_match_seconds}, decode included), stills by outcome ({@code identified} or {@code
 * unidentified}), candidates and near misses per still, and as gauges the gallery's views, the bytes of its descriptor
 * file (and of removed views in it), and the shortlist the inverted index passes to geometric verification at that
 * gallery size.
 */
final class MatchMetrics {
    private final Timer matchTime;
    private final Counter identified;
    private final Counter unidentified;
    private final DistributionSummary candidates;
    private final DistributionSummary nearMisses;

    MatchMetrics(MeterRegistry registry, MatchEngine engine) {
        matchTime = Timer.builder("reelcars.match")
                .description("time to match one still against the gallery, decode included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        identified = outcome(registry, "identified");
        unidentified = outcome(registry, "unidentified");
        candidates = DistributionSummary.builder("reelcars.match.candidates")
                .description("accepted candidates per still").register(registry);
        nearMisses = DistributionSummary.builder("reelcars.match.near.misses")
                .description("verified references below the threshold per still").register(registry);
        Gauge.builder("reelcars.gallery.views", engine, MatchEngine::size)
                .description("reference views in this instance's gallery").register(registry);
        Gauge.builder("reelcars.gallery.descriptor.file", engine, MatchEngine::descriptorFileBytes)
                .description("bytes of the memory-mapped file of reference descriptors, removed views' included")
                .baseUnit("bytes").register(registry);
        Gauge.builder("reelcars.gallery.descriptor.file.free", engine, MatchEngine::descriptorFileFreeBytes)
                .description("bytes of that file held by removed views, reclaimed at the next start")
                .baseUnit("bytes").register(registry);
        Gauge.builder("reelcars.match.shortlist", engine, e -> e.shortlistSize(e.size()))
                .description("references the inverted index shortlists for verification at this gallery size")
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("reelcars.stills.matched").description("stills matched, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    void record(MatchResult result) {
        matchTime.record(Duration.ofNanos(result.elapsedMicros() * 1000));
        (result.matched() ? identified : unidentified).increment();
        candidates.record(result.candidates().size());
        nearMisses.record(result.nearMisses().size());
    }
}
