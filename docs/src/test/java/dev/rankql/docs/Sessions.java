package dev.rankql.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code console} blocks of the docs, read as command-line sessions: each {@code $ rankql …} line is a command,
 * an optional here-document ({@code <<EOF} … {@code EOF}) is its standard input, and the lines up to the next
 * command are its expected standard output, ending with an optional {@code [exit N]} line.
 */
final class Sessions {

    /** One command of a session, as written in the docs. */
    record Step(int line, List<String> args, String stdin, String expectedOut, int expectedExit) {
        @Override
        public String toString() {
            return "line " + line + ": rankql " + String.join(" ", args);
        }
    }

    private static final Pattern HEREDOC = Pattern.compile("\\s*<<\\s*'?(\\w+)'?\\s*$");
    private static final Pattern EXIT = Pattern.compile("^\\[exit (\\d+)]$");
    private static final Pattern TOKEN = Pattern.compile("'([^']*)'|\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");

    private Sessions() {}

    /** The steps of one console block, which starts at line {@code firstLine} of its file. */
    static List<Step> steps(Examples.Block block) {
        var lines = block.text().lines().toList();
        var steps = new ArrayList<Step>();
        for (int i = 0; i < lines.size(); ) {
            String line = lines.get(i);
            if (!line.startsWith("$ rankql")) {
                throw new IllegalStateException(block + ": expected a '$ rankql' command at block line " + (i + 1)
                        + ", found: " + line);
            }
            int commandLine = block.line() + 1 + i;
            String command = line.substring("$ rankql".length());
            String stdin = "";
            Matcher heredoc = HEREDOC.matcher(command);
            i++;
            if (heredoc.find()) {
                command = command.substring(0, heredoc.start());
                var input = new StringBuilder();
                while (i < lines.size() && !lines.get(i).equals(heredoc.group(1))) {
                    input.append(lines.get(i++)).append('\n');
                }
                if (i == lines.size()) {
                    throw new IllegalStateException(block + ": unterminated here-document at line " + commandLine);
                }
                i++;
                stdin = input.toString();
            }
            var expected = new StringBuilder();
            int exit = 0;
            while (i < lines.size() && !lines.get(i).startsWith("$ rankql")) {
                Matcher status = EXIT.matcher(lines.get(i));
                if (status.matches()) {
                    exit = Integer.parseInt(status.group(1));
                } else {
                    expected.append(lines.get(i)).append('\n');
                }
                i++;
            }
            steps.add(new Step(commandLine, split(command), stdin, expected.toString(), exit));
        }
        return steps;
    }

    /** Splits a command line the way a shell would for simple quoting: '…' and "…" group words. */
    static List<String> split(String command) {
        var args = new ArrayList<String>();
        Matcher m = TOKEN.matcher(command);
        while (m.find()) {
            if (m.group(1) != null) {
                args.add(m.group(1));
            } else if (m.group(2) != null) {
                args.add(m.group(2).replaceAll("\\\\(.)", "$1"));
            } else {
                args.add(m.group(3));
            }
        }
        return args;
    }
}
