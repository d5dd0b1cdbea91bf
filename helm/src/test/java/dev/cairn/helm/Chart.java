package dev.cairn.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chart in helm/cairn, rendered through helm-java (Helm's own Go code, no binary needed). */
final class Chart {
  static final Path DIR = locate();
  static final String NAMESPACE = "cairn-system";
  static final String KUBE_VERSION = "1.30.0";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Chart() {}

  /** Renders with the given {@code --set} values (none for the defaults). */
  static String template(Map<String, Object> values) {
    TemplateCommand command =
        new Helm(DIR)
            .template()
            .withName("cairn")
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    return command.call();
  }

  /** Renders and parses every object through Fabric8's registry of kinds. */
  static List<HasMetadata> objects(Map<String, Object> values) {
    return parse(template(values));
  }

  static List<HasMetadata> parse(String rendered) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : rendered.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
    }
    return objects;
  }

  static Map<String, Object> values(Object... keysAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(o -> (T) o).toList();
  }

  private static Path locate() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/cairn/Chart.yaml"))) {
        return dir.resolve("helm/cairn");
      }
      if (Files.isRegularFile(dir.resolve("cairn/Chart.yaml"))) {
        return dir.resolve("cairn");
      }
    }
    throw new IllegalStateException("helm/cairn not found above " + here);
  }

  /** The repository root (for the operator's sources and the generated CRD). */
  static Path repository() {
    return DIR.getParent().getParent();
  }
}
