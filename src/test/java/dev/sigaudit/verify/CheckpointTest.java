package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
  static final String ROOT = "+QIOalcm4FuDhJj9qII/2u9Nypdzjk0c9NK7hGTgac8=";

  @Test
  void parsesRekorV1Checkpoint() throws Rejection {
    Checkpoint c =
        Checkpoint.parse(
            "rekor.sigstore.dev - 1193050959916656506\n28418423\n"
                + ROOT
                + "\n\n\u2014 rekor.sigstore.dev wNI9ajBGAiEA5TnJ\n");

    assertThat(c.treeSize()).isEqualTo(28418423L);
    assertThat(c.rootHash()).hasSize(32);
    assertThat(c.text()).endsWith(ROOT + "\n");
    assertThat(c.signatures()).hasSize(1);
    assertThat(c.signatures().get(0).keyHint()).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "origin\n1\nAAAA\n",
        "origin\n1\n" + ROOT + "\n\n",
        "origin\n-1\n" + ROOT + "\n\n\u2014 name wNI9ajBGAiEA\n",
        "origin\nx\n" + ROOT + "\n\n\u2014 name wNI9ajBGAiEA\n",
        "origin\n1\nAAAA\n\n\u2014 name wNI9ajBGAiEA\n",
        "origin\n1\n" + ROOT + "\n\n- name wNI9ajBGAiEA\n",
        "origin\n1\n" + ROOT + "\n\n\u2014 name AAAA\n",
        "\n1\n" + ROOT + "\n\n\u2014 name wNI9ajBGAiEA\n"
      })
  void refusesMalformedNotes(String note) {
    assertThatThrownBy(() -> Checkpoint.parse(note)).isInstanceOf(Rejection.class);
  }

  @Test
  void merkleProofShapeMustFitTheTree() throws Rejection {
    byte[] leaf = MerkleInclusion.leafHash(new byte[] {1});

    assertThatThrownBy(() -> MerkleInclusion.rootFromProof(5, 5, leaf, List.of()))
        .hasMessage("inclusion proof index 5 is not inside tree size 5");
    assertThat(MerkleInclusion.rootFromProof(0, 1, leaf, List.of())).isEqualTo(leaf);
  }
}
