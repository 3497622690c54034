package dev.tpcbridge.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The multicast quick start runs and every subscriber gets every message, in order. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MulticastQuickStartTest {
    @Test
    void everySubscriberReceivesEveryMessageInOrder() throws Exception {
        List<String> expected = List.of("message-0", "message-1", "message-2");
        assertEquals(List.of(expected, expected), MulticastQuickStart.run());
    }
}
