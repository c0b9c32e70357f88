package dev.switchboard.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of STYLE.md and the README's layout table, checked on the compiled main classes so that a
 * stray import fails the build instead of waiting for a review: the transport stays in {@code edge}, the Redis
 * client in {@code cluster.redis}, the packages form no cycle, and only {@code cli} reaches the composition root.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.switchboard.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void nettyStaysInTheEdge() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".edge..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("the engine and every other package speak to clients through the engine's Peer port")
                .check(classes);
    }

    @Test
    void lettuceStaysInTheRedisCluster() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cluster.redis..")
                .should().dependOnClassesThat().resideInAPackage("io.lettuce..")
                .because("one node and a cluster differ only behind the engine's ports")
                .check(classes);
    }

    @Test
    void theEngineKnowsNoTransportNoRedisAndNoHttp() {
        noClasses().that().resideInAPackage(ROOT + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        ROOT + ".edge..", ROOT + ".cluster..", ROOT + ".api..", ROOT + ".dashboard..",
                        ROOT + ".webhooks..", ROOT + ".metrics..", ROOT + ".cli..")
                .check(classes);
    }

    @Test
    void theEdgeKnowsNeitherTheApiNorTheDashboard() {
        noClasses().that().resideInAPackage(ROOT + ".edge..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".dashboard..")
                .because("HTTP comes in through the edge's one port (HttpPort, HttpRoute), which they implement")
                .check(classes);
    }

    @Test
    void onlyTheCliReachesTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackages(ROOT, ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .because("the root package only wires; everything else is reached through ports")
                .check(classes);
    }

    @Test
    void theEngineLooksAppsUpThroughItsOwnPort() {
        noClasses().that().resideInAPackage(ROOT + ".engine..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".apps..")
                .because("the engine asks its AppLookup port; where apps come from (config, database) is not its business")
                .check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
