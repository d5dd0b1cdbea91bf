package dev.cairn.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStoreContract;
import dev.cairn.core.store.StoreException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on a real S3 protocol server, plus what only S3 can do: outages, auth. */
class S3CheckpointStoreTest extends CheckpointStoreContract {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3TestServer server;

  @BeforeAll
  static void startServer() {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected CheckpointStore newStore() {
    return new S3CheckpointStore(
        new S3Location("contract-" + BUCKETS.incrementAndGet(), "cairn/store"), server.options());
  }

  /** The server goes down with the upload in flight. */
  @Override
  protected boolean breakBackendMidWrite() {
    server.stop();
    return false;
  }

  @Override
  protected void repairBackend() {
    server.restart();
  }

  @Test
  void createsItsBucketOnFirstWriteAndKeepsKeysUnderItsPrefix() {
    assertThat(server.blobStore().containerExists("fresh-bucket")).isFalse();
    try (CheckpointStore fresh =
        new S3CheckpointStore(
            S3Location.parse("s3://fresh-bucket/team/cairn/"), server.options())) {
      assertThat(fresh.get("ns/wf/run.json")).isEmpty();

      fresh.put("ns/wf/run.json", bytes("{}"));

      assertThat(server.blobStore().containerExists("fresh-bucket")).isTrue();
      assertThat(server.blobStore().blobExists("fresh-bucket", "team/cairn/ns/wf/run.json"))
          .isTrue();
      assertThat(fresh.describe("ns/wf/run.json"))
          .isEqualTo("s3://fresh-bucket/team/cairn/ns/wf/run.json");
      assertThat(fresh.children("")).containsExactly("ns");
    }
  }

  @Test
  void anUnreachableEndpointIsATypedRetryableFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    S3Options options =
        server
            .options()
            .overriding("http://127.0.0.1:" + closedPort, null, null, null)
            .withMaxRetries(1);
    try (CheckpointStore unreachable =
        new S3CheckpointStore(S3Location.parse("s3://nowhere/x"), options)) {
      for (Runnable call :
          new Runnable[] {
            () -> unreachable.exists("k"),
            () -> unreachable.put("k", bytes("v")),
            () -> unreachable.list("")
          }) {
        assertThatThrownBy(call::run)
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(StoreException.Kind.UNREACHABLE);
                  assertThat(e.retryable()).isTrue();
                  assertThat(e.getMessage()).contains("unreachable");
                });
      }
    }
  }

  @Test
  void wrongCredentialsAreAnAuthFailureNotWorthRetrying() {
    S3Options options =
        server.options().overriding(null, null, S3TestServer.ACCESS_KEY, "wrong-secret");
    try (CheckpointStore denied =
        new S3CheckpointStore(S3Location.parse("s3://denied/x"), options)) {
      assertThatThrownBy(() -> denied.put("k", bytes("v")))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTH);
                assertThat(e.retryable()).isFalse();
              });
    }
  }

  @Test
  void throttledRequestsAreRetriedWithBackoffThenReportedAsThrottled() {
    store.put("ns/wf/run.json", bytes("1"));

    server.throttleNext(2);
    store.put("ns/wf/run.json", bytes("2"));
    assertThat(text(store.get("ns/wf/run.json").orElseThrow())).isEqualTo("2");

    server.throttleNext(10);
    try {
      assertThatThrownBy(() -> store.get("ns/wf/run.json"))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(StoreException.Kind.THROTTLED);
                assertThat(e.retryable()).isTrue();
              });
    } finally {
      server.throttleNext(0);
    }
  }

  @Test
  void dataWrittenBeforeAnOutageIsReadableAfterIt() {
    store.put("ns/wf/tasks/a/d/commit.json", bytes("committed"));
    server.stop();
    try {
      assertThatThrownBy(() -> store.get("ns/wf/tasks/a/d/commit.json"))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
    } finally {
      server.restart();
    }
    assertThat(text(store.get("ns/wf/tasks/a/d/commit.json").orElseThrow())).isEqualTo("committed");
    assertThat(store.putIfAbsent("ns/wf/tasks/a/d/commit.json", bytes("late"))).isFalse();
  }

  @Test
  void optionsComeFromTheEnvironmentAndFlagsWin() {
    S3Options env =
        S3Options.fromEnvironment(
            java.util.Map.of(
                "AWS_ENDPOINT_URL", "http://minio:9000",
                "AWS_DEFAULT_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "ak",
                "AWS_SECRET_ACCESS_KEY", "sk"));
    assertThat(env.effectiveEndpoint()).isEqualTo("http://minio:9000");
    assertThat(env.effectiveRegion()).isEqualTo("eu-west-1");
    assertThat(env.toString()).doesNotContain("sk");

    S3Options flags = env.overriding("http://other:9000", null, null, null);
    assertThat(flags.effectiveEndpoint()).isEqualTo("http://other:9000");
    assertThat(flags.accessKey()).isEqualTo("ak");
    assertThat(S3Options.fromEnvironment(java.util.Map.of()).effectiveEndpoint())
        .isEqualTo(S3Options.AWS_ENDPOINT);
    assertThat(S3Options.fromEnvironment(java.util.Map.of()).effectiveRegion())
        .isEqualTo("us-east-1");
    assertThatThrownBy(() -> S3Options.defaults().withPartSize(1024))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Duration.ofSeconds(2)).isEqualTo(server.options().connectTimeout());
  }
}
