package dev.rankql.engine;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates document ids as Elasticsearch does: 15 bytes of time, sequence and node, base64url without padding. */
final class Ids {

    private static final byte[] NODE = new byte[6];
    private static long lastTimestamp;
    private static int sequence;

    static {
        new SecureRandom().nextBytes(NODE);
        sequence = new SecureRandom().nextInt() & 0xFFFFFF;
    }

    private Ids() {}

    /** A new 20-character id, unique within this process and, by its random node part, across processes. */
    static synchronized String next() {
        sequence = (sequence + 1) & 0xFFFFFF;
        long timestamp = Math.max(lastTimestamp, System.currentTimeMillis());
        if (sequence == 0) {
            timestamp++;
        }
        lastTimestamp = timestamp;
        var bytes = new byte[15];
        // The changing sequence bytes go first and last, like Elasticsearch, to spread ids over the terms dictionary.
        bytes[0] = (byte) sequence;
        bytes[1] = (byte) (sequence >>> 16);
        for (int i = 0; i < 6; i++) {
            bytes[2 + i] = (byte) (timestamp >>> (8 * (5 - i)));
        }
        System.arraycopy(NODE, 0, bytes, 8, 6);
        bytes[14] = (byte) (sequence >>> 8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
