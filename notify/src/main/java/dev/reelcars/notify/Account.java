package dev.reelcars.notify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A person who may sign in, with the PBKDF2 hash of their password (never the password itself).
 *
 * @param role reviewers read the queue and decide; contributors may sign in but not review
 */
public record Account(String name, Role role, byte[] salt, byte[] hash) {
    /** PBKDF2-HMAC-SHA256 work factor: ~50 ms per check on a laptop, slow enough to make guessing expensive. */
    static final int ITERATIONS = 60_000;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public enum Role { REVIEWER, CONTRIBUTOR }

    /** Hashes the password with a fresh salt and wipes the caller's array. */
    public static Account hashed(String name, char[] password, Role role) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            return new Account(name, role, salt, derive(password, salt));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt));
    }

    public boolean isReviewer() {
        return role == Role.REVIEWER;
    }

    private static byte[] derive(char[] password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("every JVM has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "Account[" + name + ", " + role + "]";
    }
}
