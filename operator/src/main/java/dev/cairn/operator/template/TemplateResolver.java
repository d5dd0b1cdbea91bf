package dev.cairn.operator.template;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowTemplates;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Workflow reconciler the spec a Workflow runs when it names a WorkflowTemplate.
 *
 * <p>The template is read from the API server once per run session (a new Workflow object, or
 * {@code spec.resume} raised) and snapshotted into the run's store by digest: {@code
 * <workflow>/templates/<digest>.json}, with a pin {@code templates/pin-<uid>-<resume>} naming the
 * digest (both created only if absent, so replicas agree). Every later reconcile of that session,
 * after an operator restart too, reads the snapshot, never the live template: editing a template
 * never changes a run in flight. The resolved spec is cached per uid, generation and resume, so a
 * reconcile caused by a pod costs no read.
 */
public final class TemplateResolver {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateResolver.class);
  private final KubernetesClient client;
  private final CheckpointStore store;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String key, String templateName, WorkflowSpec template) {}

  /** The last resolution per uid: the spec, for the Workflow generation it was made from. */
  private record Resolved(String key, Long generation, Workflow workflow) {}

  private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

  public TemplateResolver(KubernetesClient client, CheckpointStore store) {
    this.client = client;
    this.store = store;
  }

  /**
   * {@code workflow} itself when it names no template; else a copy with the resolved spec and the
   * template digest ({@link WorkflowTemplates#digestOf}).
   *
   * @throws InvalidWorkflowException the template does not exist (the message names it), or the
   *     Workflow and the template do not fit together
   */
  public Workflow resolve(Workflow workflow) {
    Optional<String> ref = WorkflowTemplates.ref(workflow);
    String uid = workflow.getMetadata().getUid();
    if (ref.isEmpty()) {
      if (uid != null) {
        forget(uid);
      }
      return workflow;
    }
    int resume = workflow.getSpec().resume == null ? 0 : workflow.getSpec().resume;
    String key = ref.get() + "/" + resume;
    Long generation = workflow.getMetadata().getGeneration();
    Resolved last = resolved.get(uid);
    if (last == null
        || !last.key().equals(key)
        || !java.util.Objects.equals(last.generation(), generation)) {
      Cached cached = cache.get(uid);
      if (cached == null || !cached.key().equals(key)) {
        cached = new Cached(key, ref.get(), snapshot(workflow, ref.get(), uid, resume));
        cache.put(uid, cached);
      }
      last =
          new Resolved(
              key,
              generation,
              WorkflowTemplates.resolve(workflow, cached.templateName(), cached.template()));
      resolved.put(uid, last);
    }
    // This reconcile's metadata and status, with the spec resolved for this generation.
    Workflow out = new Workflow();
    out.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(workflow.getMetadata())
            .addToAnnotations(
                WorkflowTemplates.DIGEST_ANNOTATION,
                WorkflowTemplates.digestOf(last.workflow()).orElseThrow())
            .build());
    out.setSpec(last.workflow().getSpec());
    out.setStatus(workflow.getStatus());
    return out;
  }

  /** Forgets a deleted Workflow. */
  public void forget(String uid) {
    cache.remove(uid);
    resolved.remove(uid);
  }

  private WorkflowSpec snapshot(Workflow workflow, String name, String uid, int resume) {
    String namespace = workflow.getMetadata().getNamespace();
    WorkflowId id = new WorkflowId(namespace, workflow.getMetadata().getName());
    String templates = StoreLayout.workflow(id) + "templates/";
    String pin = templates + "pin-" + uid + "-" + resume;
    Optional<byte[]> pinned = store.get(pin);
    if (pinned.isPresent()) {
      String digest = new String(pinned.get(), StandardCharsets.UTF_8).trim();
      Optional<byte[]> stored = store.get(templates + digest + ".json");
      if (stored.isPresent()) {
        return Json.read(stored.get(), WorkflowSpec.class);
      }
      LOG.warn("workflow={} template snapshot {} missing; reading the template again", id, digest);
    }
    WorkflowTemplate template =
        client.resources(WorkflowTemplate.class).inNamespace(namespace).withName(name).get();
    if (template == null) {
      throw new InvalidWorkflowException(
          new Problem(
              "spec.workflowTemplateRef.name",
              "WorkflowTemplate \"" + name + "\" not found in namespace " + namespace));
    }
    WorkflowSpec spec = template.getSpec() == null ? new WorkflowSpec() : template.getSpec();
    String digest = WorkflowTemplates.digest(spec);
    store.putIfAbsent(templates + digest + ".json", Json.bytes(WorkflowTemplates.taken(spec)));
    if (!store.putIfAbsent(pin, digest.getBytes(StandardCharsets.UTF_8))) {
      // Another replica pinned first: run what it pinned.
      String theirs = new String(store.get(pin).orElseThrow(), StandardCharsets.UTF_8).trim();
      if (!theirs.equals(digest)) {
        return Json.read(store.get(templates + theirs + ".json").orElseThrow(), WorkflowSpec.class);
      }
    }
    LOG.info(
        "workflow={} runs WorkflowTemplate={} digest={} session={}", id, name, digest, resume + 1);
    return Json.read(Json.bytes(WorkflowTemplates.taken(spec)), WorkflowSpec.class);
  }
}
