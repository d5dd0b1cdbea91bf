package dev.cairn.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Task functions for the SDK's tests. State is static: tasks run in this JVM. */
public final class Fixtures {
  public static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
  public static final AtomicInteger CALLS = new AtomicInteger();
  public static volatile CountDownLatch gate = new CountDownLatch(0);

  private Fixtures() {}

  public static List<Integer> readData(int num) {
    return IntStream.range(0, num).boxed().toList();
  }

  public static List<Integer> preprocessing(List<Integer> data) {
    return data.stream().map(d -> d * d).toList();
  }

  public static int aggregate(List<Integer> data) {
    return data.stream().mapToInt(Integer::intValue).sum();
  }

  public static int getVal() {
    return 10;
  }

  public static int add(int left, int right) {
    return left + right;
  }

  public static int sum(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }

  public static int total(Map<String, Integer> values) {
    return values.values().stream().mapToInt(Integer::intValue).sum();
  }

  public static Object echo(Object value) {
    return value;
  }

  public static int multiply(int a, int b) {
    return a * b;
  }

  public static Dynamic<Integer> factorial(int n) {
    if (n == 1) {
      return Cairn.value(1);
    }
    return Cairn.continuation(
        Cairn.task(Fixtures::multiply).bind(n, Cairn.dynamic(Fixtures::factorial).bind(n - 1)));
  }

  /** Declared as Object, like a YAML user's continuation function. */
  public static Object foo() {
    return Cairn.continuation(Cairn.task(Fixtures::getVal).bind());
  }

  /** Forgets Cairn.continuation: returns the task itself. */
  public static Object forgetful() {
    return Cairn.task(Fixtures::getVal).bind();
  }

  /** Fails while FAILURES_LEFT is positive, then says OK. */
  public static String flaky() {
    CALLS.incrementAndGet();
    if (FAILURES_LEFT.getAndDecrement() > 0) {
      throw new IllegalStateException("oops");
    }
    return "OK";
  }

  public static String describe(Result<String> result) {
    return result.ok() ? "value " + result.value() : "error " + result.error().message();
  }

  /** Waits for the gate to open: a task that runs until a test lets it finish (or cancels it). */
  public static String waitForGate() throws InterruptedException {
    gate.await();
    return "opened";
  }

  public static int scaleByTwo(int value) {
    return value * 2;
  }

  public static int scale(int value, int factor) {
    return value * factor;
  }

  public static int overloaded(int a) {
    return a;
  }

  public static int overloaded(String a) {
    return a.length();
  }

  private static int hidden(int a) {
    return a;
  }

  static Fn1<Integer, Integer> hiddenReference() {
    return Fixtures::hidden;
  }
}
