package dev.tpcbridge.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: a data-plane core parked, idle, until something woke it (a request, a task, its signal, a timeout). Its
 * duration is the time parked; a recording shows when each core slept and for how long. Off by default, as every
 * event of the library: enable {@value #NAME} in a recording (with {@code jdk.jfr.Recording.enable} or a JFC file).
 *
 * <p>Emitted by the core thread, only while a recording enables it: the core then allocates the event (about 32
 * bytes) each time it parks; otherwise nothing.
 */
@Name(CoreParkEvent.NAME)
@Label("Core Park")
@Category({"tpcbridge", "Data plane"})
@Description("A data-plane core parked, idle, until something woke it")
public final class CoreParkEvent extends Event {
    /** The event's name in a recording. */
    public static final String NAME = "dev.tpcbridge.CorePark";
    private static final EventType TYPE = EventType.getEventType(CoreParkEvent.class);

    /** The core's index in its plane. */
    @Label("Core")
    public int core;

    /**
     * A new event for {@code core}.
     *
     * @param core the core's index
     */
    public CoreParkEvent(int core) {
        this.core = core;
    }

    /**
     * Whether a recording enables this event now (cheap: read before each park).
     *
     * @return {@code true} if it would be recorded
     */
    public static boolean enabled() {
        return TYPE.isEnabled();
    }
}
