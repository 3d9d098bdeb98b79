package dev.rankql.engine.ltr;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A deployed model's cache of request bindings (its extractors rendered, compiled and given Lucene weights for one
 * set of params on one index reader), so that repeated requests skip that work; bounded, least recently used first
 * out, and emptied with the model.
 *
 * <p>Entries are grouped by an owner (the index reader they were bound to): when the reader closes, its entries are
 * dropped at once. The search package decides what keys and values are; this class only stores them.
 */
public final class FeatureCache {

    /** Entries kept per model: a few hundred distinct queries in flight between two refreshes. */
    public static final int DEFAULT_CAPACITY = 256;

    private record Cached(Object owner, Object value) {}

    private final int capacity;
    private final Map<Object, Cached> entries;
    private final Set<Object> owners = new HashSet<>();
    private boolean closed;

    public FeatureCache() {
        this(DEFAULT_CAPACITY);
    }

    public FeatureCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Cached> eldest) {
                return size() > FeatureCache.this.capacity;
            }
        };
    }

    /** The value cached under {@code key}, or null. */
    public synchronized Object get(Object key) {
        var entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    /**
     * Caches {@code value} under {@code key} for {@code owner}; returns true when this is the owner's first entry
     * since it was last evicted, so that the caller registers its eviction once. Nothing is cached after
     * {@link #clear()}.
     */
    public synchronized boolean put(Object owner, Object key, Object value) {
        if (closed) {
            return false;
        }
        entries.put(key, new Cached(owner, value));
        return owners.add(owner);
    }

    /** Drops every entry of {@code owner} (its reader closed). */
    public synchronized void evictOwner(Object owner) {
        entries.values().removeIf(e -> e.owner() == owner);
        owners.remove(owner);
    }

    /** Drops everything and caches nothing more: the model was replaced or deleted. */
    public synchronized void clear() {
        entries.clear();
        owners.clear();
        closed = true;
    }

    /** The number of cached entries. */
    public synchronized int size() {
        return entries.size();
    }
}
