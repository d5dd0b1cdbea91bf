package dev.cairn.runner;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the runner finds users' task functions: every jar in {@code /opt/cairn/functions/} (how
 * users extend the runner image) plus the entries of {@code --classpath} / {@code CAIRN_CLASSPATH}:
 * directories, jars, or {@code dir/*} for every jar in a directory. Cairn's own classes
 * (Continuation, Jackson) come from the runner, parent first, so a function jar need not and should
 * not bundle them.
 */
public final class FunctionClasspath {
  public static final Path IMAGE_FUNCTIONS = Path.of("/opt/cairn/functions");

  private FunctionClasspath() {}

  public static ClassLoader loader(String classpath, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    addJars(IMAGE_FUNCTIONS, urls);
    if (classpath != null && !classpath.isBlank()) {
      for (String entry : classpath.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        if (entry.endsWith("/*") || entry.equals("*")) {
          addJars(Path.of(entry.substring(0, entry.length() - 1)), urls);
        } else {
          Path path = Path.of(entry);
          if (!Files.exists(path)) {
            throw new InfraFailure("classpath entry " + entry + " does not exist");
          }
          urls.add(url(path));
        }
      }
    }
    return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
  }

  private static void addJars(Path dir, List<URL> urls) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .sorted()
          .forEach(p -> urls.add(url(p)));
    } catch (IOException e) {
      throw new InfraFailure("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static URL url(Path path) {
    try {
      return path.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new InfraFailure("invalid classpath entry " + path, e);
    }
  }
}
