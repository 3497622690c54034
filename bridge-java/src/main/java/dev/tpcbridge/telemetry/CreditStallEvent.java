package dev.tpcbridge.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: a core found requests waiting on a bridge channel but no room for their answers (the control plane is not taking
 * responses), so it took none: a credit stall. Emitted once per stall, not per idle spin, by the core thread, when a
 * recording enables {@value #NAME}.
 */
@Name(CreditStallEvent.NAME)
@Label("Credit Stall")
@Category({"tpcbridge", "Bridge"})
@Description("Requests waited on a bridge channel with no room for their responses")
public final class CreditStallEvent extends Event {
    /** The event's name in a recording. */
    public static final String NAME = "dev.tpcbridge.CreditStall";
    private static final EventType TYPE = EventType.getEventType(CreditStallEvent.class);

    /** The response ring's capacity. */
    @Label("Response Capacity")
    public int responseCapacity;

    /**
     * A new event.
     *
     * @param responseCapacity the response ring's capacity
     */
    public CreditStallEvent(int responseCapacity) {
        this.responseCapacity = responseCapacity;
    }

    /**
     * Whether a recording enables this event now.
     *
     * @return {@code true} if it would be recorded
     */
    public static boolean enabled() {
        return TYPE.isEnabled();
    }
}
