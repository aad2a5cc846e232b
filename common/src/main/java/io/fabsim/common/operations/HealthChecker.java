package io.fabsim.common.operations;

import java.util.Optional;

/**
 * A component's health, as Fabric's {@code healthz.HealthChecker}: empty when healthy, else the
 * reason it is not. A checker that throws counts as failed, with the exception's message.
 */
@FunctionalInterface
public interface HealthChecker {

    Optional<String> check();
}
