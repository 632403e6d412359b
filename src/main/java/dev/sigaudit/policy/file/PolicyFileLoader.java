package dev.sigaudit.policy.file;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.SecretKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads policy files: YAML, one or more documents, each a sigaudit {@code SignaturePolicy} ({@code
 * docs/policy-file.md}) or a list of them, or, with the cluster dialects given, a Kyverno {@code
 * ClusterPolicy}/{@code Policy}/{@code ImageValidatingPolicy} or a Sigstore {@code
 * ClusterImagePolicy} as it would be applied to the cluster.
 *
 * <p>Never throws for bad content: every policy that compiles is returned, and every one that does
 * not becomes a {@link PolicyProblem} naming the file, the policy (its name, or {@code policy[i]};
 * for a cluster dialect, {@code document N} and the translator's {@code Kind/name}) and the field
 * path. Policy names must be unique across the files of one call; a later duplicate is a problem
 * and the first definition is kept.
 */
public final class PolicyFileLoader {
  /** The default size limit of a policy file. */
  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

  private final KeyParser keys;
  private final int maxBytes;
  private final List<PolicyDialect> dialects;

  public PolicyFileLoader(KeyParser keys) {
    this(keys, DEFAULT_MAX_BYTES);
  }

  /**
   * @param keys parses the PEM public keys of attestor entries
   * @param maxBytes files larger than this are refused unread
   */
  public PolicyFileLoader(KeyParser keys, int maxBytes) {
    this(keys, maxBytes, List.of());
  }

  /**
   * A loader that also reads the policies of cluster dialects from files (Kyverno ClusterPolicy,
   * ImageValidatingPolicy, ClusterImagePolicy…), handing each document to the dialect whose {@code
   * apiVersion} group and {@code kind} it has: the same translators as for the cluster's own
   * objects, so a policy judges alike wherever it was read.
   *
   * @param dialects the cluster dialects, as the composition root lists them
   */
  public PolicyFileLoader(KeyParser keys, List<PolicyDialect> dialects) {
    this(keys, DEFAULT_MAX_BYTES, dialects);
  }

  private PolicyFileLoader(KeyParser keys, int maxBytes, List<PolicyDialect> dialects) {
    this.keys = Objects.requireNonNull(keys);
    this.maxBytes = maxBytes;
    this.dialects = List.copyOf(dialects);
  }

  /** Loads one file. */
  public LoadedPolicies load(Path file) {
    return load(List.of(file));
  }

  /** Loads several files, in order. */
  public LoadedPolicies load(List<Path> files) {
    return read(files).policies();
  }

  /**
   * Where a policy was read: the file and the 0-based index of its YAML document, and the dialect's
   * kind (e.g. {@code ClusterPolicy}) so that output can say "a Kyverno ClusterPolicy from a file".
   */
  public record Origin(Path file, int document, String kind) {
    public Origin {
      Objects.requireNonNull(file);
      Objects.requireNonNull(kind);
    }

    /** {@code FILE document N} (1-based, as a person counts the documents of a file). */
    @Override
    public String toString() {
      return file + " document " + (document + 1);
    }
  }

  /**
   * The policies and problems of some files, and where each policy was read.
   *
   * @param notes documents that are valid but give sigaudit nothing to check (a Kyverno policy
   *     without a rule about images), one line each
   */
  public record Read(LoadedPolicies policies, Map<String, Origin> origins, List<String> notes) {
    public Read {
      Objects.requireNonNull(policies);
      origins = Map.copyOf(origins);
      notes = List.copyOf(notes);
    }
  }

  /** Loads several files, in order, saying where each policy came from. */
  public Read read(List<Path> files) {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    Map<String, Origin> origins = new HashMap<>();
    List<String> notes = new ArrayList<>();
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
        int document = read.documents().get(i);
        String kind = node.path("kind").asText("");
        Compiled compiled = compile(file, baseDir, i, document, node, problems, notes);
        String object = compiled.object();
        for (Policy policy : compiled.policies()) {
          String where = origin + " " + object;
          String first = firstSeen.putIfAbsent(policy.name(), where);
          if (first != null) {
            problems.add(
                new PolicyProblem(
                    origin,
                    object,
                    "metadata.name",
                    "duplicate policy name (first defined in " + first + ")"));
          } else {
            policies.add(policy);
            origins.put(policy.name(), new Origin(file, document, kind));
          }
        }
      }
      read.error().ifPresent(e -> problems.add(new PolicyProblem(origin, "", "", e)));
    }
    // A key held in a Secret is the cluster's: a file alone cannot supply it.
    var withSecrets = SecretKeys.resolve(policies, PolicyFileLoader::noSecrets, keys);
    problems.addAll(withSecrets.problems());
    return new Read(new LoadedPolicies(withSecrets.policies(), problems), origins, notes);
  }

  /** A document's policies, and the name its problems are filed under. */
  private record Compiled(String object, List<Policy> policies) {}

  /**
   * One document: to the cluster dialect whose {@code apiVersion} group and {@code kind} it has,
   * else to sigaudit's own compiler; a kind nobody reads is a problem naming what is expected.
   *
   * @param index the policy's position in the file, what an unnamed sigaudit policy is filed under
   * @param document its YAML document (0-based)
   */
  private Compiled compile(
      Path file,
      Path baseDir,
      int index,
      int document,
      JsonNode node,
      List<PolicyProblem> problems,
      List<String> notes) {
    String origin = file.toString();
    String apiVersion = node.path("apiVersion").asText("");
    String kind = node.path("kind").asText("");
    Optional<PolicyDialect> dialect =
        dialects.stream().filter(d -> d.reads(apiVersion, kind)).findFirst();
    String numbered = "document " + (document + 1);
    if (dialect.isPresent()) {
      LoadedPolicies t = translate(dialect.get(), node);
      if (t.policies().isEmpty() && t.problems().isEmpty()) {
        String name = node.path("metadata").path("name").asText("?");
        notes.add(
            origin
                + ": "
                + numbered
                + " "
                + kind
                + "/"
                + name
                + ": no rule about images, nothing for sigaudit to check");
      }
      // The translator names the object (ClusterPolicy/x); the file and document say where it is.
      for (PolicyProblem p : t.problems()) {
        String object = p.object().isEmpty() ? numbered : numbered + " " + p.object();
        problems.add(new PolicyProblem(origin, object, p.field(), p.message()));
      }
      return new Compiled(numbered, t.policies());
    }
    if (!dialects.isEmpty() && !isSigauditPolicy(apiVersion, kind)) {
      problems.add(new PolicyProblem(origin, numbered, "kind", unknownKind(apiVersion, kind)));
      return new Compiled(numbered, List.of());
    }
    String object = objectName(node, index);
    FieldProblems found = new FieldProblems();
    Optional<Policy> policy = compile(node, file, baseDir, found);
    found
        .entries()
        .forEach(p -> problems.add(new PolicyProblem(origin, object, p.field(), p.message())));
    return new Compiled(object, policy.stream().toList());
  }

  private static Optional<Map<String, byte[]>> noSecrets(SecretKeys.SecretRef ref) {
    throw new IllegalStateException(
        "the policy comes from a file, and keys in Secrets are read only from the cluster; put"
            + " the PEM key in the policy to check it offline");
  }

  /** One object of a cluster dialect, as the dialect's translator reads objects (gson). */
  private static LoadedPolicies translate(PolicyDialect dialect, JsonNode node) {
    if (!node.isObject()) {
      return new LoadedPolicies(
          List.of(), List.of(new PolicyProblem("", "", "", "expected an object")));
    }
    JsonObject object = JsonParser.parseString(node.toString()).getAsJsonObject();
    try {
      return dialect.translateFile(List.of(object));
    } catch (RuntimeException e) {
      // A bug in one translation must cost this document, not the other policies.
      return new LoadedPolicies(
          List.of(),
          List.of(new PolicyProblem("", "", "", "translating failed unexpectedly: " + e)));
    }
  }

  private static boolean isSigauditPolicy(String apiVersion, String kind) {
    return apiVersion.startsWith("sigaudit.dev/") || kind.equals(FileCompiler.KIND);
  }

  private String unknownKind(String apiVersion, String kind) {
    String got =
        apiVersion.isEmpty() && kind.isEmpty()
            ? "no apiVersion and kind"
            : "apiVersion '" + apiVersion + "' kind '" + kind + "'";
    List<String> known = new ArrayList<>();
    known.add(FileCompiler.API_VERSION + " " + FileCompiler.KIND);
    for (PolicyDialect d : dialects) {
      String groups =
          d.resources().stream()
              .map(PolicyDialect.Resource::group)
              .distinct()
              .reduce((a, b) -> a + "|" + b)
              .orElse("");
      d.kinds().stream().sorted().forEach(k -> known.add(groups + " " + k));
    }
    return got + " is not a policy sigaudit reads; expected one of: " + String.join(", ", known);
  }

  private Optional<Policy> compile(JsonNode node, Path file, Path baseDir, FieldProblems problems) {
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
    return new FileCompiler(new AttestorCompiler(keys, file, baseDir), problems).compile(doc);
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
    } catch (NoSuchFileException e) {
      problems.add(new PolicyProblem(origin, "", "", "no such file"));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(
          new PolicyProblem(
              origin, "", "", "cannot read the file: " + e.getClass().getSimpleName()));
      return Optional.empty();
    }
  }
}
