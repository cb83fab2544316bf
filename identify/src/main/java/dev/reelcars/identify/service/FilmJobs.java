package dev.reelcars.identify.service;

import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSegment;
import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The film lane's scans: segment requests ({@link FilmSegment} on the film-segments topic, written by
 * {@link FilmPlanner}) shared among identify instances by their own consumer group ({@code <film group>-segments}),
 * one segment at a time per instance, on their own thread and topic, so stills never queue behind a film (and
 * {@link StillsFirst} gives stills the CPU first). A film's segments sit on consecutive partitions, which the
 * group's round-robin assignment gives to different instances: N instances scan one film about N times faster, up
 * to its number of segments.
 *
 * <p>A scan takes far longer than a poll interval, so the request's partition is paused while its segment is
 * scanned and polled at each checkpoint (the group sees the instance alive; a rebalance that takes the partition away
 * stops the scan, and its new owner resumes from the checkpoint). Every checkpoint is a Kafka transaction that also
 * commits the request's offset (KIP-447: a zombie instance's checkpoint is fenced): the offset of the request itself
 * while the scan goes on, so a crash hands the request on; the next one once the segment is done, paused, cancelled
 * or failed.
 */
final class FilmJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FilmJobs.class);
    static final long WISH_WAIT_MILLIS = 10_000;

    /**
     * The film lane's settings.
     *
     * @param groupId the consumer group sharing scan requests among instances
     * @param filmDir the shared film directory ({@code REELCARS_FILM_DIR}) that films' relative sources name
     * @param fps frames sampled per film second
     * @param width the widest frame matched (never enlarged)
     * @param threads frames matched at once
     * @param checkpointFrames sampled frames between checkpoints: the most work a crash can cost
     * @param segmentSeconds film seconds per segment: the unit of work instances share
     */
    record Settings(boolean enabled, String groupId, Path filmDir, double fps, int width, int threads,
            int checkpointFrames, double segmentSeconds, String ffmpeg, String ffprobe) {
        Settings {
            if (threads < 1 || checkpointFrames < 1 || !(fps > 0) || width < 64 || !(segmentSeconds > 0)) {
                throw new IllegalArgumentException(
                        "film threads and checkpoint frames >= 1, fps > 0, width >= 64, segment seconds > 0");
            }
        }

        /** The consumer group sharing segment requests (the films group's name plus {@code -segments}). */
        String segmentsGroupId() {
            return groupId + "-segments";
        }
    }

    private final FilmJob.Context context;
    private final KafkaSettings kafka;
    private final Topics topics;
    private volatile boolean closing;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    /** The partition of the request being scanned, and whether a rebalance took it away. */
    private volatile TopicPartition current;
    private volatile boolean lost;
    private final java.util.Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FilmJobs(FilmJob.Context context, KafkaSettings kafka, Topics topics) {
        this.context = context;
        this.kafka = kafka;
        this.topics = topics;
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::run, "identify-film-segments");
        thread.start();
    }

    boolean isRunning() {
        return running;
    }

    /** How many film-segments partitions this instance holds right now. */
    int assignedPartitions() {
        return assigned.size();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.jobConsumer(kafka, "identify-film-segments",
                context.settings().segmentsGroupId());
             KafkaProducer<String, byte[]> producer = KafkaClients.transactionalProducer(kafka,
                     "identify-film-segments", kafka.clientIdPrefix() + "-identify-film-segments-tx")) {
            consumer = c;
            producer.initTransactions();
            c.subscribe(List.of(topics.filmSegments()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                    if (current != null && partitions.contains(current)) {
                        lost = true;
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                    if (current != null) {
                        c.pause(partitions); // one segment at a time: new requests wait for this scan's end
                        if (partitions.contains(current)) {
                            // An eager rebalance revokes every partition and gives this one straight back: nobody
                            // else held it in between, so the scan goes on (its offsets commit with the new
                            // generation).
                            lost = false;
                        }
                    }
                }
            });
            while (!closing) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (closing) {
                        break;
                    }
                    handle(c, producer, record);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (!closing) {
                log.error("film lane stopped unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("film lane stopped", e);
        } finally {
            running = false;
        }
    }

    private void handle(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
            ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        FilmSegment request;
        try {
            request = EventCodec.decode(record.value(), FilmSegment.class);
        } catch (PoisonRecordException e) {
            commit(c, producer, tp, record.offset() + 1,
                    List.of(DeadLetters.record(record, e.reason(), e, "identify-film-segments")));
            return;
        }
        String filmId = request.filmId();
        FilmProgress.Segment segment = request.segment();
        FilmProgress last = context.states().checkpoint(filmId, segment).orElse(null);
        if (last != null && last.finished()) {
            commit(c, producer, tp, record.offset() + 1, List.of()); // a request for a segment already scanned
            return;
        }
        String wish = awaitLatestWish(filmId, record.timestamp());
        if (!wish.equals(FilmControl.RUN)) {
            // Paused or cancelled before its scan (re)started: say so, and let the request go.
            String status = wish.equals(FilmControl.PAUSE) ? FilmProgress.PAUSED : FilmProgress.CANCELLED;
            FilmProgress p = last != null ? last.withStatus(status, null, context.worker(), context.clock().instant())
                    : new FilmProgress(FilmProgress.CURRENT_VERSION, filmId, status, 0, request.fps(), 0,
                            SegmentEdges.firstFrame(segment, request.fps(), FilmVideo.DEFAULT_MAX_GAP), 0, 0, 0,
                            List.of(), 0, 0, null, context.worker(), context.clock().instant(), segment, null);
            checkpoint(c, producer, tp, record.offset(), List.of(), p, true);
            return;
        }
        current = tp;
        lost = false;
        c.pause(c.assignment());
        try {
            new FilmJob(context, request, (items, progress, done) ->
                    checkpoint(c, producer, tp, record.offset(), items, progress, done),
                    () -> closing || lost).run(last);
        } catch (Exception e) {
            if (closing || lost || e instanceof InterruptedException || e instanceof InterruptException) {
                return; // the last checkpoint stands; whoever gets the request next resumes from it
            }
            log.error("film {} segment {} scan failed", filmId, segment.index() + 1, e);
            FilmProgress p = context.states().checkpoint(filmId, segment).orElse(null);
            checkpoint(c, producer, tp, record.offset(), List.of(), p != null
                    ? p.withStatus(FilmProgress.FAILED, "internal error: " + e, context.worker(),
                            context.clock().instant())
                    : new FilmProgress(FilmProgress.CURRENT_VERSION, filmId, FilmProgress.FAILED, 0, request.fps(),
                            0, segment.startFrame(), 0, 0, 0, List.of(), 0, 0, "internal error: " + e,
                            context.worker(), context.clock().instant(), segment, null), true);
        } finally {
            current = null;
            if (!closing) {
                c.resume(c.assignment());
            }
        }
    }

    /**
     * The owner's wish for the film, as of this request. ingest resumes a paused film by publishing "run" on the
     * control topic and then the film again; the two topics are read by different consumers, so the request may come
     * first. A request newer than the paused or cancelled wish we know therefore waits (up to
     * {@value #WISH_WAIT_MILLIS} ms) for a newer wish before it is let go.
     */
    private String awaitLatestWish(String filmId, long requestedAtMillis) {
        long deadline = System.nanoTime() + WISH_WAIT_MILLIS * 1_000_000;
        while (true) {
            String wish = context.states().requested(filmId);
            java.time.Instant at = context.states().wishedAt(filmId);
            if (wish.equals(FilmControl.RUN) || at == null || at.toEpochMilli() > requestedAtMillis
                    || System.nanoTime() > deadline || closing) {
                return wish;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return wish;
            }
        }
    }

    /**
     * One checkpoint: the review items, the progress and the request's offset (itself while the scan goes on, the
     * next once the request is done) in one transaction; then a poll of the paused partitions keeps the group's
     * view of this instance alive and delivers any rebalance.
     */
    private void checkpoint(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
            TopicPartition tp, long offset, List<ProducerRecord<String, byte[]>> items, FilmProgress progress,
            boolean requestDone) {
        if (lost) {
            throw new Handover();
        }
        List<ProducerRecord<String, byte[]>> out = new java.util.ArrayList<>(items);
        out.add(new ProducerRecord<>(topics.filmProgress(), progress.filmId(), EventCodec.encode(progress)));
        commit(c, producer, tp, requestDone ? offset + 1 : offset, out);
        context.states().record(progress);
        ConsumerRecords<String, byte[]> stray = c.poll(Duration.ZERO);
        // Paused partitions give nothing; should a just-assigned one give records, they are read again later.
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : stray) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach(c::seek);
    }

    private void commit(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer, TopicPartition tp,
            long offset, List<ProducerRecord<String, byte[]>> records) {
        producer.beginTransaction();
        try {
            records.forEach(producer::send);
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(offset)), c.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** A rebalance gave the request to another instance: stop without writing. */
    private static final class Handover extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Handover() {
            super("the film's request went to another instance", null, false, false);
        }
    }

    @Override
    public void close() {
        closing = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        // A scan waits on its workers and on ffmpeg's pipe: the interrupt ends those waits.
        t.interrupt();
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
