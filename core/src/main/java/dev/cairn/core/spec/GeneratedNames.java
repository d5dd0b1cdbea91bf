package dev.cairn.core.spec;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * {@code metadata.generateName}: a Workflow with it and no name gets a new name at every create, so
 * every create is a new run. The API server makes the name in a cluster; this class makes one of
 * the same shape (the prefix, cut to 58 characters, and 5 random characters of Kubernetes'
 * alphabet) where Cairn needs one first: to validate the Workflow before submitting it, and to run
 * it locally.
 */
public final class GeneratedNames {
  /** Kubernetes' alphabet for generated names: no vowels, no look-alike characters. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final int RANDOM_LENGTH = 5;
  private static final int MAX_PREFIX = 63 - RANDOM_LENGTH;
  private static final RandomGenerator RANDOM = new SecureRandom();

  private GeneratedNames() {}

  /** True when the Workflow's name is left to the API server: generateName set, no name. */
  public static boolean generated(Workflow workflow) {
    return workflow.getMetadata() != null
        && workflow.getMetadata().getName() == null
        && workflow.getMetadata().getGenerateName() != null;
  }

  /** A name as the API server would generate it from {@code prefix}. */
  public static String generate(String prefix, RandomGenerator random) {
    String base = prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix;
    StringBuilder name = new StringBuilder(base);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  /**
   * {@code workflow} itself when it has a name; else a copy named as the API server would name it
   * (the spec and status shared).
   *
   * @throws InvalidWorkflowException when no generated name would be valid
   */
  public static Workflow named(Workflow workflow) {
    if (!generated(workflow)) {
      return workflow;
    }
    String prefix = workflow.getMetadata().getGenerateName();
    String name = generate(prefix, RANDOM);
    Names.checkWorkflow(name)
        .ifPresent(
            why -> {
              throw new InvalidWorkflowException(
                  new Problem("metadata.generateName", "with 5 characters added: " + why));
            });
    Workflow copy = new Workflow();
    copy.setMetadata(
        new ObjectMetaBuilder(workflow.getMetadata())
            .withName(name)
            .withGenerateName(null)
            .build());
    copy.setSpec(workflow.getSpec());
    copy.setStatus(workflow.getStatus());
    return copy;
  }

  /** What to validate a Workflow as: {@link #named} (a name of the shape it will get). */
  public static Workflow forValidation(Workflow workflow) {
    return named(workflow);
  }
}
