package dev.rankql.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import dev.rankql.engine.mapping.Json;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of docs/java-api.md, compiled in order as one method (the first block holds the imports) and run
 * against a real engine, so the embedding guide cannot drift from the API.
 */
class JavaApiExamplesTest {

    private static final String CLASS_NAME = "JavaApiProgram";

    @TempDir
    Path temp;

    @Test
    void theJavaExamplesCompileAndRunInOrder() throws Exception {
        var doc = Examples.docsDir().resolve("java-api.md");
        var blocks = Examples.blocks(doc).stream().filter(b -> b.lang().equals("java")).toList();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        var imports = blocks.get(0);
        assertThat(imports.text().lines().filter(line -> !line.isBlank()))
                .as("the first Java block of %s holds the imports", doc)
                .allMatch(line -> line.startsWith("import "));

        // Each generated line remembers the doc line it came from, so a compile error points into the Markdown.
        var source = new StringBuilder();
        var docLines = new ArrayList<Integer>();
        appendLines(source, docLines, imports.text(), imports.line() + 1);
        appendLines(source, docLines, "public final class " + CLASS_NAME + " {\n"
                + "public static void run(java.nio.file.Path dataDir, java.nio.file.Path jsonLinesFile) throws Exception {\n", 0);
        for (var block : blocks.subList(1, blocks.size())) {
            appendLines(source, docLines, block.text(), block.line() + 1);
        }
        appendLines(source, docLines, "}\n}\n", 0);

        var classes = Files.createDirectories(temp.resolve("classes"));
        compile(source.toString(), docLines, classes);

        var dataDir = temp.resolve("data");
        var jsonLinesFile = temp.resolve("products.jsonl");
        Files.writeString(jsonLinesFile, """
                {"id": "2", "title": "Lazy brown dog", "category": "animals", "price": 3.5}
                {"id": "3", "title": "Quick red fox", "category": "animals", "price": 12}
                """);
        try (var loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass(CLASS_NAME).getMethod("run", Path.class, Path.class).invoke(null, dataDir, jsonLinesFile);
        }

        // The program left its index behind: the bulk document and both JSON lines, committed.
        try (var engine = Engine.open(dataDir)) {
            assertThat(engine.docCounts()).containsEntry("products", 3);
            assertThat(Json.write(engine.getIndex("products").mappings().toJson())).contains("\"category\":{\"type\":\"keyword\"}");
        }
    }

    private static void appendLines(StringBuilder source, List<Integer> docLines, String text, int firstDocLine) {
        var lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            source.append(lines.get(i)).append('\n');
            docLines.add(firstDocLine == 0 ? 0 : firstDocLine + i);
        }
    }

    private static void compile(String source, List<Integer> docLines, Path classes) throws Exception {
        var compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK with javac").isNotNull();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            var sourceFile = classes.resolve(CLASS_NAME + ".java");
            Files.writeString(sourceFile, source);
            var options = List.of("--release", "21", "-proc:none", "-classpath", classPath(), "-d", classes.toString());
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(sourceFile)).call();
            var errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                    .map(d -> {
                        int line = (int) d.getLineNumber();
                        int docLine = line >= 1 && line <= docLines.size() ? docLines.get(line - 1) : 0;
                        return "java-api.md:" + docLine + ": " + d.getMessage(null);
                    })
                    .collect(Collectors.joining("\n"));
            assertThat(errors).as("compile errors in the Java examples").isEmpty();
            assertThat(ok).isTrue();
        }
    }

    /** The test class path; Surefire's forked JVM may only see a manifest jar on {@code java.class.path}. */
    private static String classPath() {
        var surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            return surefire;
        }
        return System.getProperty("java.class.path");
    }
}
