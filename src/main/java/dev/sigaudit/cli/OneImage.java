package dev.sigaudit.cli;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.scan.ContainerSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The one image {@code sigaudit verify} checks, as the pipeline sees a container: a container
 * {@value #CONTAINER} of a bare Pod {@value #POD} in the given namespace, whose image is the one
 * given. No running digest is known: a digest in the reference is checked as written ({@code
 * spec-digest}), a tag is resolved in the registry ({@code tag-resolved}), as the scan does for a
 * container whose runtime has not reported one.
 */
record OneImage(ImageRef image, String text, String namespace, Map<String, String> namespaceLabels)
    implements ContainerSource {
  static final String POD = "sigaudit-verify";
  static final String CONTAINER = "image";

  OneImage {
    namespaceLabels = Map.copyOf(namespaceLabels);
  }

  @Override
  public Inventory list(IntConsumer podsListed) {
    podsListed.accept(1);
    RunningContainer c =
        new RunningContainer(
            new WorkloadRef("v1", "Pod", namespace, POD, ""),
            POD,
            namespaceLabels,
            CONTAINER,
            ContainerType.REGULAR,
            text,
            Optional.of(image),
            Optional.empty(),
            Optional.empty(),
            Optional.of("sigaudit verify: no running digest"),
            "default",
            List.of(),
            Map.of());
    return new Inventory(List.of(c), 1);
  }
}
