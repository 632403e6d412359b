package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.WorkloadRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a scan found that needs attention, one {@link Item} per (workload, policy) that fails or
 * could not be decided, grouped by {@link Cause}: the body of the terminal summary and of {@code -o
 * json}. A pair with a failing row is a failure even if another of its rows is an error (the policy
 * would block the workload either way); its cause is that of its first failing row.
 */
final class Breakdown {
  /**
   * One (workload, policy) pair.
   *
   * @param workload {@code namespace/Kind/name}
   * @param images the images (checked digest, or as written) of the rows with that cause
   * @param host the registry host of the first such image, for fixes that name it
   */
  record Item(
      String workload,
      String policy,
      Result result,
      Cause cause,
      List<String> images,
      Optional<String> host) {}

  /** Every item of one cause, in workload order. */
  record Group(Cause cause, List<Item> items) {
    /** The registry hosts the items name, for a fix such as {@code --insecure-registry HOST}. */
    Set<String> hosts() {
      Set<String> hosts = new LinkedHashSet<>();
      items.forEach(i -> i.host().ifPresent(hosts::add));
      return hosts;
    }
  }

  private final List<Group> failures;
  private final List<Group> errors;

  private Breakdown(List<Group> failures, List<Group> errors) {
    this.failures = failures;
    this.errors = errors;
  }

  /** The failures and errors of {@code rows}. */
  static Breakdown of(List<AuditRow> rows) {
    // (workload, policy) → its rows that did not pass, in scan order.
    Map<String, List<AuditRow>> pairs = new TreeMap<>();
    for (AuditRow r : rows) {
      Result result = r.finding().result();
      if (result == Result.FAIL || result == Result.ERROR) {
        pairs.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
      }
    }
    List<Item> items = new ArrayList<>();
    for (List<AuditRow> pair : pairs.values()) {
      Result result =
          pair.stream().anyMatch(r -> r.finding().result() == Result.FAIL)
              ? Result.FAIL
              : Result.ERROR;
      List<AuditRow> decisive = pair.stream().filter(r -> r.finding().result() == result).toList();
      Cause cause = cause(decisive.get(0));
      List<AuditRow> same = decisive.stream().filter(r -> cause(r) == cause).toList();
      Set<String> images = new LinkedHashSet<>();
      same.forEach(r -> images.add(image(r)));
      AuditRow first = same.get(0);
      items.add(
          new Item(
              workload(first.container().workload()),
              first.finding().policy(),
              result,
              cause,
              List.copyOf(images),
              host(first)));
    }
    return new Breakdown(groups(items, Result.FAIL), groups(items, Result.ERROR));
  }

  List<Group> failures() {
    return failures;
  }

  List<Group> errors() {
    return errors;
  }

  /** Distinct workloads among the failures. */
  long failingWorkloads() {
    return failures.stream()
        .flatMap(g -> g.items().stream())
        .map(Item::workload)
        .distinct()
        .count();
  }

  static String workload(WorkloadRef w) {
    return w.namespace() + "/" + w.kind() + "/" + w.name();
  }

  /** Largest groups first; equal sizes in the order of the causes. */
  private static List<Group> groups(List<Item> items, Result result) {
    Map<Cause, List<Item>> byCause = new LinkedHashMap<>();
    items.stream()
        .filter(i -> i.result() == result)
        .forEach(i -> byCause.computeIfAbsent(i.cause(), c -> new ArrayList<>()).add(i));
    List<Group> groups = new ArrayList<>();
    byCause.forEach((c, list) -> groups.add(new Group(c, List.copyOf(list))));
    groups.sort(
        Comparator.comparing((Group g) -> -g.items().size())
            .thenComparing(g -> g.cause().ordinal()));
    return List.copyOf(groups);
  }

  private static String key(AuditRow r) {
    return workload(r.container().workload()) + "\u0000" + r.finding().policy();
  }

  private static Cause cause(AuditRow r) {
    // Never empty for a fail or an error (Finding guarantees it); the generic cause if it were.
    return r.finding().cause().orElseGet(() -> Cause.generic(r.finding().result()).orElseThrow());
  }

  private static String image(AuditRow r) {
    return r.checked()
        .map(c -> c.name() + "@" + c.digest().shortForm())
        .orElseGet(() -> r.container().imageAsWritten());
  }

  private static Optional<String> host(AuditRow r) {
    return r.checked().or(() -> r.container().image()).map(ImageRef::registry);
  }
}
