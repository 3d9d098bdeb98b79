package dev.rankql.models.embedding;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text embedders on the class path, by name: each is opened on first use and then shared by every caller of this
 * class loader, since opening one loads a model of tens of megabytes.
 */
public final class TextEmbedders {

    private static final Map<String, TextEmbedder> OPEN = new ConcurrentHashMap<>();

    private TextEmbedders() {}

    /** The names of every model a provider on the class path offers, sorted. */
    public static List<String> names() {
        return List.copyOf(providers().keySet());
    }

    /** The model called {@code name}, opened on first use, or empty when no provider offers it. */
    public static Optional<TextEmbedder> named(String name) {
        var provider = providers().get(name);
        if (provider == null) {
            return Optional.empty();
        }
        return Optional.of(OPEN.computeIfAbsent(name, provider::open));
    }

    /** Whether a provider on the class path offers a model called {@code name}, without opening it. */
    public static boolean exists(String name) {
        return providers().containsKey(name);
    }

    private static Map<String, TextEmbedder.Provider> providers() {
        return Providers.BY_NAME;
    }

    /** The providers, looked up once, on first use: the class path does not change. */
    private static final class Providers {
        static final Map<String, TextEmbedder.Provider> BY_NAME = load();

        private static Map<String, TextEmbedder.Provider> load() {
            Map<String, TextEmbedder.Provider> byName = new TreeMap<>();
            for (var provider : ServiceLoader.load(TextEmbedder.Provider.class, TextEmbedders.class.getClassLoader())) {
                for (var name : provider.names()) {
                    byName.putIfAbsent(name, provider);
                }
            }
            return java.util.Collections.unmodifiableMap(byName);
        }
    }
}
