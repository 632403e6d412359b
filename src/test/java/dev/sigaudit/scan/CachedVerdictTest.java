package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cached pass keeps what it rests on: the engine notes survive the cache file. */
class CachedVerdictTest {
  private static final Digest IMAGE = Digest.sha256("image".getBytes());

  @Test
  void engineNotesOfAPassSurviveTheCacheAndOlderEntriesReadWithout() throws Exception {
    Verdict noted =
        new Verdict.Verified(
            SignatureFormat.BUNDLE_REFERRER,
            Signer.key("SHA256:k"),
            IMAGE,
            List.of("accepted an attestation as a signature"));
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    String written =
        json.writeValueAsString(VerificationCache.CachedVerdict.of(noted).orElseThrow());
    var read = json.readValue(written, VerificationCache.CachedVerdict.class);

    assertThat(read.toVerdict()).isEqualTo(noted);
    // A cache written before notes existed has none: the verdict reads with no note.
    String older = written.replaceAll(",?\"notes\":\\[[^]]*]", "");
    assertThat(json.readValue(older, VerificationCache.CachedVerdict.class).toVerdict())
        .isEqualTo(
            new Verdict.Verified(SignatureFormat.BUNDLE_REFERRER, Signer.key("SHA256:k"), IMAGE));
  }

  @Test
  void thatSignaturesExistIsCachedButOtherCheckErrorsAreNot() {
    Verdict signed =
        new Verdict.CheckError(
            dev.sigaudit.policy.Authority.Presence.SIGNED,
            dev.sigaudit.model.Cause.SIGNER_NOT_CHECKABLE);

    assertThat(VerificationCache.CachedVerdict.of(signed).orElseThrow().toVerdict())
        .isEqualTo(signed);
    assertThat(VerificationCache.CachedVerdict.of(new Verdict.CheckError("503 from ghcr.io")))
        .isEmpty();
  }

  @Test
  void whatARejectionHasInCommonSurvivesTheCacheAndAnOlderEntryReadsAsAPlainRejection() {
    Verdict wrongKey =
        new Verdict.Rejected(List.of("legacy-sig sha256:0123: does not verify"), Cause.WRONG_KEY);

    assertThat(VerificationCache.CachedVerdict.of(wrongKey).orElseThrow().toVerdict())
        .isEqualTo(wrongKey);
    assertThat(
            new VerificationCache.CachedVerdict(
                    "rejected", null, null, null, null, List.of("x"), null, null)
                .toVerdict())
        .isEqualTo(new Verdict.Rejected(List.of("x"), Cause.SIGNATURE_REJECTED));
  }
}
