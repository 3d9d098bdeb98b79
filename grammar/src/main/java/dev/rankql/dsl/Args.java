package dev.rankql.dsl;

import static dev.rankql.dsl.AstBuilder.error;

import dev.rankql.dsl.RankQlParser.ArgumentContext;
import dev.rankql.dsl.RankQlParser.CallContext;
import dev.rankql.dsl.RankQlParser.ValueContext;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of one call bound to a function's signature: positional parameters in order, then named options.
 *
 * <p>Binding rejects a positional argument after a named one, too many positional arguments, and unknown or
 * repeated names, each at the argument's own position.
 */
final class Args {

    final String function;
    final CallContext call;
    private final List<String> positionalNames;
    /** Bound names and their values; calls have a handful of arguments, so a scan beats a map. */
    private final String[] names;
    private final ValueContext[] values;
    private int count;

    private Args(String function, CallContext call, List<String> positionalNames, int size) {
        this.function = function;
        this.call = call;
        this.positionalNames = positionalNames;
        this.names = new String[size];
        this.values = new ValueContext[size];
    }

    /** Binds {@code call}'s arguments to {@code positional} parameter names and {@code named} option names. */
    static Args bind(CallContext call, List<String> positional, List<String> named) {
        String function = call.function.start.getText();
        List<ArgumentContext> arguments = call.argument();
        var args = new Args(function, call, positional, arguments.size());
        int index = 0;
        boolean sawNamed = false;
        for (ArgumentContext argument : arguments) {
            if (argument.key == null) {
                if (sawNamed) {
                    throw error(argument.value(), "[" + function + "] positional argument after named arguments");
                }
                if (index >= positional.size()) {
                    throw error(argument.value(), "[" + function + "] takes " + countText(positional.size())
                            + (positional.isEmpty() ? "" : " " + positional));
                }
                args.put(positional.get(index++), argument.value());
            } else {
                sawNamed = true;
                String key = argument.key.start.getText();
                if (!named.contains(key)) {
                    throw error(argument.key, "[" + function + "] unknown argument [" + key + "]"
                            + (named.isEmpty() ? "; it takes no named arguments" : "; expected one of " + named));
                }
                if (args.find(key) != null) {
                    throw error(argument.key, "[" + function + "] duplicate argument [" + key + "]");
                }
                args.put(key, argument.value());
            }
        }
        return args;
    }

    private static String countText(int n) {
        return switch (n) {
            case 0 -> "no positional arguments";
            case 1 -> "1 positional argument";
            default -> n + " positional arguments";
        };
    }

    private void put(String name, ValueContext value) {
        names[count] = name;
        values[count++] = value;
    }

    private ValueContext find(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** The argument bound to {@code name}, if given. */
    Optional<ValueContext> get(String name) {
        return Optional.ofNullable(find(name));
    }

    /** The argument bound to {@code name}; missing fails at the call. */
    ValueContext required(String name) {
        var value = find(name);
        if (value == null) {
            String kind = positionalNames.contains(name) ? "argument" : "named argument";
            throw error(call.function, "[" + function + "] missing " + kind + " [" + name + "]");
        }
        return value;
    }
}
