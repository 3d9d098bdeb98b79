package dev.rankql.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The {@code --version} text: rankql's and Lucene's versions as Maven filtered them in, and the running Java. */
public final class Version implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        var build = build();
        return new String[] {
            "rankql " + build.getProperty("version"),
            "Lucene " + build.getProperty("lucene"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")"
        };
    }

    /** The build's versions; fails loudly if the resource is missing, since that means a broken build. */
    public static Properties build() {
        try (var in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + Version.class);
            }
            var properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
