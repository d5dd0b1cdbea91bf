package dev.cairn.operator.pods;

import dev.cairn.api.TaskPods;
import dev.cairn.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a namespace what its task pods name before the first pod is created there: the task
 * ServiceAccount (no rights, no token) and the store Secret (the operator's own store keys). A
 * Workflow applied to any watched namespace then runs without a per-namespace install step; an
 * object a user made under the same name is left as it is. Both are only ever created (an existing
 * one answers AlreadyExists), so the operator needs no right to read any Secret.
 */
public final class TaskNamespaces {
  private static final Logger LOG = LoggerFactory.getLogger(TaskNamespaces.class);
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final Set<String> prepared = ConcurrentHashMap.newKeySet();

  public TaskNamespaces(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  /**
   * Makes sure {@code namespace} has the ServiceAccount and Secret; once per namespace and process.
   *
   * @throws KubernetesClientException if the API server refused (the pod create that follows will
   *     then fail with the server's own message)
   */
  public void prepare(String namespace) {
    if (prepared.contains(namespace)) {
      return;
    }
    if (!config.taskServiceAccount().isBlank()) {
      ensureServiceAccount(namespace, config.taskServiceAccount());
    }
    // Per-namespace credentials: the namespace's admin made its Secret, with keys that reach only
    // the namespace's own prefix; the operator's keys (the whole bucket) never leave it.
    if (!config.storeSecret().isBlank()
        && config.storeCredentials().present()
        && !config.storeSecretPerNamespace()) {
      ensureSecret(namespace, config.storeSecret(), config.storeCredentials().variables());
    }
    prepared.add(namespace);
  }

  private void ensureServiceAccount(String namespace, String name) {
    try {
      client
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .addToLabels(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
                  .endMetadata()
                  .withAutomountServiceAccountToken(false)
                  .build())
          .create();
      LOG.info("task service account created namespace={} name={}", namespace, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void ensureSecret(String namespace, String name, Map<String, String> keys) {
    try {
      client
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .addToLabels(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
                  .endMetadata()
                  .withType("Opaque")
                  .withStringData(keys)
                  .build())
          .create();
      LOG.info("store secret created namespace={} name={}", namespace, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
