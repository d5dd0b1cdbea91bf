package dev.cairn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunControlsTest {
  private static Workflow workflow(WorkflowSpec spec, Map<String, String> annotations) {
    Workflow w = new Workflow();
    w.setMetadata(
        new ObjectMetaBuilder()
            .withName("w")
            .withGeneration(3L)
            .withAnnotations(annotations == null ? null : new HashMap<>(annotations))
            .build());
    w.setSpec(spec);
    w.setStatus(new WorkflowStatus());
    return w;
  }

  @Test
  void withNoAnnotationTheSpecFieldsAreTheControls() {
    WorkflowSpec spec = new WorkflowSpec();
    spec.suspend = true;
    spec.resume = 2;
    spec.rerun = List.of("a");
    assertThat(RunControls.of(spec, null)).isEqualTo(new RunControls(true, false, 2, List.of("a")));
    assertThat(RunControls.of(new WorkflowSpec(), Map.of()))
        .isEqualTo(new RunControls(false, false, 0, List.of()));
  }

  @Test
  void suspendAndCancelAreOnWhenEitherFormIsOn() {
    WorkflowSpec spec = new WorkflowSpec();
    assertThat(RunControls.of(spec, Map.of(RunControls.SUSPEND, "true")).suspend()).isTrue();
    assertThat(RunControls.of(spec, Map.of(RunControls.CANCEL, "TRUE")).cancel()).isTrue();
    spec.cancel = true;
    assertThat(RunControls.of(spec, Map.of(RunControls.CANCEL, "false")).cancel())
        .as("an annotation cannot lift what the spec sets")
        .isTrue();
  }

  @Test
  void theResumeCountIsTheSumSoRaisingEitherIsANewGo() {
    WorkflowSpec spec = new WorkflowSpec();
    spec.resume = 2;
    assertThat(RunControls.of(spec, Map.of(RunControls.RESUME, "3")).resume()).isEqualTo(5);
    spec.resume = 3;
    assertThat(RunControls.of(spec, Map.of(RunControls.RESUME, "3")).resume()).isEqualTo(6);
    spec.resume = null;
    assertThat(RunControls.of(spec, Map.of(RunControls.RESUME, "1")).resume()).isEqualTo(1);
  }

  @Test
  void valuesThatDoNotParseCountAsAbsent() {
    WorkflowSpec spec = new WorkflowSpec();
    Map<String, String> odd =
        Map.of(RunControls.SUSPEND, "yes", RunControls.CANCEL, "", RunControls.RESUME, "-4");
    assertThat(RunControls.of(spec, odd)).isEqualTo(new RunControls(false, false, 0, List.of()));
    assertThat(RunControls.counter("two")).isZero();
    assertThat(RunControls.counter(" 7 ")).isEqualTo(7);
  }

  @Test
  void rerunListsBothFormsOnceEach() {
    WorkflowSpec spec = new WorkflowSpec();
    spec.rerun = List.of("a", "b");
    assertThat(RunControls.of(spec, Map.of(RunControls.RERUN, "b, c,,")).rerun())
        .containsExactly("a", "b", "c");
  }

  @Test
  void appliedIsTheSameObjectWithoutAnnotationsAndACopyWithTheEffectiveControlsOtherwise() {
    WorkflowSpec spec = new WorkflowSpec();
    spec.resume = 1;
    spec.retentionPolicy = "Delete";
    Workflow plain = workflow(spec, Map.of("team", "data"));
    assertThat(RunControls.applied(plain)).isSameAs(plain);

    Workflow annotated =
        workflow(spec, Map.of(RunControls.RESUME, "2", RunControls.CANCEL, "true"));
    Workflow applied = RunControls.applied(annotated);
    assertThat(applied).isNotSameAs(annotated);
    assertThat(applied.getSpec().resume).isEqualTo(3);
    assertThat(applied.getSpec().cancel).isTrue();
    assertThat(applied.getSpec().retentionPolicy).isEqualTo("Delete");
    assertThat(applied.getSpec().tasks).isSameAs(spec.tasks);
    assertThat(applied.getMetadata()).isSameAs(annotated.getMetadata());
    assertThat(applied.getStatus()).isSameAs(annotated.getStatus());
    assertThat(spec.resume).as("the object the caller holds is left as it was").isEqualTo(1);
    assertThat(spec.cancel).isNull();
  }

  @Test
  void onlyTheControlAnnotationsCountAsAChange() {
    WorkflowSpec spec = new WorkflowSpec();
    Workflow before = workflow(spec, Map.of("team", "data"));
    assertThat(RunControls.annotationsDiffer(before, workflow(spec, Map.of("team", "ml"))))
        .isFalse();
    assertThat(RunControls.annotationsDiffer(before, workflow(spec, null))).isFalse();
    assertThat(
            RunControls.annotationsDiffer(before, workflow(spec, Map.of(RunControls.RESUME, "1"))))
        .isTrue();
  }
}
