package io.fabsim.common.operations;

/**
 * An extra route of the operations server (admin APIs: the peer's channel join, the orderer's
 * channel participation). A handler that throws {@link OperationsException} answers with its status
 * and {@code {"error": message}}; any other exception answers 500.
 */
@FunctionalInterface
public interface OperationsHandler {

    OperationsResponse handle(OperationsRequest request) throws Exception;
}
