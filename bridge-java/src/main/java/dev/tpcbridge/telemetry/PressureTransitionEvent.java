package dev.tpcbridge.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: a backpressure controller moved from one state to another ({@code NORMAL}, {@code THROTTLED},
 * {@code SUSPENDED}). Emitted by the thread whose update made the transition, when a recording enables
 * {@value #NAME}.
 */
@Name(PressureTransitionEvent.NAME)
@Label("Backpressure Transition")
@Category({"tpcbridge", "Backpressure"})
@Description("A backpressure controller moved from one state to another")
public final class PressureTransitionEvent extends Event {
    /** The event's name in a recording. */
    public static final String NAME = "dev.tpcbridge.PressureTransition";
    private static final EventType TYPE = EventType.getEventType(PressureTransitionEvent.class);

    /** The state left. */
    @Label("From")
    public String from;

    /** The state entered. */
    @Label("To")
    public String to;

    /**
     * A new event.
     *
     * @param from the state left
     * @param to   the state entered
     */
    public PressureTransitionEvent(String from, String to) {
        this.from = from;
        this.to = to;
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
