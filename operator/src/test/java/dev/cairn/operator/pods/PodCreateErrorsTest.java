package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Which refusals of a pod create wait and which fail the attempt, by the API server's answers. */
class PodCreateErrorsTest {

  @Test
  void theOperatorsOwnRightsRefusedWaitsForTheAuthorizer() {
    // What kube-apiserver answered for a few seconds after its restart in the chaos suite.
    assertThat(
            PodCreateErrors.isTransient(
                refused(
                    403,
                    "pods is forbidden: User \"system:serviceaccount:cairn-system:cairn\" cannot"
                        + " create resource \"pods\" in API group \"\" in the namespace"
                        + " \"default\"")))
        .isTrue();
  }

  @Test
  void aFullQuotaWaits() {
    assertThat(
            PodCreateErrors.isTransient(
                refused(
                    403,
                    "pods \"w-a-1-x\" is forbidden: exceeded quota: q, requested: cpu=1, used:"
                        + " cpu=4, limited: cpu=4")))
        .isTrue();
  }

  @Test
  void aPodsOwnRefusalFailsTheAttempt() {
    assertThat(
            PodCreateErrors.isTransient(
                refused(
                    403,
                    "pods \"w-a-1-x\" is forbidden: violates PodSecurity \"restricted:latest\":"
                        + " runAsNonRoot != true")))
        .isFalse();
    assertThat(
            PodCreateErrors.isTransient(
                refused(
                    403,
                    "pods \"w-a-1-x\" is forbidden: error looking up service account default/nope:"
                        + " serviceaccount \"nope\" not found")))
        .isFalse();
    assertThat(PodCreateErrors.isTransient(refused(422, "Pod \"w-a-1-x\" is invalid"))).isFalse();
  }

  @Test
  void noAnswerThrottlingAndServerErrorsWait() {
    assertThat(PodCreateErrors.isTransient(new KubernetesClientException("connection reset")))
        .isTrue();
    assertThat(PodCreateErrors.isTransient(refused(429, "too many requests"))).isTrue();
    assertThat(PodCreateErrors.isTransient(refused(504, "request timed out"))).isTrue();
  }

  private static KubernetesClientException refused(int code, String message) {
    Status status = new StatusBuilder().withCode(code).withMessage(message).build();
    return new KubernetesClientException(status);
  }
}
