package dev.sigaudit.testenv;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the real components: declare a parameter of type {@link TestEnvironment},
 * {@link KubeApiServer} or {@link Pushgateway}. Components start on first use and stop when the
 * whole test run ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealEnvironment.Resolver.class)
public @interface RealEnvironment {

  /** Stops the environment when JUnit closes the root context (the end of the run). */
  record Handle(TestEnvironment env) implements AutoCloseable {
    @Override
    public void close() {
      env.stopAll();
    }
  }

  /** Resolves the component parameters. */
  final class Resolver implements ParameterResolver {
    private static final ExtensionContext.Namespace NS =
        ExtensionContext.Namespace.create(RealEnvironment.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
      Class<?> t = p.getParameter().getType();
      return t == TestEnvironment.class || t == KubeApiServer.class || t == Pushgateway.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
      TestEnvironment env =
          c.getRoot()
              .getStore(NS)
              .getOrComputeIfAbsent("env", k -> new Handle(TestEnvironment.get()), Handle.class)
              .env();
      Class<?> t = p.getParameter().getType();
      if (t == KubeApiServer.class) {
        return env.kube();
      }
      if (t == Pushgateway.class) {
        return env.pushgateway();
      }
      return env;
    }
  }
}
