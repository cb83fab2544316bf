package dev.reelcars.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Map;

/**
 * JSON encoding of events, with the schema-version rule every consumer follows: read any version from
 * {@link #OLDEST_READABLE} up to the event's current one, ignore fields it does not know (a newer producer may add
 * optional ones), and refuse a version newer than it understands with {@link PoisonRecordException} so the record
 * goes to the dead-letter topic instead of being half-read.
 */
public final class EventCodec {
    /** Oldest schema version consumers still read. Raise it only after every topic's retention has expired it. */
    public static final int OLDEST_READABLE = 1;

    private static final Map<Class<?>, Integer> CURRENT = Map.of(
            StillSubmitted.class, StillSubmitted.CURRENT_VERSION,
            ReferenceAdded.class, ReferenceAdded.CURRENT_VERSION,
            Identification.class, Identification.CURRENT_VERSION,
            ReviewDecision.class, ReviewDecision.CURRENT_VERSION,
            ReferenceProposal.class, ReferenceProposal.CURRENT_VERSION,
            CatalogueEdit.class, CatalogueEdit.CURRENT_VERSION,
            Thumbnail.class, Thumbnail.CURRENT_VERSION);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    /** The shared mapper (thread-safe once configured): also used for HTTP bodies so JSON looks the same everywhere. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Event event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Decodes an event or throws {@link PoisonRecordException} saying exactly why it cannot be read. */
    public static <T extends Event> T decode(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new PoisonRecordException("empty-value", "record has no value");
        }
        // A good record (nearly all of them: a rebuild reads hundreds of thousands) is read in one pass straight into
        // its type; only one that fails or has a version outside the readable range is read again, as a tree, to say
        // exactly why. A missing schemaVersion reads as 0 here, so it takes the slow path too.
        try {
            T event = MAPPER.readValue(bytes, type);
            if (event != null && event.schemaVersion() >= OLDEST_READABLE
                    && event.schemaVersion() <= CURRENT.getOrDefault(type, 1)) {
                return event;
            }
        } catch (IOException | IllegalArgumentException e) {
            // below
        }
        return decodeExplained(bytes, type);
    }

    /** The two-pass decode that names the reason a record cannot be read. */
    private static <T extends Event> T decodeExplained(byte[] bytes, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new PoisonRecordException("invalid-json", "not valid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new PoisonRecordException("invalid-json", "expected a JSON object");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new PoisonRecordException("missing-schema-version", "no integer schemaVersion field");
        }
        int v = version.asInt();
        int current = CURRENT.getOrDefault(type, 1);
        if (v < OLDEST_READABLE || v > current) {
            throw new PoisonRecordException("unsupported-schema-version",
                    type.getSimpleName() + " schemaVersion " + v + " is outside " + OLDEST_READABLE + ".." + current);
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new PoisonRecordException("invalid-event", type.getSimpleName() + " is invalid: " + why, e);
        }
    }
}
