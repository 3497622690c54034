package dev.tpcbridge.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: a data-plane core failed (an {@code Error} or a fault of its loop) and ends; its channels fail with the cause.
 * Emitted once per failed core, by its thread, when a recording enables {@value #NAME}.
 */
@Name(CoreFailedEvent.NAME)
@Label("Core Failed")
@Category({"tpcbridge", "Data plane"})
@Description("A data-plane core failed and ends; its channels fail with the cause")
public final class CoreFailedEvent extends Event {
    /** The event's name in a recording. */
    public static final String NAME = "dev.tpcbridge.CoreFailed";

    /** The core's index in its plane. */
    @Label("Core")
    public int core;

    /** The cause's class. */
    @Label("Cause")
    public String cause;

    /** The cause's message. */
    @Label("Message")
    public String message;

    /**
     * A new event.
     *
     * @param core  the core's index
     * @param cause the failure
     */
    public CoreFailedEvent(int core, Throwable cause) {
        this.core = core;
        this.cause = cause.getClass().getName();
        this.message = cause.getMessage();
    }
}
