package dev.tpcbridge.ring;

/**
 * Receives elements taken from a ring: by {@link Ring#drain(ElementHandler, int)}, and by the undelivered-element
 * handler of a ring closed from the consumer side.
 *
 * <p>Called on the thread that drains (for a drain, the consumer); the ring never calls one handler from two
 * threads at once. A handler must not call back into the consumer side of the same ring. If it throws, the element
 * it was given counts as delivered.
 *
 * @param <E> the element type
 */
@FunctionalInterface
public interface ElementHandler<E> {
    /**
     * Takes one element.
     *
     * @param element the element, never null
     */
    void onElement(E element);
}
