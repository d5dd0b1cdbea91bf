package dev.cairn.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the API server runs task pods as they are built: the upload container is a native sidecar
 * (an init container with {@code restartPolicy: Always}), on by default from Kubernetes 1.29. An
 * older server drops or refuses that field, and every task pod would wait forever on an init
 * container that only ends on SIGTERM: better to say so once, at start.
 */
public final class NativeSidecars {
  public static final int MIN_MAJOR = 1;
  public static final int MIN_MINOR = 29;

  /** Managed clusters report minors such as "29+"; the number is what counts. */
  private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

  private NativeSidecars() {}

  /** What the server said about its version: supported, too old, or not known. */
  public record Verdict(Boolean supported, String message) {}

  /** Reads the server's {@code /version} and judges it. */
  public static Verdict check(KubernetesClient client) {
    VersionInfo version;
    try {
      version = client.getKubernetesVersion();
    } catch (RuntimeException e) {
      // Refused, unreachable or unparsable (a KubernetesClientException): the version is unknown.
      return new Verdict(
          null,
          "cannot read the API server's version ("
              + e.getMessage()
              + "): task pods need Kubernetes "
              + MIN_MAJOR
              + "."
              + MIN_MINOR
              + " or later (native sidecars)");
    }
    if (version == null) {
      return judge(null, null, null);
    }
    return judge(version.getMajor(), version.getMinor(), version.getGitVersion());
  }

  /** Judges a reported version ({@code major}, {@code minor} as {@code /version} gives them). */
  public static Verdict judge(String major, String minor, String gitVersion) {
    Optional<Integer> ma = number(major);
    Optional<Integer> mi = number(minor);
    String shown = gitVersion != null && !gitVersion.isBlank() ? gitVersion : major + "." + minor;
    // No Kubernetes release has major 0: test servers (Fabric8's mock) report 0.0 by default.
    if (ma.isEmpty() || mi.isEmpty() || ma.get() == 0) {
      return new Verdict(
          null,
          "the API server reports an unreadable version ("
              + shown
              + "): task pods need Kubernetes 1.29 or later (native sidecars)");
    }
    boolean supported = ma.get() > MIN_MAJOR || (ma.get() == MIN_MAJOR && mi.get() >= MIN_MINOR);
    return new Verdict(
        supported,
        supported
            ? "Kubernetes " + shown + " runs native sidecars"
            : "Kubernetes "
                + shown
                + " is too old: task pods run their upload container as a native sidecar, which"
                + " needs Kubernetes "
                + MIN_MAJOR
                + "."
                + MIN_MINOR
                + " or later; upgrade the cluster (CAIRN_REQUIRE_NATIVE_SIDECARS=false starts"
                + " anyway, for a server that has the SidecarContainers feature on)");
  }

  private static Optional<Integer> number(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = LEADING_NUMBER.matcher(text.strip());
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }
}
