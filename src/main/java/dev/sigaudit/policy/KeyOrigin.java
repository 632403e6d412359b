package dev.sigaudit.policy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a trusted key or keyless identity was written down: inline in a cluster policy, in a
 * Secret, or in a policy file. Provenance for the person who must sign an image or fix a policy
 * ("sign it with key X, which policy P names"), never a verdict input: attestor entries leave it
 * out of their equality, and verification requests and cache keys never see it.
 */
public sealed interface KeyOrigin {

  /** No origin was given (entries built by hand, in tests or programmatically). */
  KeyOrigin UNSTATED = new Unstated();

  /** {@code inline in ClusterPolicy/x, rule y}, for messages; empty when unstated. */
  String describe();

  /** The origin that was not given. */
  record Unstated() implements KeyOrigin {
    @Override
    public String describe() {
      return "";
    }
  }

  /**
   * Written in a policy object itself.
   *
   * @param policy the policy as reports name it ({@code ClusterPolicy/require-release-signature})
   * @param place where in it ({@code rule check-signature}, {@code attestor release})
   */
  record Inline(String policy, String place) implements KeyOrigin {
    public Inline {
      Objects.requireNonNull(policy);
      Objects.requireNonNull(place);
    }

    @Override
    public String describe() {
      return "inline in " + policy + (place.isEmpty() ? "" : ", " + place);
    }
  }

  /**
   * Read from a Kubernetes Secret.
   *
   * @param dataKey the data entry read; empty when the Secret's only entry was
   */
  record Secret(String namespace, String name, Optional<String> dataKey) implements KeyOrigin {
    public Secret {
      Objects.requireNonNull(namespace);
      Objects.requireNonNull(name);
      Objects.requireNonNull(dataKey);
    }

    @Override
    public String describe() {
      return "from Secret "
          + namespace
          + "/"
          + name
          + dataKey.map(k -> ", key " + k).orElse(", its only entry");
    }
  }

  /**
   * Written in one of sigaudit's policy files.
   *
   * @param policyFile the policy file
   * @param keyFile the key file it names ({@code publicKeyFile}), when the key is not inline
   */
  record File(Path policyFile, Optional<Path> keyFile) implements KeyOrigin {
    public File {
      Objects.requireNonNull(policyFile);
      Objects.requireNonNull(keyFile);
    }

    @Override
    public String describe() {
      return keyFile
          .map(k -> "from file " + k + ", named in " + policyFile)
          .orElse("from file " + policyFile);
    }
  }
}
