package dev.cairn.examples;

import java.util.ArrayList;
import java.util.List;

/** The seed's first workflow: data -> preprocessed data -> aggregate (285 for 10). */
public final class GettingStarted {
  private GettingStarted() {}

  public static List<Integer> readData(int num) {
    List<Integer> data = new ArrayList<>();
    for (int i = 0; i < num; i++) {
      data.add(i);
    }
    return data;
  }

  public static List<Double> preprocessing(List<Double> data) {
    return data.stream().map(d -> d * d).toList();
  }

  public static double aggregate(List<Double> data) {
    return data.stream().mapToDouble(Double::doubleValue).sum();
  }
}
