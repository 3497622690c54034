package dev.tpcbridge.backpressure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Defaults, every validation rule with its message, equality. */
class BackpressureConfigTest {

    @Test
    void defaultsAreTheSpecifiedWatermarks() {
        BackpressureConfig config = BackpressureConfig.defaults();
        assertEquals(0.85, config.enterThrottle());
        assertEquals(0.75, config.exitThrottle());
        assertEquals(0.95, config.enterSuspend());
        assertEquals(0.85, config.exitSuspend());
        assertSame(config, BackpressureConfig.defaults());
        assertEquals(config, BackpressureConfig.builder().build(), "a fresh builder holds the defaults");
    }

    @Test
    void builderSetsEachWatermark() {
        BackpressureConfig config = BackpressureConfig.builder()
            .enterThrottle(0.6).exitThrottle(0.4).enterSuspend(0.9).exitSuspend(0.7).build();
        assertEquals(0.6, config.enterThrottle());
        assertEquals(0.4, config.exitThrottle());
        assertEquals(0.9, config.enterSuspend());
        assertEquals(0.7, config.exitSuspend());
    }

    @Test
    void acceptsTheEdgesOfEveryRule() {
        // Every bound at its limit: 0 and 1, enterThrottle == enterSuspend, exitThrottle == exitSuspend.
        BackpressureConfig config = BackpressureConfig.builder()
            .enterThrottle(1.0).exitThrottle(0.0).enterSuspend(1.0).exitSuspend(0.0).build();
        assertEquals(1.0, config.enterThrottle());
        assertEquals(0.0, config.exitSuspend());
    }

    @Test
    void rejectsAWatermarkOutsideZeroToOneNamingIt() {
        assertRejected("enterThrottle=1.5 must be in [0, 1]",
            () -> BackpressureConfig.builder().enterThrottle(1.5).build());
        assertRejected("exitThrottle=-0.1 must be in [0, 1]",
            () -> BackpressureConfig.builder().exitThrottle(-0.1).build());
        assertRejected("enterSuspend=1.0000001 must be in [0, 1]",
            () -> BackpressureConfig.builder().enterSuspend(1.0000001).build());
        assertRejected("exitSuspend=-Infinity must be in [0, 1]",
            () -> BackpressureConfig.builder().exitSuspend(Double.NEGATIVE_INFINITY).build());
        assertRejected("enterSuspend=Infinity must be in [0, 1]",
            () -> BackpressureConfig.builder().enterSuspend(Double.POSITIVE_INFINITY).build());
    }

    @Test
    void rejectsNaNNamingIt() {
        assertRejected("enterThrottle=NaN must be in [0, 1]",
            () -> BackpressureConfig.builder().enterThrottle(Double.NaN).build());
        assertRejected("exitThrottle=NaN must be in [0, 1]",
            () -> BackpressureConfig.builder().exitThrottle(Double.NaN).build());
        assertRejected("enterSuspend=NaN must be in [0, 1]",
            () -> BackpressureConfig.builder().enterSuspend(Double.NaN).build());
        assertRejected("exitSuspend=NaN must be in [0, 1]",
            () -> BackpressureConfig.builder().exitSuspend(Double.NaN).build());
    }

    @Test
    void rejectsAThrottleExitNotBelowItsEnter() {
        assertRejected("exitThrottle=0.9 must be < enterThrottle=0.85",
            () -> BackpressureConfig.builder().exitThrottle(0.9).exitSuspend(0.9).build());
        assertRejected("exitThrottle=0.85 must be < enterThrottle=0.85",
            () -> BackpressureConfig.builder().exitThrottle(0.85).build());
    }

    @Test
    void rejectsASuspendExitNotBelowItsEnter() {
        assertRejected("exitSuspend=0.95 must be < enterSuspend=0.95",
            () -> BackpressureConfig.builder().exitSuspend(0.95).build());
        assertRejected("exitSuspend=0.99 must be < enterSuspend=0.95",
            () -> BackpressureConfig.builder().exitSuspend(0.99).build());
    }

    @Test
    void rejectsAThrottleEnterAboveTheSuspendEnter() {
        assertRejected("enterThrottle=0.96 must be <= enterSuspend=0.95",
            () -> BackpressureConfig.builder().enterThrottle(0.96).build());
    }

    @Test
    void rejectsAThrottleExitAboveTheSuspendExit() {
        assertRejected("exitThrottle=0.8 must be <= exitSuspend=0.7",
            () -> BackpressureConfig.builder().exitThrottle(0.8).exitSuspend(0.7).build());
    }

    @Test
    void equalWhenTheWatermarksAre() {
        BackpressureConfig a = BackpressureConfig.builder().enterThrottle(0.8).exitThrottle(0.5).build();
        BackpressureConfig b = BackpressureConfig.builder().exitThrottle(0.5).enterThrottle(0.8).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, a);
        assertNotEquals(a, BackpressureConfig.defaults());
        assertNotEquals(a, BackpressureConfig.builder().enterThrottle(0.8).exitThrottle(0.5).exitSuspend(0.8).build());
        assertNotEquals(a, BackpressureConfig.builder().enterThrottle(0.8).exitThrottle(0.5).enterSuspend(0.9).build());
        assertNotEquals(a, BackpressureConfig.builder().enterThrottle(0.8).exitThrottle(0.6).build());
        assertNotEquals(a, BackpressureConfig.builder().enterThrottle(0.81).exitThrottle(0.5).build());
        assertNotEquals(a, null);
        assertNotEquals(a, (Object) "BackpressureConfig");
    }

    @Test
    void negativeZeroIsStoredAsZeroSoEqualityHolds() {
        BackpressureConfig negative = BackpressureConfig.builder().exitThrottle(-0.0).exitSuspend(-0.0).build();
        BackpressureConfig positive = BackpressureConfig.builder().exitThrottle(0.0).exitSuspend(0.0).build();
        assertEquals(0, Double.compare(0.0, negative.exitThrottle()));
        assertEquals(positive, negative);
        assertEquals(positive.hashCode(), negative.hashCode());
    }

    @Test
    void toStringNamesEveryWatermark() {
        assertEquals("BackpressureConfig{enterThrottle=0.85, exitThrottle=0.75, enterSuspend=0.95, exitSuspend=0.85}",
            BackpressureConfig.defaults().toString());
    }

    @Test
    void aBuilderCanBeReusedAndEachBuildIsIndependent() {
        BackpressureConfig.Builder builder = BackpressureConfig.builder().enterThrottle(0.9);
        BackpressureConfig first = builder.build();
        BackpressureConfig second = builder.enterThrottle(0.8).build();
        assertEquals(0.9, first.enterThrottle(), "immutable: a later builder change does not reach it");
        assertEquals(0.8, second.enterThrottle());
    }

    static void assertRejected(String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }
}
