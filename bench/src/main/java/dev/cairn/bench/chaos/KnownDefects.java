package dev.cairn.bench.chaos;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Defects the fuzzer found and that are reported, not fixed yet (docs/reliability.md, and a
 * disabled test each in {@code FoundDefectsTest}). A finding that matches none is new: the CI run
 * fails on it.
 */
public final class KnownDefects {
  private KnownDefects() {}

  /** A defect: its number in docs/reliability.md, a summary, and how to recognise its findings. */
  public record Defect(int number, String summary, Predicate<SpecFuzzer.Outcome> matches) {}

  public static final List<Defect> ALL =
      List.of(
          new Defect(
              1,
              "a manifest that is not UTF-8 is refused as \"cannot read:"
                  + " java.nio.charset.MalformedInputException: Input length = 1\", with no place",
              o ->
                  o.spec().category().equals("non-utf8")
                      && o.output().contains("MalformedInputException")),
          new Defect(
              2,
              "Jackson's read limits (nesting deeper than 1,000, a number of more than 1,000"
                  + " digits) are refused with no line and a Jackson API name"
                  + " (`StreamReadConstraints.getMaxNestingDepth()`)",
              o -> o.output().contains("from `StreamReadConstraints.")),
          new Defect(
              3,
              "unknown fields in metadata are accepted (Fabric8's ObjectMeta keeps them)",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.ACCEPTED_INVALID
                      && o.spec().description().contains(" in metadata")),
          new Defect(
              4,
              "an unknown retentionPolicy is accepted locally (the CRD refuses it)",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.ACCEPTED_INVALID
                      && o.spec().description().contains("retention policy")),
          new Defect(
              5,
              "a second YAML document in the file is silently ignored",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.ACCEPTED_INVALID
                      && o.spec().description().equals("syntax variant 14")),
          new Defect(
              6,
              "a YAML alias is read as a string holding its anchor's name; an undefined alias is"
                  + " accepted",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.ACCEPTED_INVALID
                      && o.spec().description().equals("syntax variant 15")),
          new Defect(
              7,
              "a quantity with a control character (NUL) is accepted: it is trimmed away",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.ACCEPTED_INVALID
                      && o.spec().category().equals("bad-quantity")
                      && o.spec().description().contains("\\u00")),
          new Defect(
              8,
              "cairn lint crashes (NullPointerException, stack trace, exit 1) on spec.inputs: null",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.CRASHED
                      && o.output().contains("getSpec().inputs\" is null")),
          new Defect(
              9,
              "a manifest just over the 64 Mi code point limit is not refused within 240 s",
              o ->
                  o.verdict() == SpecFuzzer.Verdict.HUNG
                      && o.spec().description().contains("64 Mi + 1 Ki")));

  /** The known defect a finding shows, if any. */
  public static Optional<Defect> of(SpecFuzzer.Outcome finding) {
    return ALL.stream().filter(d -> d.matches().test(finding)).findFirst();
  }

  /** Findings no known defect explains: each is a new defect (or a fuzzer error). */
  public static List<SpecFuzzer.Outcome> unexplained(List<SpecFuzzer.Outcome> findings) {
    return findings.stream()
        .filter(f -> f.verdict() != SpecFuzzer.Verdict.ACCEPTED)
        .filter(f -> f.verdict() != SpecFuzzer.Verdict.REJECTED_NAMED)
        .filter(f -> of(f).isEmpty())
        .toList();
  }
}
