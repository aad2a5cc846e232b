package io.fabsim.common.verify;

/** A policy was not satisfied; the message is Fabric's where Fabric has one. */
public class PolicyEvaluationException extends Exception {

    public PolicyEvaluationException(String message) {
        super(message);
    }
}
