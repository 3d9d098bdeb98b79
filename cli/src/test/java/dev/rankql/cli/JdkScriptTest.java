package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** scripts/jdk.sh, run by /bin/sh as ./mvnw runs it, against fake JDK directories. */
@DisabledOnOs(OS.WINDOWS)
class JdkScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("rankql.root", "..")).resolve("scripts/jdk.sh");

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    /** Runs {@code body} in /bin/sh after sourcing the script; {@code $1, $2, ...} are {@code args}. */
    private Result sh(String body, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("sh", "-c", ". \"$RANKQL_JDK_SH\"\n" + body, "sh"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("RANKQL_JDK_SH", SCRIPT.toAbsolutePath().toString());
        builder.environment().remove("JAVA_HOME");
        var outFile = tmp.resolve("out.txt");
        var errFile = tmp.resolve("err.txt");
        builder.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        int status = builder.start().waitFor();
        return new Result(status, Files.readString(outFile), Files.readString(errFile));
    }

    /** A directory shaped like a JDK whose {@code java} records each start in {@code started} and fails. */
    private Path fakeJdk(String name, String releaseVersion, String versionOutput) throws IOException {
        var home = Files.createDirectories(tmp.resolve(name));
        var bin = Files.createDirectories(home.resolve("bin"));
        var java = """
                #!/bin/sh
                echo started >> "%s"
                echo '%s' >&2
                """.formatted(home.resolve("started"), versionOutput);
        Files.writeString(bin.resolve("java"), java);
        Files.writeString(bin.resolve("javac"), "#!/bin/sh\nexit 1\n");
        for (var tool : List.of("java", "javac")) {
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"),
                    "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + releaseVersion + "\"\nOS_NAME=\"Linux\"\n",
                    StandardCharsets.UTF_8);
        }
        return home;
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFileWithoutStartingJava() throws Exception {
        var modern = fakeJdk("modern", "25.0.3", "unused");
        var legacy = fakeJdk("legacy", "1.8.0_292", "unused");
        var bare = fakeJdk("bare", "21", "unused");

        var result = sh("rankql_jdk_version \"$1\"; rankql_jdk_version \"$2\"; rankql_jdk_version \"$3\"",
                modern.toString(), legacy.toString(), bare.toString());

        assertThat(result).isEqualTo(new Result(0, "25\n8\n21\n", ""));
        assertThat(modern.resolve("started")).doesNotExist();
    }

    @Test
    void asksJavaWhenThereIsNoReleaseFile() throws Exception {
        var early = fakeJdk("early", null, "openjdk version \"22-ea\" 2024-03-19");

        var result = sh("rankql_jdk_version \"$1\"", early.toString());

        assertThat(result).isEqualTo(new Result(0, "22\n", ""));
        assertThat(early.resolve("started")).exists();
    }

    @Test
    void aDirectoryWithoutJavacIsNoJdk() throws Exception {
        var jre = fakeJdk("jre", "25", "unused");
        Files.delete(jre.resolve("bin/javac"));

        assertThat(sh("rankql_jdk_version \"$1\"", jre.toString())).isEqualTo(new Result(0, "", ""));
    }

    @Test
    void keepsJavaHomeWhenItIsNewEnough() throws Exception {
        var home = fakeJdk("jdk-23", "23.0.1", "unused");

        var result = sh("JAVA_HOME=$1; rankql_find_jdk; echo \"$JAVA_HOME\"", home.toString());

        assertThat(result).isEqualTo(new Result(0, home + "\n", ""));
    }

    @Test
    void explainsWhatItNeedsAndKeepsTheCallersShellOptions() throws Exception {
        var old = fakeJdk("jdk-17", "17.0.15", "unused");

        // ./mvnw sources the script under `set -euf`; the search must work with globbing off and leave it off.
        var result = sh("set -euf; RANKQL_MIN_JAVA=99; JAVA_HOME=$1\n"
                + "rankql_find_jdk || echo \"status=$? flags=$-\"", old.toRealPath().toString());

        assertThat(result.out()).matches("status=1 flags=[a-z]*f[a-z]*\n");
        assertThat(result.err())
                .startsWith("rankql needs a JDK 99 or newer; set JAVA_HOME to one (found: " + old.toRealPath() + " (17)")
                .endsWith(").\n");
    }
}
