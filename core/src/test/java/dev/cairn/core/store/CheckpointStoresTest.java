package dev.cairn.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3Options;
import org.junit.jupiter.api.Test;

class CheckpointStoresTest {
  @Test
  void s3UrisOpenAnS3StoreUnderTheirPrefix() {
    try (CheckpointStore store =
        CheckpointStores.open("s3://cairn-data/clusters/prod/", S3Options.defaults())) {
      assertThat(store).isInstanceOf(S3CheckpointStore.class);
      assertThat(((S3CheckpointStore) store).location())
          .isEqualTo(new S3Location("cairn-data", "clusters/prod"));
      assertThat(store.describe("ns/wf/run.json"))
          .isEqualTo("s3://cairn-data/clusters/prod/ns/wf/run.json");
    }
    try (CheckpointStore store = CheckpointStores.open("s3://cairn-data", S3Options.defaults())) {
      assertThat(store.describe("ns/wf/run.json")).isEqualTo("s3://cairn-data/ns/wf/run.json");
    }
  }

  @Test
  void pathsAndFileUrisOpenADirectory() {
    assertThat(CheckpointStores.open("/tmp/cairn-store"))
        .isInstanceOf(FileSystemCheckpointStore.class);
    assertThat(
            ((FileSystemCheckpointStore) CheckpointStores.open("file:///tmp/cairn-store")).root())
        .hasToString("/tmp/cairn-store");
    assertThat(((FileSystemCheckpointStore) CheckpointStores.open(".cairn")).root()).isAbsolute();
  }

  @Test
  void unsupportedOrMalformedLocationsAreExplained() {
    assertThatThrownBy(() -> CheckpointStores.open("gs://bucket/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/prefix");
    assertThatThrownBy(() -> CheckpointStores.open("s3://"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket name");
    assertThatThrownBy(() -> CheckpointStores.open("s3://Bad_Bucket/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckpointStores.open("s3://bucket/a/../b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckpointStores.open(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
