package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodNamesTest {
  @Test
  void namesAreDeterministicValidAndAtMost63Characters() {
    String a = PodNames.pod("uid-1", "my-workflow", "factorial.factorial.multiply", "abcdef", 2);
    assertThat(a)
        .isEqualTo(
            PodNames.pod("uid-1", "my-workflow", "factorial.factorial.multiply", "abcdef", 2));
    assertThat(a)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .hasSizeLessThanOrEqualTo(63)
        .endsWith("-2-" + a.substring(a.length() - 10));
    String long1 = PodNames.pod("uid-1", "w".repeat(200), "Task_" + "x".repeat(200), "d", 1);
    assertThat(long1).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void attemptDigestAndWorkflowInstanceAllChangeTheName() {
    String base = PodNames.pod("uid-1", "wf", "task", "d1", 1);
    assertThat(PodNames.pod("uid-1", "wf", "task", "d1", 2)).isNotEqualTo(base);
    assertThat(PodNames.pod("uid-1", "wf", "task", "d2", 1)).isNotEqualTo(base);
    assertThat(PodNames.pod("uid-2", "wf", "task", "d1", 1)).isNotEqualTo(base);
  }

  @Test
  void labelValuesAreBoundedAndValid() {
    assertThat(PodNames.labelValue("a.b_c-d")).isEqualTo("a.b_c-d");
    String long1 = PodNames.labelValue("t".repeat(100));
    assertThat(long1).hasSizeLessThanOrEqualTo(63);
    assertThat(PodNames.labelValue("x".repeat(100)))
        .isNotEqualTo(PodNames.labelValue("x".repeat(101)));
  }
}
