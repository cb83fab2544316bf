package dev.reelcars.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so the cost
 * travels with each hash and can be raised without invalidating old ones.
 *
 * <p>The default cost is OWASP's first Argon2id recommendation (19 MiB, 2 passes, 1 lane). A {@link #verifyUnknown}
 * against a fixed dummy hash costs the same as a real check, so the time of a sign-in does not tell whether a name
 * exists.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Cost(int memoryKib, int iterations, int parallelism) {
        public static final Cost RECOMMENDED = new Cost(19_456, 2, 1);

        public Cost {
            if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("Argon2id cost needs memory >= 8 KiB per lane, iterations >= 1,"
                        + " parallelism >= 1; got m=" + memoryKib + " t=" + iterations + " p=" + parallelism);
            }
        }
    }

    private final Cost cost;
    private final String dummy;

    public PasswordHasher(Cost cost) {
        this.cost = cost;
        this.dummy = hash("not a password of anyone".toCharArray());
    }

    public Cost cost() {
        return cost;
    }

    /** A new PHC hash of the password with a fresh salt; wipes the caller's array. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        try {
            byte[] out = derive(password, salt, cost, HASH_BYTES);
            return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                    + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Whether the password matches the PHC hash; a malformed hash never matches. */
    public boolean verify(String phc, char[] password) {
        String[] parts = phc == null ? new String[0] : phc.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            Cost c = parseCost(parts[3]);
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            return MessageDigest.isEqual(expected, derive(password, salt, c, expected.length));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The same work as {@link #verify} for a name that has no account; always false. */
    public boolean verifyUnknown(char[] password) {
        verify(dummy, password);
        return false;
    }

    private static Cost parseCost(String text) {
        int m = -1;
        int t = -1;
        int p = -1;
        for (String kv : text.split(",")) {
            String[] pair = kv.split("=", 2);
            int v = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = v;
                case "t" -> t = v;
                case "p" -> p = v;
                default -> throw new IllegalArgumentException("unknown Argon2 parameter " + pair[0]);
            }
        }
        return new Cost(m, t, p);
    }

    private static byte[] derive(char[] password, byte[] salt, Cost cost, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        byte[] pw = toUtf8(password);
        try {
            generator.generateBytes(pw, out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    private static byte[] toUtf8(char[] password) {
        var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
