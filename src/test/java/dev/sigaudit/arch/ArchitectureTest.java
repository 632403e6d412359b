package dev.sigaudit.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package graph of {@code src/main} (../shared/docs/architecture.md): each rule fails the unit
 * suite when an import breaks it, naming the offending classes. Test classes are not checked.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.sigaudit");

  @Test
  void importsTheWholeMainTree() {
    // An empty import would make every rule below pass without checking anything.
    assertThat(MAIN.stream().map(c -> c.getPackageName()).distinct())
        .contains(
            "dev.sigaudit.cli",
            "dev.sigaudit.cluster",
            "dev.sigaudit.model",
            "dev.sigaudit.policy",
            "dev.sigaudit.report",
            "dev.sigaudit.scan",
            "dev.sigaudit.verify");
  }

  @Test
  void topLevelPackagesHaveNoCycle() {
    slices().matching("dev.sigaudit.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void modelIsALeaf() {
    noClasses()
        .that()
        .resideInAPackage("dev.sigaudit.model..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.sigaudit..").and(not(resideInAPackage("dev.sigaudit.model.."))))
        .because("model holds the validated values every stage hands over")
        .check(MAIN);
  }

  @Test
  void verifyDependsOnModelOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.sigaudit.verify..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.sigaudit..")
                .and(not(resideInAnyPackage("dev.sigaudit.verify..", "dev.sigaudit.model.."))))
        .because("verification is a pure, offline core: it never reaches policies or I/O")
        .check(MAIN);
  }

  @Test
  void reportsDoNotDependOnPolicies() {
    noClasses()
        .that()
        .resideInAPackage("dev.sigaudit.report..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sigaudit.policy..")
        .because("report writers write results; they never re-evaluate or re-read a policy")
        .check(MAIN);
  }

  @Test
  void scanDoesNotUseTheKubernetesClient() {
    noClasses()
        .that()
        .resideInAPackage("dev.sigaudit.scan..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kubernetes.client..")
        .because("the orchestrator sees the cluster through interfaces; cluster owns client-java")
        .check(MAIN);
  }

  @Test
  void clusterDoesNotKnowThePolicyDialects() {
    noClasses()
        .that()
        .resideInAPackage("dev.sigaudit.cluster..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sigaudit.policy.kyverno..",
            "dev.sigaudit.policy.ivp..",
            "dev.sigaudit.policy.cip..",
            "dev.sigaudit.policy.file..")
        .because("the list of dialects is assembled in the composition root (cli)")
        .check(MAIN);
  }

  @Test
  void onlyTheCompositionRootDependsOnTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sigaudit.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sigaudit.cli..")
        .check(MAIN);
  }
}
