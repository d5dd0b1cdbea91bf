package dev.cairn.e2e.cluster;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Fabric8 mock API server (CRUD mode, with the generated CRD), S3Proxy as the store, the
 * operator as a separate JVM from its built jar, and a kubelet that subclasses choose.
 */
public abstract class MockApiCluster implements ClusterProvider {
  static final String BUCKET = "cairn";
  static final String STORE_SECRET = "cairn-store";
  protected final Path work;
  protected S3TestServer s3;
  protected TestCluster cluster;
  protected CheckpointStore store;
  protected OperatorProcess operator;
  protected dev.cairn.e2e.Repository.Snapshot jars;

  MockApiCluster(Path work) {
    this.work = work;
  }

  /** Starts what runs the pods. */
  protected abstract void startKubelet() throws Exception;

  /** The image to run the operator in, or null for a JVM from the built jar. */
  protected String operatorImage() {
    return null;
  }

  /** Settings the operator gets on top of the common ones (images, for instance). */
  protected Map<String, String> operatorSettings() {
    return Map.of();
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(work);
    jars = dev.cairn.e2e.Repository.snapshot(work.resolve("jars"));
    s3 = S3TestServer.start();
    s3.blobStore().createContainerInLocation(null, BUCKET);
    String storeUri = "s3://" + BUCKET + "/e2e";
    store = CheckpointStores.open(storeUri, s3.options());
    cluster = new TestCluster(store, storeUri);
    // Task pods read the store credentials from a Secret, as in a cluster.
    cluster
        .client()
        .secrets()
        .inNamespace(namespace())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(STORE_SECRET)
                .endMetadata()
                // data, not stringData: the mock server does not convert one into the other.
                .addToData("AWS_ACCESS_KEY_ID", base64(S3TestServer.ACCESS_KEY))
                .addToData("AWS_SECRET_ACCESS_KEY", base64(S3TestServer.SECRET_KEY))
                .build())
        .create();
    startKubelet();
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_MASTER", cluster.client().getMasterUrl().toString());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_NAMESPACE", namespace());
    env.put("CAIRN_STORE", storeUri);
    env.put("CAIRN_STORE_ENDPOINT", s3.endpoint());
    env.put("CAIRN_STORE_REGION", S3TestServer.REGION);
    env.put("CAIRN_STORE_SECRET", STORE_SECRET);
    env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
    // One operator at a time here; leader election is covered by the chart and Kind.
    env.put("CAIRN_LEADER_ELECTION", "false");
    env.put("CAIRN_STATUS_INTERVAL", "0.2s");
    env.put("CAIRN_PENDING_TIMEOUT", "5s");
    env.putAll(operatorSettings());
    operator =
        new OperatorProcess(env, work.resolve("operator.log"), operatorImage(), jars.operatorJar())
            .start();
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public KubernetesClient client() {
    return cluster.client();
  }

  @Override
  public void restartOperator() throws Exception {
    operator.kill();
    operator.start();
  }

  @Override
  public Optional<CheckpointStore> store() {
    return Optional.of(store);
  }

  @Override
  public void collectGarbage(String workflowUid) {
    cluster.collectGarbage(workflowUid);
  }

  /** Requests the operator JVM made, by "METHOD path" (the mock tells clients by user agent). */
  public Map<String, java.util.concurrent.atomic.AtomicLong> operatorRequests() {
    return cluster.requestsByKind(
        "fabric8-kubernetes-client/" + io.fabric8.kubernetes.client.Version.clientVersion());
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (store != null) {
      store.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }
}
