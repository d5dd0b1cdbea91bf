package dev.cairn.runner;

import dev.cairn.core.store.StoreLayout;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * A function task's log, kept by the runner itself: what the JVM of main writes to {@code
 * System.out} and {@code System.err} goes to the container's output as before and, in the order it
 * was written, to one file ({@code /cairn/main.log}), whose head ({@link
 * StoreLayout#LOG_LIMIT_BYTES}) the sidecar stores with the attempt. The operator then need not
 * read the log from the API server: one request fewer per function task (docs/pods.md, Logs).
 *
 * <p>What bypasses the two streams is in the container's log only (the pod's log, while the pod
 * exists): output written to the process's descriptors directly, by native code or by child
 * processes that inherit them. A function that starts processes can pipe their output into its own.
 */
final class MainLog {
  private MainLog() {}

  /** From now on, this JVM's stdout and stderr are also written to {@code file}. */
  static void capture(Path file) throws IOException {
    LimitedFile copy = new LimitedFile(new FileOutputStream(file.toFile()));
    Charset charset = Charset.defaultCharset();
    System.setOut(new PrintStream(new Tee(System.out, copy), true, charset));
    System.setErr(new PrintStream(new Tee(System.err, copy), true, charset));
  }

  /** The file both streams share, written in the order of the writes, up to the limit. */
  private static final class LimitedFile {
    private final OutputStream out;
    private long written;

    LimitedFile(OutputStream out) {
      this.out = out;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
      int room = (int) Math.min(length, StoreLayout.LOG_LIMIT_BYTES - written);
      if (room <= 0) {
        return;
      }
      try {
        out.write(bytes, offset, room);
        written += room;
      } catch (IOException e) {
        // A full or broken volume must not fail the task: the pod's own log still has it all.
        written = StoreLayout.LOG_LIMIT_BYTES;
      }
    }
  }

  /** The original stream first (the container's log), then the file. */
  private static final class Tee extends OutputStream {
    private final PrintStream original;
    private final LimitedFile copy;

    Tee(PrintStream original, LimitedFile copy) {
      this.original = original;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      original.write(bytes, offset, length);
      copy.write(bytes, offset, length);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
