package dev.sigaudit.bench;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark (issue 7): {@code scripts/bench}. Not part of the regular suite (its name
 * does not end in IT); sizes come from system properties.
 */
@RealEnvironment
class ScaleBenchmark {

  @Test
  void benchmark(TestEnvironment env, KubeApiServer kube) throws Exception {
    var cfg =
        new ScaleRun.Config(
            Integer.getInteger("sigaudit.bench.namespaces", 200),
            Integer.getInteger("sigaudit.bench.podsPerNamespace", 50),
            Integer.getInteger("sigaudit.bench.digests", 2000),
            Integer.getInteger("sigaudit.bench.latencyMs", 25));
    ScaleRun.print(ScaleRun.run(env, kube, cfg, System.out), System.out);
  }
}
