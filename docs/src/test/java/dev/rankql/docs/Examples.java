package dev.rankql.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The fenced examples of the Markdown files in docs/, read so that tests can run them. */
final class Examples {

    /** One fenced block: its info string (language), its text and the line it starts on. */
    record Block(Path file, int line, String lang, String text) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + line + " (" + lang + ")";
        }
    }

    /** A DSL example and the JSON it must equal. */
    record Pair(Block dsl, Block json) {
        @Override
        public String toString() {
            return dsl.toString();
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*([\\w-]*)\\s*$");

    private Examples() {}

    /** The folder holding the Markdown docs: this module's base directory. */
    static Path docsDir() {
        var root = System.getProperty("rankql.root");
        return root == null ? Path.of("").toAbsolutePath() : Path.of(root, "docs");
    }

    /** Every Markdown file under docs/, sorted by name. */
    static List<Path> markdownFiles() {
        try (Stream<Path> files = Files.list(docsDir())) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fenced block of one file, in order. */
    static List<Block> blocks(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var blocks = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            var open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            var text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                throw new IllegalStateException(file + ":" + (start + 1) + ": unclosed code fence");
            }
            blocks.add(new Block(file, start + 1, open.group(1), text.toString()));
        }
        return blocks;
    }

    /** Every block of the given language across all docs. */
    static List<Block> blocksOf(String lang) {
        return markdownFiles().stream().flatMap(f -> blocks(f).stream()).filter(b -> b.lang().equals(lang)).toList();
    }

    /** Each block of {@code first} language immediately followed (next fence) by one of {@code second}. */
    static List<Pair> pairs(String first, String second) {
        var pairs = new ArrayList<Pair>();
        for (var file : markdownFiles()) {
            var blocks = blocks(file);
            for (int i = 0; i + 1 < blocks.size(); i++) {
                if (blocks.get(i).lang().equals(first) && blocks.get(i + 1).lang().equals(second)) {
                    pairs.add(new Pair(blocks.get(i), blocks.get(i + 1)));
                }
            }
        }
        return pairs;
    }
}
