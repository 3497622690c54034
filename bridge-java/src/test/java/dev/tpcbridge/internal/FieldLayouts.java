package dev.tpcbridge.internal;

import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JOL checks shared by the layout tests: fields written by different threads at least {@link #MIN_DISTANCE} bytes
 * apart (two cache lines, against adjacent-line prefetch). Every field of a group is checked, so a small field that
 * HotSpot slips into an alignment gap of another group is caught.
 */
public final class FieldLayouts {
    /** Two cache lines. */
    public static final int MIN_DISTANCE = 128;

    private FieldLayouts() {
    }

    /**
     * Asserts that every field of {@code a} is at least {@link #MIN_DISTANCE} bytes from every field of {@code b}.
     *
     * @param layout the class layout
     * @param a      field names
     * @param b      field names
     */
    public static void assertGroupsApart(ClassLayout layout, List<String> a, List<String> b) {
        for (String x : a) {
            for (String y : b) {
                long distance = Math.abs(offset(layout, x) - offset(layout, y));
                assertTrue(distance >= MIN_DISTANCE,
                    x + " and " + y + " are " + distance + " bytes apart\n" + layout.toPrintable());
            }
        }
    }

    /**
     * Asserts that every field is at least {@link #MIN_DISTANCE} bytes from the end of the object.
     *
     * @param layout the class layout
     * @param fields field names
     */
    public static void assertFarFromEnd(ClassLayout layout, List<String> fields) {
        for (String x : fields) {
            long distance = layout.instanceSize() - offset(layout, x);
            assertTrue(distance >= MIN_DISTANCE,
                x + " is " + distance + " bytes from the end of the object\n" + layout.toPrintable());
        }
    }

    private static long offset(ClassLayout layout, String name) {
        return layout.fields().stream()
            .filter(f -> f.name().equals(name))
            .mapToLong(FieldLayout::offset)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no field " + name + " in\n" + layout.toPrintable()));
    }
}
