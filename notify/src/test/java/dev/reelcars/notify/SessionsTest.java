package dev.reelcars.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private Instant now = Instant.parse("2026-11-28T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final Sessions sessions = new Sessions(
            List.of(Account.hashed("alice", "pw".toCharArray(), Account.Role.REVIEWER)), Duration.ofHours(1), clock);

    @Test
    void aTokenWorksUntilItExpires() {
        var s = sessions.signIn("alice", "pw".toCharArray()).orElseThrow();
        assertEquals("alice", sessions.lookup(s.token()).orElseThrow().name());
        now = now.plus(Duration.ofMinutes(61));
        assertTrue(sessions.lookup(s.token()).isEmpty());
    }

    @Test
    void signingOutEndsTheSession() {
        var s = sessions.signIn("alice", "pw".toCharArray()).orElseThrow();
        sessions.signOut(s.token());
        assertTrue(sessions.lookup(s.token()).isEmpty());
    }

    @Test
    void repeatedWrongPasswordsLockTheNameForAWhile() {
        for (int i = 0; i < Sessions.MAX_FAILURES; i++) {
            assertTrue(sessions.signIn("alice", "wrong".toCharArray()).isEmpty());
        }
        assertThrows(Sessions.LockedOut.class, () -> sessions.signIn("alice", "pw".toCharArray()),
                "even the right password waits out the lock");
        now = now.plus(Sessions.LOCKOUT).plusSeconds(1);
        assertTrue(sessions.signIn("alice", "pw".toCharArray()).isPresent());
    }

    @Test
    void unknownNamesAreRefusedLikeWrongPasswords() {
        assertTrue(sessions.signIn("mallory", "pw".toCharArray()).isEmpty());
        assertTrue(sessions.signIn(null, "pw".toCharArray()).isEmpty());
    }
}
