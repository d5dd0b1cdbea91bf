package dev.cairn.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The class loader task functions come from: this program's classpath plus --classpath. */
final class Functions {
  private Functions() {}

  static ClassLoader loader(String classpath) {
    ClassLoader base = Functions.class.getClassLoader();
    if (classpath == null || classpath.isBlank()) {
      return base;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (!Files.exists(path)) {
        throw new Errors.UsageException("--classpath: " + entry + " does not exist");
      }
      try {
        urls.add(path.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new Errors.UsageException("--classpath: " + entry + ": " + e.getMessage());
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), base);
  }
}
