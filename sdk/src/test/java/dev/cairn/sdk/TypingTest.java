package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bind is typed: the compiler rejects an argument of the wrong type. */
class TypingTest {
  @TempDir static Path classes;

  private static List<String> compile(String body) {
    String source =
        """
        package probe;
        import dev.cairn.sdk.*;
        import java.util.List;
        class Probe {
          void build() {
            %s
          }
        }
        """
            .formatted(body);
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///probe/Probe.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    var compiler = ToolProvider.getSystemJavaCompiler();
    boolean ok =
        compiler
            .getTask(
                null,
                null,
                diagnostics,
                List.of(
                    "-proc:none",
                    "-d",
                    classes.toString(),
                    "-classpath",
                    System.getProperty("java.class.path")),
                null,
                List.of(file))
            .call();
    return ok
        ? List.of()
        : diagnostics.getDiagnostics().stream()
            .map(d -> d.getMessage(null))
            .collect(Collectors.toList());
  }

  @Test
  void wellTypedDagsCompile() {
    assertThat(
            compile(
                """
                Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(10);
                Task<Integer> out = Cairn.task(Fixtures::aggregate).bind(Cairn.task(Fixtures::preprocessing).bind(data));
                Task<Integer> mixed = Cairn.task(Fixtures::add).bind(Cairn.task(Fixtures::getVal).bind(), 20);
                Task<Integer> nested = Cairn.task(Fixtures::sum).bind(Cairn.list(Cairn.task(Fixtures::getVal).bind()));
                Task<Integer> fact = Cairn.dynamic(Fixtures::factorial).bind(10);
                """))
        .isEmpty();
  }

  @Test
  void aWrongArgumentTypeDoesNotCompile() {
    assertThat(compile("Cairn.task(Fixtures::readData).bind(\"ten\");"))
        .anySatisfy(m -> assertThat(m).contains("no suitable method found for bind"));
    assertThat(
            compile(
                "Task<String> s = Cairn.task(Fixtures::flaky).bind();"
                    + " Cairn.task(Fixtures::aggregate).bind(s);"))
        .anySatisfy(m -> assertThat(m).contains("no suitable method found for bind"));
    assertThat(compile("Task<String> wrong = Cairn.task(Fixtures::getVal).bind();")).isNotEmpty();
  }
}
