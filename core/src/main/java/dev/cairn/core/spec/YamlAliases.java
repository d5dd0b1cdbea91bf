package dev.cairn.core.spec;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Refuses YAML aliases ({@code *name}). The YAML reader under Jackson reads an alias as a string
 * holding the anchor's name, where kubectl expands it: one manifest would compute different values
 * locally and in a cluster. Refused with its line, never guessed.
 */
final class YamlAliases {
  private YamlAliases() {}

  static void refuse(String text, String source) {
    if (text.indexOf('*') < 0) {
      return; // no alias can be written without one
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(WorkflowParser.MAX_CODE_POINTS);
    try {
      for (Event event : new Yaml(options).parse(new StringReader(text))) {
        if (event instanceof AliasEvent alias) {
          throw new InvalidWorkflowException(
              new Problem(
                  source + ":" + (alias.getStartMark().getLine() + 1),
                  "YAML alias *"
                      + alias.getAnchor()
                      + ": aliases are not supported (kubectl would expand it, this reader would"
                      + " not); write the value out"));
        }
      }
    } catch (YAMLException e) {
      // A syntax error: the manifest's parse reports it, with its line.
    }
  }
}
