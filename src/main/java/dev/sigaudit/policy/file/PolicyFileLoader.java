package dev.sigaudit.policy.file;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads sigaudit policy files ({@code docs/policy-file.md}): YAML, one or more documents, each a
 * {@code SignaturePolicy} or a list of them.
 *
 * <p>Never throws for bad content: every policy that compiles is returned, and every one that does
 * not becomes a {@link PolicyProblem} naming the file, the policy (its name, or {@code policy[i]})
 * and the field path. Policy names must be unique across the files of one call; a later duplicate
 * is a problem and the first definition is kept.
 */
public final class PolicyFileLoader {
  /** The default size limit of a policy file. */
  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

  private final KeyParser keys;
  private final int maxBytes;

  public PolicyFileLoader(KeyParser keys) {
    this(keys, DEFAULT_MAX_BYTES);
  }

  /**
   * @param keys parses the PEM public keys of attestor entries
   * @param maxBytes files larger than this are refused unread
   */
  public PolicyFileLoader(KeyParser keys, int maxBytes) {
    this.keys = Objects.requireNonNull(keys);
    this.maxBytes = maxBytes;
  }

  /** Loads one file. */
  public LoadedPolicies load(Path file) {
    return load(List.of(file));
  }

  /** Loads several files, in order. */
  public LoadedPolicies load(List<Path> files) {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    Map<String, String> firstSeen = new HashMap<>();
    for (Path file : files) {
      String origin = file.toString();
      Optional<byte[]> bytes = read(file, origin, problems);
      if (bytes.isEmpty()) {
        continue;
      }
      YamlDocuments.Read read = YamlDocuments.read(bytes.get());
      Path baseDir = file.toAbsolutePath().getParent();
      for (int i = 0; i < read.policies().size(); i++) {
        JsonNode node = read.policies().get(i);
        String object = objectName(node, i);
        FieldProblems found = new FieldProblems();
        Optional<Policy> policy = compile(node, baseDir, found);
        found
            .entries()
            .forEach(p -> problems.add(new PolicyProblem(origin, object, p.field(), p.message())));
        if (policy.isEmpty()) {
          continue;
        }
        String where = origin + " " + object;
        String first = firstSeen.putIfAbsent(policy.get().name(), where);
        if (first != null) {
          problems.add(
              new PolicyProblem(
                  origin,
                  object,
                  "metadata.name",
                  "duplicate policy name (first defined in " + first + ")"));
        } else {
          policies.add(policy.get());
        }
      }
      read.error().ifPresent(e -> problems.add(new PolicyProblem(origin, "", "", e)));
    }
    return new LoadedPolicies(policies, problems);
  }

  private Optional<Policy> compile(JsonNode node, Path baseDir, FieldProblems problems) {
    Dto.Document doc;
    try {
      doc = YamlDocuments.MAPPER.treeToValue(node, Dto.Document.class);
    } catch (JsonMappingException e) {
      problems.add(JacksonErrors.path(e), JacksonErrors.message(e, node));
      return Optional.empty();
    } catch (IOException e) {
      problems.add("", "cannot read the policy: " + e.getMessage());
      return Optional.empty();
    }
    return new FileCompiler(new AttestorCompiler(keys, baseDir), problems).compile(doc);
  }

  /**
   * The policy's name when it has a valid one, else its position: what problems are filed under.
   */
  private static String objectName(JsonNode node, int index) {
    JsonNode name = node.path("metadata").path("name");
    return name.isTextual() && FileCompiler.validPolicyName(name.asText())
        ? name.asText()
        : "policy[" + index + "]";
  }

  private Optional<byte[]> read(Path file, String origin, List<PolicyProblem> problems) {
    // Read at most one byte past the limit rather than trusting the size the file system reports:
    // the file may be a pipe or still growing.
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        problems.add(
            new PolicyProblem(
                origin, "", "", "file is larger than the limit of " + maxBytes + " bytes"));
        return Optional.empty();
      }
      return Optional.of(bytes);
    } catch (IOException e) {
      problems.add(
          new PolicyProblem(
              origin, "", "", "cannot read the file: " + e.getClass().getSimpleName()));
      return Optional.empty();
    }
  }
}
