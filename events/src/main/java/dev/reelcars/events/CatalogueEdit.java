package dev.reelcars.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A reviewer's correction to the public catalogue, on the catalogue-edits topic (one partition, kept forever: the
 * edits are the source of truth for everything the other topics do not say, and one partition gives every reader
 * the same order, so a rebuild gives the same catalogue). Keyed by {@code target}.
 *
 * <p>An edit never changes what happened (the decisions); it says how the catalogue shows it. Undo is a new edit
 * that names the one it takes back in {@code undoes}.
 *
 * @param kind what is changed (see {@link Kind})
 * @param target the appearance, vehicle or film id the edit is about
 * @param fields for {@link Kind#PROMINENCE}, {@link Kind#VEHICLE}, {@link Kind#FILM}: the fields set; a field
 *     present with a null value goes back to what the catalogue derives from the other topics. For
 *     {@link Kind#VEHICLE_MERGE}, an optional {@code label}: the merged vehicle's name (a rename is a merge into the
 *     id of the new name)
 * @param into for the merges: the vehicle or film the target becomes part of; its id is then an alias of that one
 * @param undoes the edit this one takes back, or null
 * @param editor the reviewer's account
 * @param reason why, as the reviewer gave it (may be null)
 */
public record CatalogueEdit(
        int schemaVersion,
        String editId,
        Kind kind,
        String target,
        Map<String, String> fields,
        String into,
        String undoes,
        String editor,
        Instant editedAt,
        String reason) implements Event {

    public static final int CURRENT_VERSION = 1;

    public CatalogueEdit {
        Ids.require(editId, "editId");
        Objects.requireNonNull(kind, "kind");
        Ids.require(target, "target");
        Objects.requireNonNull(editor, "editor");
        Objects.requireNonNull(editedAt, "editedAt");
        if ((kind == Kind.VEHICLE_MERGE || kind == Kind.FILM_MERGE) != (into != null)) {
            throw new IllegalArgumentException(kind + (into == null ? " needs" : " takes no") + " into");
        }
        if (into != null) {
            Ids.require(into, "into");
        }
        if (undoes != null) {
            Ids.require(undoes, "undoes");
        }
        // Null values are meaningful (back to the derived value), so no Map.copyOf.
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String key() {
        return target;
    }

    /** What an edit changes. */
    public enum Kind {
        /** An appearance's prominence ({@code prominence}: background, minor, featured). */
        PROMINENCE,
        /**
         * A vehicle's record: {@code label}, {@code make}, {@code model}, {@code variant}, {@code yearFrom},
         * {@code yearTo} (production), {@code country}, {@code scope} ({@code vehicle}: one physical vehicle, a
         * prototype or a plate; {@code model}: every vehicle of the model), {@code notes}.
         */
        VEHICLE,
        /**
         * A film's record: {@code title} (the name it is shown under), {@code originalTitle} (in its own language
         * and script), {@code alternativeTitles} (one a line), {@code country}.
         */
        FILM,
        /** The target vehicle is part of {@code into} from now on (a merge, or with {@code label} a rename). */
        VEHICLE_MERGE,
        /** The target vehicle stands alone again. */
        VEHICLE_UNMERGE,
        /** The target film is part of {@code into} from now on (the same film under two spellings or years). */
        FILM_MERGE,
        /** The target film stands alone again. */
        FILM_UNMERGE
    }
}
