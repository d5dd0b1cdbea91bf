package dev.cairn.sdk;

import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.store.StoreException;
import java.nio.file.Path;

/**
 * A plain local SDK program, run by {@link SdkClasspathTest} in its own JVM on exactly the SDK's
 * runtime classpath: it says which heavy classes it cannot load, runs a workflow, and tries an
 * s3:// store.
 */
public final class LocalProgram {
  private LocalProgram() {}

  public static int square(int x) {
    return x * x;
  }

  public static int add(int a, int b) {
    return a + b;
  }

  public static void main(String[] args) {
    for (String name :
        new String[] {
          "io.minio.MinioClient",
          "io.fabric8.kubernetes.client.impl.KubernetesClientImpl",
          "io.fabric8.kubernetes.api.model.apps.Deployment",
          "okhttp3.OkHttpClient"
        }) {
      try {
        Class.forName(name);
        System.out.println("loadable: " + name);
      } catch (ClassNotFoundException e) {
        System.out.println("absent: " + name);
      }
    }
    Task<Integer> squared = Cairn.task(LocalProgram::square).bind(3);
    int result = Cairn.local(Path.of(args[0])).run(Cairn.task(LocalProgram::add).bind(squared, 5));
    System.out.println("result: " + result);
    try {
      LocalWorkflowClient.open("s3://bucket/prefix");
      System.out.println("s3: opened");
    } catch (StoreException e) {
      System.out.println("s3: " + e.getMessage());
    }
  }
}
