package dev.cairn.core.store;

import java.util.UUID;

/** The store contract on a local directory. */
class FileSystemCheckpointStoreTest extends CheckpointStoreContract {
  @Override
  protected CheckpointStore newStore() {
    return new FileSystemCheckpointStore(temp.resolve("store-" + UUID.randomUUID()));
  }

  /**
   * A disk cannot be unplugged from a test: the data source fails instead, as a dying disk would.
   */
  @Override
  protected boolean breakBackendMidWrite() {
    return true;
  }

  @Override
  protected void repairBackend() {}
}
