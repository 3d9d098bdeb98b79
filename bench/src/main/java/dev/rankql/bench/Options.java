package dev.rankql.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of an in-process suite ({@code rankql bench engine|rescore|http|suite}): flags, options with one
 * value, {@code -h}/{@code --help}, and the picocli-shaped messages every suite prints for bad usage.
 */
public final class Options {

    /** Bad usage: the message names the option and the offending text. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Set<String> flags;
    private final Map<String, String> values;
    private final boolean help;

    private Options(Set<String> flags, Map<String, String> values, boolean help) {
        this.flags = flags;
        this.values = values;
        this.help = help;
    }

    /**
     * Reads {@code args}: each of {@code flagNames} stands alone, each of {@code valueNames} takes the next argument;
     * anything else is a usage error. A repeated option keeps its last value.
     */
    public static Options parse(String[] args, Set<String> flagNames, Set<String> valueNames) throws UsageException {
        var flags = new HashSet<String>();
        var values = new HashMap<String, String>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (flagNames.contains(arg)) {
                flags.add(arg);
            } else if (valueNames.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("Missing required parameter for option '" + arg + "'");
                }
                values.put(arg, args[++i]);
            } else {
                throw new UsageException((arg.startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + arg + "'");
            }
        }
        return new Options(flags, values, help);
    }

    /** Whether {@code -h} or {@code --help} was given. */
    public boolean help() {
        return help;
    }

    /** Whether flag {@code name} was given. */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The value of option {@code name}, if given. */
    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The path value of option {@code name}, if given. */
    public Optional<Path> path(String name) {
        return string(name).map(Path::of);
    }

    /** The positive integer value of option {@code name}, if given; anything else is a usage error. */
    public Optional<Integer> positive(String name) throws UsageException {
        var text = values.get(name);
        return text == null ? Optional.empty() : Optional.of(positive(name, text));
    }

    /** The comma-separated positive integers of option {@code name}, if given. */
    public Optional<List<Integer>> positiveList(String name) throws UsageException {
        var text = values.get(name);
        if (text == null) {
            return Optional.empty();
        }
        var list = new ArrayList<Integer>();
        for (var part : text.split(",", -1)) {
            list.add(positive(name, part.strip()));
        }
        return Optional.of(List.copyOf(list));
    }

    private static int positive(String name, String text) throws UsageException {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the option's name.
        }
        throw new UsageException("Invalid value for option '" + name + "': '" + text + "' is not a positive integer");
    }

    /** Prints {@code command}'s usage error and the hint to its help; returns exit code 2. */
    public static int usageError(String command, UsageException e, PrintStream err) {
        err.println(command + ": " + e.getMessage());
        err.println("Try '" + command + " --help' for more information.");
        err.flush();
        return 2;
    }
}
