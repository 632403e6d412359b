package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.verify.Requirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keyless authority ids name cached verdicts from one run to the next, so they must be the same in
 * every JVM: a record's {@code toString()} prints its {@code Set}s in an order that changes with
 * each JVM's hash seed, which made every keyless verdict a cache miss.
 */
class AuthorityIdsTest {

  /** An entry with every collection a JVM could order differently. */
  static AttestorEntry.Keyless entry(boolean reversed) {
    List<AttestorEntry.Keyless.Identity> ids =
        new ArrayList<>(
            List.of(
                new AttestorEntry.Keyless.Identity(
                    Optional.of("https://token.actions.githubusercontent.com"),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("^https://github.com/acme/.*$")),
                new AttestorEntry.Keyless.Identity(
                    Optional.of("https://accounts.google.com"),
                    Optional.empty(),
                    Optional.of("release@acme.example"),
                    Optional.empty())));
    if (reversed) {
      java.util.Collections.reverse(ids);
    }
    return new AttestorEntry.Keyless(
        ids,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of("githubWorkflowRepository", "acme/app", "githubWorkflowTrigger", "push"),
        Optional.empty(),
        Set.of(SignatureFormat.values()));
  }

  /** The ids of {@link #entry}, one a line: the authority's, then its compiled requirement's. */
  static String ids() {
    AttestorEntry.Keyless plain =
        new AttestorEntry.Keyless(
            entry(false).identities(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Set.of(SignatureFormat.values()));
    Requirement r =
        ((KeylessCompiler.Compiled.Supported) KeylessCompiler.compile(plain)).requirement();
    return new Authority.Keyless(entry(false)).id() + "\n" + r.id();
  }

  /** Run in a second JVM by {@link #idsAreTheSameInAnotherJvm}. */
  public static void main(String[] args) {
    System.out.println(ids());
  }

  @Test
  void idsAreTheSameInAnotherJvm() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // Each JVM seeds Set.of and Map.of iteration anew; two more JVMs make a hash-ordered id show.
    for (int run = 0; run < 2; run++) {
      Process p =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  AuthorityIdsTest.class.getName())
              .redirectErrorStream(true)
              .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String other = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

      assertThat(p.exitValue()).as(other).isZero();
      assertThat(other).isEqualTo(ids());
    }
  }

  @Test
  void theOrderOfIdentitiesDoesNotChangeTheId() {
    assertThat(new Authority.Keyless(entry(true)).id())
        .isEqualTo(new Authority.Keyless(entry(false)).id());
  }

  /** {@code e} with other formats and tlog waiver. */
  static AttestorEntry.Keyless variant(
      AttestorEntry.Keyless e, Set<SignatureFormat> formats, boolean ignoreTlog) {
    return new AttestorEntry.Keyless(
        e.identities(),
        e.roots(),
        e.certificateAuthority(),
        e.transparencyLog(),
        e.extensions(),
        e.signatureRepository(),
        formats,
        ignoreTlog,
        e.ignoreSct());
  }

  @Test
  void differentEntriesHaveDifferentIds() {
    AttestorEntry.Keyless e = entry(false);

    assertThat(
            Set.of(
                new Authority.Keyless(e).id(),
                new Authority.Keyless(variant(e, Set.of(SignatureFormat.LEGACY_TAG), false)).id(),
                new Authority.Keyless(variant(e, e.formats(), true)).id()))
        .hasSize(3);
  }
}
