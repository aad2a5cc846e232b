package io.fabsim.deliver;

/** A delivery service call was refused (already delivering, not delivering, stopping, unknown channel). */
public class DeliveryServiceException extends Exception {

    public DeliveryServiceException(String message) {
        super(message);
    }
}
