package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local SDK program runs on the SDK's runtime classpath alone (as {@code mvn
 * dependency:build-classpath -pl sdk} lists it): no MinIO, no Kubernetes client, no API groups it
 * never loads, and no SLF4J warning when the program chose no logger.
 */
class SdkClasspathTest {
  @TempDir Path dir;

  @Test
  void aLocalProgramRunsOnTheRuntimeJarsAloneWithoutS3OrKubernetesOrWarnings() throws Exception {
    String runtime =
        Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
    List<String> jars = Arrays.asList(runtime.split(File.pathSeparator));
    assertThat(jars)
        .as("runtime jars")
        .noneMatch(j -> j.contains("minio"))
        .noneMatch(j -> j.contains("okhttp"))
        .noneMatch(j -> j.contains("kubernetes-client-7"))
        .noneMatch(j -> j.contains("kubernetes-model-apps"))
        // 14 for the SDK, its client and API types; 14 for CEL, the language of task conditions
        // (its modules, Guava, protobuf, ANTLR, RE2/J, threeten-extra).
        .hasSizeLessThanOrEqualTo(28);

    String classpath =
        String.join(
            File.pathSeparator,
            runtime,
            Path.of("target", "classes").toAbsolutePath().toString(),
            Path.of("target", "test-classes").toAbsolutePath().toString());
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                LocalProgram.class.getName(),
                dir.resolve("store").toString())
            .redirectError(dir.resolve("stderr").toFile())
            .redirectOutput(dir.resolve("stdout").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the program ends").isTrue();
    String out = Files.readString(dir.resolve("stdout"));
    String err = Files.readString(dir.resolve("stderr"));
    assertThat(process.exitValue()).as(out + err).isZero();
    assertThat(out)
        .contains("absent: io.minio.MinioClient")
        .contains("absent: io.fabric8.kubernetes.client.impl.KubernetesClientImpl")
        .contains("absent: io.fabric8.kubernetes.api.model.apps.Deployment")
        .contains("absent: okhttp3.OkHttpClient")
        .contains("result: 14")
        .contains("s3: cannot open s3://bucket/prefix: S3 stores need the io.minio:minio artifact");
    assertThat(err).as("nothing on stderr, SLF4J warnings included").isEmpty();
  }
}
