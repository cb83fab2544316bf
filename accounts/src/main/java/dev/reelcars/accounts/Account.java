package dev.reelcars.accounts;

import dev.reelcars.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole state of one account, keyed by its name on the compacted accounts topic: each change publishes a new
 * snapshot, so the latest record is the account and compaction keeps exactly that. The password is kept only as an
 * Argon2id hash ({@link PasswordHasher}).
 *
 * @param tokensNotBefore tokens issued before this instant are refused: a password reset, a disabled account or
 *     "sign out everywhere" moves it forward
 * @param apiTokens the live API tokens (a revoked one is simply no longer listed)
 * @param updatedBy who made this change ({@code self} for a registration, {@code setup} for configured accounts)
 */
public record Account(
        int schemaVersion,
        String name,
        Set<Role> roles,
        Status status,
        String passwordHash,
        Instant tokensNotBefore,
        List<ApiToken> apiTokens,
        Instant updatedAt,
        String updatedBy) implements Event {

    public static final int CURRENT_VERSION = 1;
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Self-registered accounts wait for an admin's approval; disabled ones cannot sign in or use tokens. */
    public enum Status { PENDING, ACTIVE, DISABLED }

    /** A revocable token for batch scripts: the secret is a signed token naming this id, shown once at creation. */
    public record ApiToken(String id, String label, Instant createdAt) {
        public ApiToken {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    public Account {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an account name must match " + NAME.pattern());
        }
        roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(tokensNotBefore, "tokensNotBefore");
        apiTokens = apiTokens == null ? List.of() : List.copyOf(apiTokens);
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    @Override
    public String key() {
        return name;
    }

    public boolean has(Role role) {
        return status == Status.ACTIVE && roles.contains(role);
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    Account withRoles(Set<Role> newRoles, Instant at, String by) {
        return new Account(CURRENT_VERSION, name, newRoles, status, passwordHash, tokensNotBefore, apiTokens, at, by);
    }

    Account withStatus(Status newStatus, Instant at, String by) {
        // Disabling an account ends its sessions and tokens at once; enabling it again does not revive them.
        Instant notBefore = newStatus == Status.DISABLED ? at : tokensNotBefore;
        return new Account(CURRENT_VERSION, name, roles, newStatus, passwordHash, notBefore, apiTokens, at, by);
    }

    Account withPassword(String newHash, Instant at, String by) {
        return new Account(CURRENT_VERSION, name, roles, status, newHash, at, apiTokens, at, by);
    }

    Account withToken(ApiToken token, Instant at, String by) {
        List<ApiToken> tokens = new ArrayList<>(apiTokens);
        tokens.add(token);
        return new Account(CURRENT_VERSION, name, roles, status, passwordHash, tokensNotBefore, tokens, at, by);
    }

    Account withoutToken(String tokenId, Instant at, String by) {
        List<ApiToken> tokens = apiTokens.stream().filter(t -> !t.id().equals(tokenId)).toList();
        return new Account(CURRENT_VERSION, name, roles, status, passwordHash, tokensNotBefore, tokens, at, by);
    }

    @Override
    public String toString() {
        // Never the hash.
        return "Account[" + name + ", " + roles + ", " + status + "]";
    }
}
